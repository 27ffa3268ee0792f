import { z } from "zod";
import {
  keepToShowOnce,
  type NewLinks,
  takeShownOnce,
} from "@/lib/auth/shown_once.ts";
import {
  cancelVisit,
  doctorsAppointment,
  rescheduleVisit,
} from "@/lib/clinic/scheduling.ts";
import {
  reissuePatientDashboardLink,
  reissueVisitLink,
} from "@/lib/clinic/visit_links.ts";
import { formatDateTime, toLocalInput } from "@/lib/clinic/time.ts";
import { cancelForm, rescheduleForm } from "@/lib/clinic/visit_input.ts";
import {
  canResendInvitation,
  resendInvitation,
  visitMessages,
} from "@/lib/clinic/visit_mail.ts";
import { windowEnd } from "@/lib/clinic/visit_window.ts";
import { visitLanguage, visitTimeZone } from "@/lib/clinic/visit_access.ts";
import { LANGUAGE_NAMES } from "@/lib/i18n/languages.ts";
import { defineDoctor } from "@/lib/define.ts";
import { type FieldErrors, HttpError } from "@/lib/http/errors.ts";
import { submitForm } from "@/lib/http/form.ts";
import { readForm } from "@/lib/http/input.ts";
import type { Appointment, Versioned } from "@/lib/store/appointments.ts";
import { guardFor, readVisitState } from "@/lib/sessions/visit_state.ts";
import { offers, type VisitLifecycle } from "@/lib/clinic/visit_lifecycle.ts";
import { Field, FormErrorSummary, Notice } from "@/lib/ui/form.tsx";
import { MailToPatientLink, VisitMessages } from "@/lib/ui/visit_messages.tsx";
import type { MailMessage } from "@/lib/mail/outbox.ts";
import { invitationMail } from "@/lib/mail/messages.ts";
import { visitMailFacts } from "@/lib/mail/visit_facts.ts";
import { getPatient } from "@/lib/store/patients.ts";
import { StatusBadge } from "@/lib/ui/visit_status.tsx";
import { VisitFields } from "@/lib/ui/visit_fields.tsx";
import { Head } from "@/lib/web/render.tsx";
import { page } from "@/lib/web/page.ts";
import {
  type PatientContact,
  patientContact,
} from "@/lib/clinic/patient_contact.ts";
import { ContactFacts } from "@/lib/ui/patient_contact.tsx";
import CopyLink from "@/islands/CopyLink.tsx";
import { type CheckIn, visitCheckIn } from "@/lib/clinic/check_in.ts";
import { CheckInFacts } from "@/lib/ui/check_in_facts.tsx";

interface DetailData {
  appointment: Versioned<Appointment>;
  /** Where the visit stands: what the page shows and offers follows it. */
  lifecycle: VisitLifecycle;
  links: NewLinks | null;
  /** The patient's email and phone, to reach them when the video fails. */
  contact: PatientContact;
  now: number;
  notice?: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
  /** Which form the errors belong to. */
  errorsFor?: "reschedule" | "cancel";
  /** The visit's mail, and what the page offers about it. */
  mail: VisitMailData;
  /** The patient's check-in, once done. */
  checkIn: CheckIn | null;
}

interface VisitMailData {
  on: boolean;
  messages: MailMessage[];
  patientEmail?: string;
  canResend: boolean;
  /**
   * With mail off and the visit link shown: the invitation the clinic would
   * have sent, for the doctor's own mail program.
   */
  draft?: { subject: string; text: string };
}

async function visitMailData(
  clinic: Parameters<typeof visitMessages>[0],
  a: Appointment,
  visitUrl: string | undefined,
  lifecycle: VisitLifecycle,
): Promise<VisitMailData> {
  const patientEmail = (await getPatient(clinic.kv, a.patientId))?.email;
  const on = clinic.config.mail !== null;
  const draft = !on && visitUrl
    ? invitationMail({ ...await visitMailFacts(clinic, a), visitUrl })
    : undefined;
  return {
    on,
    messages: await visitMessages(clinic, a.id),
    ...(patientEmail ? { patientEmail } : {}),
    canResend: await canResendInvitation(clinic, a, lifecycle),
    ...(draft ? { draft: { subject: draft.subject, text: draft.text } } : {}),
  };
}

