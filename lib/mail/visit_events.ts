/**
 * What mail each change to a visit queues: a new visit its invitation and
 * reminders, a new time a notice and new reminders, a cancellation a notice,
 * a new visit link its readable copy for mail. Each function adds to the
 * atomic operation that makes the change, so the visit and its mail are
 * written together or not at all. With mail off (`config.mail === null`) or
 * a patient without an email, nothing is queued and no link is kept.
 *
 * @module
 */
import type { ClinicConfig } from "@/lib/config.ts";
import { windowEnd } from "@/lib/clinic/visit_window.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import { keys } from "@/lib/store/keys.ts";
import { getDoctor } from "@/lib/store/doctors.ts";
import { getPatient } from "@/lib/store/patients.ts";
import {
  isMailAddress,
  type MailMessage,
  queueMail,
  skipQueued,
} from "./outbox.ts";

/**
 * The visit link in readable form, for the mail that carries it; it expires
 * with the link (docs/security.md says why it is kept at all).
 */
function keepVisitToken(
  op: Deno.AtomicOperation,
  a: Appointment,
  token: string,
  now: number,
) {
  op.set(keys.mailVisitToken(a.id), token, {
    expireIn: Math.max(windowEnd(a) - now, 60_000),
  });
}

/** The visit link kept for mail, while it works. */
export async function visitTokenForMail(
  kv: Deno.Kv,
  appointmentId: string,
): Promise<string | null> {
  return (await kv.get<string>(keys.mailVisitToken(appointmentId))).value;
}

function queueReminders(
  config: ClinicConfig,
  op: Deno.AtomicOperation,
  a: Appointment,
  to: string,
  now: number,
) {
  for (const offsetMs of config.reminderOffsetsMs) {
    const dueAt = a.startsAt - offsetMs;
    if (dueAt <= now) continue;
    queueMail(op, {
      kind: "reminder",
      appointmentId: a.id,
      to,
      dueAt,
      offsetMs,
      forStartsAt: a.startsAt,
    }, now);
  }
}

/** A new visit: the invitation now, and each reminder still ahead. */
export function mailForNewVisit(
  config: ClinicConfig,
  op: Deno.AtomicOperation,
  a: Appointment,
  patientEmail: string | undefined,
  visitToken: string,
  now: number,
) {
  if (config.mail === null || !isMailAddress(patientEmail)) return;
  keepVisitToken(op, a, visitToken, now);
  queueMail(op, {
    kind: "invitation",
    appointmentId: a.id,
    to: patientEmail,
    dueAt: now,
  }, now);
  queueReminders(config, op, a, patientEmail, now);
}

/** What the doctor changed, as mail needs to know it. */
export type VisitMailChange =
  | { kind: "rescheduled"; message?: string }
  | { kind: "cancelled"; reason?: string }
  | { kind: "link"; visitToken: string };

/** The patient's email if mail is on and it is a checked address. */
async function patientAddress(
  kv: Deno.Kv,
  config: ClinicConfig,
  a: Appointment,
): Promise<string | null> {
  if (config.mail === null) return null;
  const email = (await getPatient(kv, a.patientId))?.email;
  return isMailAddress(email) ? email : null;
}

/**
 * Adds to the operation that changes the visit from `before` to `after`
 * what mail the change calls for.
 */
export async function mailForChange(
  kv: Deno.Kv,
  config: ClinicConfig,
  op: Deno.AtomicOperation,
  before: Appointment,
  after: Appointment,
  change: VisitMailChange,
  now: number,
) {
  const to = await patientAddress(kv, config, after);
  const base = { appointmentId: after.id, dueAt: now };
  switch (change.kind) {
    case "link":
      if (to) keepVisitToken(op, after, change.visitToken, now);
      else op.delete(keys.mailVisitToken(after.id));
      return;
    case "cancelled":
      op.delete(keys.mailVisitToken(after.id));
      // Cancelling twice tells the patient once.
      if (to && before.status === "scheduled") {
        queueMail(op, {
          ...base,
          kind: "cancelled",
          to,
          ...(change.reason ? { note: change.reason } : {}),
        }, now);
      }
      return;
    case "rescheduled": {
      const moved = before.startsAt !== after.startsAt;
      const retimed = moved || before.durationMinutes !== after.durationMinutes;
      if (retimed) {
        // The kept link now expires with the new visit window.
        const token = await visitTokenForMail(kv, after.id);
        if (token !== null) keepVisitToken(op, after, token, now);
      }
      if (!to) return;
      if (moved) queueReminders(config, op, after, to, now);
      if (retimed || change.message) {
        queueMail(op, {
          ...base,
          kind: "rescheduled",
          to,
          previousStartsAt: before.startsAt,
          ...(change.message ? { note: change.message } : {}),
        }, now);
      }
      return;
    }
  }
}

/**
 * After the change is saved: queued messages it made pointless are marked
 * skipped (reminders of the old time; everything but the notice of a
 * cancelled visit). Were this step lost in a crash, the sender would skip
 * them anyway: it reads the visit again before sending.
 */
export async function skipSuperseded(kv: Deno.Kv, after: Appointment) {
  if (after.status === "cancelled") {
    await skipQueued(
      kv,
      after.id,
      (m) => m.kind !== "cancelled",
      "The visit was cancelled.",
    );
    return;
  }
  await skipQueued(
    kv,
    after.id,
    (m: MailMessage) =>
      m.kind === "reminder" && m.forStartsAt !== after.startsAt,
    "The visit was moved; a reminder for the new time replaces it.",
  );
}

/**
 * A patient came into the waiting room and found nobody: the doctor is told
 * by mail if nobody joins within `waitingNoticeMs`. Once per visit, however
 * often the patient comes back; the sender skips it if the doctor joined or
 * the patient left by then.
 */
export async function mailIfNobodyJoins(
  kv: Deno.Kv,
  config: ClinicConfig,
  a: Appointment,
  since: number,
  now = Date.now(),
) {
  if (config.mail === null) return;
  const marker = keys.mailWaitingNotice(a.id);
  if ((await kv.get(marker)).versionstamp !== null) return;
  const doctor = await getDoctor(kv, a.doctorId);
  if (!doctor || !isMailAddress(doctor.email)) return;
  const op = kv.atomic()
    .check({ key: marker, versionstamp: null })
    .set(marker, since, { expireIn: Math.max(windowEnd(a) - now, 60_000) });
  queueMail(op, {
    kind: "patient_waiting",
    appointmentId: a.id,
    to: doctor.email,
    dueAt: since + config.waitingNoticeMs,
    waitingSince: since,
  }, now);
  // Refused when another server queued it first: once is enough.
  await op.commit();
}
