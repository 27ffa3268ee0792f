import {
  type CheckIn,
  checkInForm,
  checkInVisit,
  type Consent,
  consentFor,
  visitCheckIn,
} from "@/lib/clinic/check_in.ts";
import { doctorLabel } from "@/lib/clinic/doctor_label.ts";
import type { OpenVisit } from "@/lib/clinic/visit_access.ts";
import { define } from "@/lib/define.ts";
import type { FieldErrors } from "@/lib/http/errors.ts";
import { submitForm } from "@/lib/http/form.ts";
import { readForm } from "@/lib/http/input.ts";
import { call as callText } from "@/lib/i18n/text/call.ts";
import { checkIn as checkInText } from "@/lib/i18n/text/check_in.ts";
import { visit as visitText } from "@/lib/i18n/text/visit.ts";
import { fill } from "@/lib/i18n/translate.ts";
import { openVisitPage } from "@/lib/sessions/visit_pages.ts";
import { CheckInForm } from "@/lib/ui/check_in_form.tsx";
import { Head } from "@/lib/web/render.tsx";
import Call from "@/islands/Call.tsx";
import { page } from "@/lib/web/page.ts";

/** The call page, or its first step: check-in, until it is done. */
type CallPage =
  & OpenVisit
  & (
    | { checkIn: CheckIn }
    | {
      checkIn: null;
      consent: Consent;
      values?: Record<string, string>;
      errors?: FieldErrors;
    }
  );

const NO_STORE = { "Cache-Control": "no-store" };

export const handler = define.handlers({
  async GET(ctx) {
    const { clinic } = ctx.state;
    const visit = await openVisitPage(clinic, ctx.params.token);
    ctx.state.patientPage = { language: visit.language };
    const checkIn = await visitCheckIn(clinic, visit.appointment.id);
    // The call itself: no site menu (the check-in form is an ordinary page).
    if (checkIn) ctx.state.inCall = true;
    const data: CallPage = checkIn ? { ...visit, checkIn } : {
      ...visit,
      checkIn: null,
      consent: await consentFor(clinic.config, visit.language),
    };
    return page(data, { headers: NO_STORE });
  },
  /** The check-in form; once checked in, the call itself. */
  async POST(ctx) {
    const { clinic } = ctx.state;
    const visit = await openVisitPage(clinic, ctx.params.token);
    ctx.state.patientPage = { language: visit.language };
    const form = await readForm(ctx.req);
    return await submitForm(
      form,
      checkInForm(visit.language),
      async (input) => {
        await checkInVisit(clinic, visit, input);
        // Back to this page, with its query (a browser test's `?relay=only`).
        return ctx.redirect(`/visit/${ctx.params.token}/call${ctx.url.search}`);
      },
      async (errors, status) => {
        // A consent the clinic changed meanwhile is to be read, not ticked.
        const values = errors.consent ? { ...form, consent: "" } : form;
        const data: CallPage = {
          ...visit,
          checkIn: null,
          consent: await consentFor(clinic.config, visit.language),
          values,
          errors,
        };
        return page(data, { status, headers: NO_STORE });
      },
    );
  },
});

export default define.page<typeof handler>(({ data, params, state }) => {
  const { clinicName, waitingRoomMessage } = state.clinic.config;
  const doctor = doctorLabel(data.doctor);
  const waiting = checkInText[data.language];
  if (data.checkIn === null) {
    return (
      <>
        <Head>
          <title>{waiting.title}</title>
          <meta name="robots" content="noindex" />
        </Head>
        <CheckInForm
          consent={data.consent}
          name={data.appointment.patientName}
          doctor={doctor}
          clinic={clinicName}
          values={data.values}
          errors={data.errors}
        />
      </>
    );
  }
  return (
    <>
      <Head>
        <title>{visitText[data.language].callTitle}</title>
        <meta name="robots" content="noindex" />
      </Head>
      <Call
        role="patient"
        ticketUrl={`/api/visits/${params.token}/ticket`}
        peerLabel={doctor}
        peerName={data.doctor.name}
        doneUrl={`/visit/${params.token}`}
        testHooks={state.clinic.config.callTestHooks}
        language={data.language}
        text={callText[data.language]}
        waiting={{
          clinicMessage: waitingRoomMessage
            ? {
              heading: fill(waiting.clinicMessage, { clinic: clinicName }),
              text: waitingRoomMessage[data.language],
            }
            : undefined,
          // The doctor's name now; the note's time when it comes.
          noteFrom: fill(waiting.noteFrom, { doctor }),
        }}
      />
    </>
  );
});