const action = z.object({
  action: z.enum([
    "reschedule",
    "cancel",
    "reissue-visit-link",
    "reissue-patient-link",
    "resend-invitation",
  ]),
  version: z.string().max(64).optional(),
});

export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const { clinic, doctor, loginSessionHash } = ctx.state;
    const appointment = await doctorsAppointment(
      clinic,
      doctor,
      ctx.params.id,
    );
    const links = await takeShownOnce(
      clinic.kv,
      loginSessionHash,
      appointment.value.id,
    );
    const done = ctx.url.searchParams.get("done");
    const now = Date.now();
    const lifecycle = await readVisitState(clinic, appointment.value, now);
    return page<DetailData>({
      appointment,
      lifecycle,
      links,
      contact: await patientContact(
        clinic.kv,
        doctor.id,
        appointment.value.patientId,
      ),
      now,
      notice: done === "rescheduled"
        ? "The visit was rescheduled."
        : done === "cancelled"
        ? "The visit was cancelled; its link no longer works."
        : done === "invitation"
        ? "The invitation is on its way again."
        : undefined,
      mail: await visitMailData(
        clinic,
        appointment.value,
        links?.visitUrl,
        lifecycle,
      ),
      checkIn: await visitCheckIn(clinic, appointment.value.id),
    });
  },
  async POST(ctx) {
    const { clinic, doctor, loginSessionHash } = ctx.state;
    const id = ctx.params.id;
    const form = await readForm(ctx.req);
    const chosen = action.safeParse(form);
    if (!chosen.success) {
      throw new HttpError(400, "invalid_action", "Unknown action.");
    }
    const back = (done?: string) =>
      ctx.redirect(`/appointments/${id}${done ? `?done=${done}` : ""}`);
    const showAgain =
      (errorsFor: "reschedule" | "cancel") =>
      async (errors: FieldErrors, status: number) => {
        const appointment = await doctorsAppointment(clinic, doctor, id);
        const now = Date.now();
        const lifecycle = await readVisitState(clinic, appointment.value, now);
        return page<DetailData>({
          appointment,
          lifecycle,
          links: null,
          contact: await patientContact(
            clinic.kv,
            doctor.id,
            appointment.value.patientId,
          ),
          now,
          values: form,
          errors,
          errorsFor,
          mail: await visitMailData(
            clinic,
            appointment.value,
            undefined,
            lifecycle,
          ),
          checkIn: await visitCheckIn(clinic, appointment.value.id),
        }, { status });
      };
    switch (chosen.data.action) {
      case "cancel":
        return submitForm(
          form,
          cancelForm,
          async ({ version, cancelReason }) => {
            await cancelVisit(
              clinic,
              doctor,
              id,
              guardFor(clinic, "cancel"),
              version,
              cancelReason,
            );
            return back("cancelled");
          },
          showAgain("cancel"),
        );
      case "resend-invitation":
        await resendInvitation(
          clinic,
          doctor,
          id,
          (a) => readVisitState(clinic, a),
        );
        return back("invitation");
      case "reissue-visit-link": {
        const visit = await reissueVisitLink(
          clinic,
          doctor,
          id,
          guardFor(clinic, "new-visit-link"),
        );
        await keepToShowOnce(clinic.kv, loginSessionHash, {
          appointmentId: id,
          visitUrl: visit.visitUrl,
        });
        return back();
      }
      case "reissue-patient-link": {
        const url = await reissuePatientDashboardLink(clinic, doctor, id);
        await keepToShowOnce(clinic.kv, loginSessionHash, {
          appointmentId: id,
          visitUrl: "",
          patientDashboardUrl: url,
        });
        return back();
      }
      case "reschedule":
        return submitForm(
          form,
          rescheduleForm(clinic.config.timeZone),
          async ({ version, ...change }) => {
            await rescheduleVisit(
              clinic,
              doctor,
              id,
              change,
              guardFor(clinic, "reschedule"),
              version,
            );
            return back("rescheduled");
          },
          showAgain("reschedule"),
        );
    }
  },
});

