/**
 * A visit's mail as the doctor sees and acts on it: the messages and their
 * status, and "Send invitation again".
 *
 * @module
 */
import type { Clinic } from "@/lib/config.ts";
import { HttpError } from "@/lib/http/errors.ts";
import {
  isMailAddress,
  type MailMessage,
  mailOfAppointment,
  queueMail,
} from "@/lib/mail/outbox.ts";
import { visitTokenForMail } from "@/lib/mail/visit_events.ts";
import {
  type ActionLimit,
  countAction,
  retryAfter,
} from "@/lib/store/action_limits.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import type { Doctor } from "@/lib/store/doctors.ts";
import { keys } from "@/lib/store/keys.ts";
import { getPatient } from "@/lib/store/patients.ts";
import { doctorsAppointment } from "./scheduling.ts";
import { actionRefusal, type VisitLifecycle } from "./visit_lifecycle.ts";
import { joinState } from "./visit_window.ts";

/** Whether "Send invitation again" can work for this visit now. */
export async function canResendInvitation(
  clinic: Clinic,
  a: Appointment,
  lifecycle: VisitLifecycle,
  now = Date.now(),
): Promise<boolean> {
  return (await resendRefusal(clinic, a, lifecycle, now)) === null;
}

async function resendRefusal(
  clinic: Clinic,
  a: Appointment,
  lifecycle: VisitLifecycle,
  now: number,
): Promise<HttpError | null> {
  if (clinic.config.mail === null) {
    return new HttpError(
      409,
      "mail_off",
      "Mail is off: this clinic sends no email.",
    );
  }
  const refused = actionRefusal(lifecycle, "send-invitation");
  if (a.status !== "scheduled" || joinState(a, now) === "over" || refused) {
    return new HttpError(
      409,
      "not_scheduled",
      refused?.message ?? "This visit is cancelled or over.",
    );
  }
  const email = (await getPatient(clinic.kv, a.patientId))?.email;
  if (!isMailAddress(email)) {
    return new HttpError(409, "no_email", "The patient has no email address.");
  }
  if (await visitTokenForMail(clinic.kv, a.id) === null) {
    return new HttpError(
      409,
      "no_link",
      "No visit link is kept for mail (the visit was booked while mail was off): issue a new visit link first.",
    );
  }
  return null;
}

/**
 * "Send invitation again" is a mail in the patient's inbox at every click:
 * a few a day per visit are enough for a patient who lost it, and no more
 * go, whoever clicks (a doctor tricked into it, or a stolen sign-in).
 */
export const INVITATION_AGAIN: ActionLimit = {
  action: "invitation_again",
  limit: 5,
  windowMs: 24 * 3_600_000,
};

/**
 * Queues the invitation again, to go at once; answers the new message.
 * `stateOf` tells where the visit stands (only a visit whose link still
 * opens it is invited again).
 */
export async function resendInvitation(
  clinic: Clinic,
  doctor: Doctor,
  id: string,
  stateOf: (a: Appointment) => Promise<VisitLifecycle>,
  now = Date.now(),
): Promise<MailMessage> {
  const { value: a, version } = await doctorsAppointment(clinic, doctor, id);
  const refusal = await resendRefusal(clinic, a, await stateOf(a), now);
  if (refusal) throw refusal;
  const email = (await getPatient(clinic.kv, a.patientId))!.email!;
  const op = clinic.kv.atomic()
    .check({ key: keys.appointment(a.id), versionstamp: version });
  const wait = await countAction(clinic.kv, op, INVITATION_AGAIN, a.id, now);
  if (wait !== null) {
    throw new HttpError(
      429,
      "too_many_invitations",
      `The invitation has been sent again ${INVITATION_AGAIN.limit} times in a day; try again later.`,
    ).withHeaders(retryAfter(wait));
  }
  const message = queueMail(op, {
    kind: "invitation",
    appointmentId: a.id,
    to: email,
    dueAt: now,
  }, now);
  if (!(await op.commit()).ok) {
    throw new HttpError(
      409,
      "conflict",
      "The visit changed meanwhile; try again.",
    );
  }
  return message;
}

/** A visit's messages for the doctor, newest first. */
export async function visitMessages(
  clinic: Clinic,
  appointmentId: string,
): Promise<MailMessage[]> {
  return (await mailOfAppointment(clinic.kv, appointmentId)).reverse();
}

/** A message in the API's JSON. */
export function mailJson(m: MailMessage) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: m.id,
    kind: m.kind,
    to: m.to,
    status: m.status,
    ...(m.reason ? { reason: m.reason } : {}),
    ...(m.lastError ? { lastError: m.lastError } : {}),
    attempts: m.attempts,
    createdAt: iso(m.createdAt),
    dueAt: iso(m.dueAt),
    ...(m.status === "queued" ? { nextAttemptAt: iso(m.nextAttemptAt) } : {}),
    ...(m.sentAt ? { sentAt: iso(m.sentAt) } : {}),
  };
}