/**
 * The tick that confirms a cancellation; required by the form's schema, so
 * a slip of the mouse on "Cancel visit" cancels nothing, with or without
 * script.
 */
function ConfirmCancel({ error }: { error?: string }) {
  return (
    <div class={error ? "field checkbox field-invalid" : "field checkbox"}>
      <input
        id="field-confirmCancel"
        type="checkbox"
        name="confirmCancel"
        value="yes"
        required
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? "field-confirmCancel-error" : undefined}
      />
      <label for="field-confirmCancel">Yes, cancel this visit</label>
      {error && (
        <p class="field-error" id="field-confirmCancel-error">{error}</p>
      )}
    </div>
  );
}

export default defineDoctor.page<typeof handler>(({ data, state }) => {
  const config = state.clinic.config;
  const tz = config.timeZone;
  const { value: a, version } = data.appointment;
  const { lifecycle } = data;
  const canReschedule = offers(lifecycle, "reschedule");
  const canCancel = offers(lifecycle, "cancel");
  const canRelink = offers(lifecycle, "new-visit-link");
  // A refusal for a form the visit's state no longer shows (it ended
  // meanwhile) is said at the top instead.
  const formGone = (data.errorsFor === "reschedule" && !canReschedule) ||
    (data.errorsFor === "cancel" && !canCancel);
  return (
    <div class="appointment">
      <Head>
        <title>Visit with {a.patientName}</title>
      </Head>
      <p>
        <a href="/dashboard">← All visits</a>
      </p>
      <section class="panel">
        <h1>Visit with {a.patientName}</h1>
        {data.notice && <Notice kind="success">{data.notice}</Notice>}
        {formGone && <FormErrorSummary errors={data.errors} />}
        <dl class="facts">
          <dt>When</dt>
          <dd>
            {formatDateTime(a.startsAt, tz)} ({a.durationMinutes} min, {tz})
          </dd>
          <dt>Reason</dt>
          <dd>{a.reason || "—"}</dd>
          <dt>Status</dt>
          <dd>
            <StatusBadge lifecycle={lifecycle} />
          </dd>
          {!lifecycle.windowOver && canRelink && (
            <>
              <dt>Link valid until</dt>
              <dd>{formatDateTime(windowEnd(a), tz)}</dd>
            </>
          )}
          <dt>Patient's language and zone</dt>
          <dd>
            {LANGUAGE_NAMES[visitLanguage(config, a)]},{" "}
            {visitTimeZone(config, a)}
          </dd>
          <ContactFacts contact={data.contact} />
          <CheckInFacts
            checkIn={data.checkIn}
            recordName={a.patientName}
            timeZone={tz}
          />
        </dl>
        <p class="actions">
          {offers(lifecycle, "join") && (
            <a class="button" href={`/appointments/${a.id}/call`}>Join call</a>
          )}
          {lifecycle.hasRecord && (
            <a
              class={lifecycle.reportReady ? "button" : "button secondary"}
              href={`/sessions/${a.id}`}
            >
              {lifecycle.reportReady
                ? "Visit report and notes"
                : "Call record and notes"}
            </a>
          )}
          {canRelink && (
            <a
              class="button secondary"
              href={`/appointments/${a.id}/invite.ics`}
            >
              Calendar invite (.ics)
            </a>
          )}
          <a
            class="button secondary"
            href={`/dashboard?patient=${a.patientId}#new-visit`}
          >
            Book another visit
          </a>
        </p>
      </section>

      {data.links && (
        <section class="panel links" aria-labelledby="links-title">
          <h2 id="links-title">Links to send the patient</h2>
          <p>
            These links are shown only now: the clinic keeps no readable copy.
            Send them to the patient; to get a new one later, issue a new link
            (the old one then stops working).
          </p>
          {data.links.visitUrl && (
            <p>
              <label for="visit-link">Visit link</label>
              <input
                id="visit-link"
                readonly
                value={data.links.visitUrl}
                class="link-box"
              />
              <CopyLink
                url={data.links.visitUrl}
                inputId="visit-link"
                what="visit link"
              />
            </p>
          )}
          {data.mail.draft && (
            <MailToPatientLink
              email={data.mail.patientEmail}
              draft={data.mail.draft}
            />
          )}
          {data.links.patientDashboardUrl && (
            <p>
              <label for="patient-link">Patient's personal page</label>
              <input
                id="patient-link"
                readonly
                value={data.links.patientDashboardUrl}
                class="link-box"
              />
              <CopyLink
                url={data.links.patientDashboardUrl}
                inputId="patient-link"
                what="personal page link"
              />
            </p>
          )}
        </section>
      )}

      {canReschedule && (
        <>
          <section class="panel" aria-labelledby="reschedule-title">
            <h2 id="reschedule-title">Reschedule</h2>
            {data.errorsFor !== "cancel" && (
              <FormErrorSummary errors={data.errors} />
            )}
            <form method="post" novalidate class="grid-form">
              <input type="hidden" name="action" value="reschedule" />
              <input type="hidden" name="version" value={version} />
              <VisitFields
                timeZone={tz}
                values={data.errorsFor === "cancel" ? undefined : data.values}
                errors={data.errorsFor === "cancel" ? undefined : data.errors}
                initial={{
                  startsAt: toLocalInput(a.startsAt, tz),
                  durationMinutes: String(a.durationMinutes),
                  reason: a.reason,
                }}
                reasonLabel="Reason"
              />
              <Field
                name="message"
                type="textarea"
                label="Message to the patient (optional)"
                hint={data.mail.on && data.mail.patientEmail
                  ? "Sent with the new time by email."
                  : "Mail is off or the patient has no email: tell them yourself."}
                value={data.errorsFor === "reschedule"
                  ? data.values?.message
                  : undefined}
                errors={data.errorsFor === "reschedule"
                  ? data.errors
                  : undefined}
              />
              <button type="submit" class="button">Save changes</button>
            </form>
          </section>
        </>
      )}
      {(canRelink || canCancel) && (
        <>
          <section class="panel" aria-labelledby="links-actions">
            <h2 id="links-actions">
              {canCancel ? "Links and cancellation" : "Links"}
            </h2>
            {canRelink && (
              <>
                <form method="post" class="inline">
                  <input
                    type="hidden"
                    name="action"
                    value="reissue-visit-link"
                  />
                  <button type="submit" class="button secondary">
                    New visit link
                  </button>
                </form>
                <form method="post" class="inline">
                  <input
                    type="hidden"
                    name="action"
                    value="reissue-patient-link"
                  />
                  <button type="submit" class="button secondary">
                    New personal page link
                  </button>
                </form>
              </>
            )}
            {canCancel && data.errorsFor === "cancel" && (
              <FormErrorSummary errors={data.errors} />
            )}
            {canCancel && (
              <form method="post" novalidate class="cancel-form">
                <input type="hidden" name="action" value="cancel" />
                <input type="hidden" name="version" value={version} />
                <Field
                  name="cancelReason"
                  type="textarea"
                  label="Reason (sent to the patient)"
                  hint={data.mail.on && data.mail.patientEmail
                    ? "Optional; sent with the notice of the cancellation."
                    : "Mail is off or the patient has no email: tell them yourself."}
                  value={data.errorsFor === "cancel"
                    ? data.values?.cancelReason
                    : undefined}
                  errors={data.errorsFor === "cancel" ? data.errors : undefined}
                />
                <ConfirmCancel
                  error={data.errorsFor === "cancel"
                    ? data.errors?.confirmCancel
                    : undefined}
                />
                <button type="submit" class="button danger">
                  Cancel visit
                </button>
              </form>
            )}
          </section>
        </>
      )}

      <VisitMessages
        appointmentId={a.id}
        messages={data.mail.messages}
        mailOn={data.mail.on}
        canResend={data.mail.canResend}
        timeZone={tz}
      />
    </div>
  );
});
