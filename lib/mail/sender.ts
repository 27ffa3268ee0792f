/**
 * Sending what is due: a sweep takes each due message by its claim, reads
 * the visit again as it now stands (a cancelled, moved or past visit gets no
 * reminder: the message is skipped, with the reason), renders it in the
 * patient's language, sends it and records how that went.
 *
 * @module
 */
import type { Clinic } from "@/lib/config.ts";
import { windowEnd } from "@/lib/clinic/visit_window.ts";
import { log } from "@/lib/log.ts";
import { readSession } from "@/lib/sessions/session.ts";
import { type Appointment, getAppointment } from "@/lib/store/appointments.ts";
import { getDoctor } from "@/lib/store/doctors.ts";
import {
  cancelledMail,
  invitationMail,
  patientWaitingMail,
  reminderMail,
  type RenderedMail,
  rescheduledMail,
} from "./messages.ts";
import {
  claimMail,
  dueMail,
  finishMail,
  isMailAddress,
  type MailMessage,
  type MailOutcome,
  RETRY_DELAYS_MS,
} from "./outbox.ts";
import { describeSendError, type MailTransport } from "./transport.ts";
import { visitTokenForMail } from "./visit_events.ts";
import { visitMailFacts } from "./visit_facts.ts";

/**
 * How long a claim holds: longer than the worst try (three SMTP steps of
 * 10 s each), so a message is retaken only from a server that died.
 */
export const CLAIM_MS = 2 * 60_000;

export interface SweepOptions {
  /** This server's name in claims. */
  server: string;
  /** Retry delays; the built-in ones unless a test shortens them. */
  retryDelaysMs?: readonly number[];
  /** Stop taking messages (the server is stopping). */
  stopping?: () => boolean;
  now?: () => number;
}

/** A message rendered, or why it is not sent. */
type Rendered = { mail: RenderedMail } | { skip: string };

/**
 * Sends every message due now; answers how many were handled. Messages
 * that fail to send stay queued for a later sweep.
 */
export async function sweepOutbox(
  clinic: Clinic,
  transport: MailTransport,
  options: SweepOptions,
): Promise<number> {
  const now = options.now ?? Date.now;
  let handled = 0;
  for (let round = 0; round < 20; round++) {
    const ids = await dueMail(clinic.kv, now());
    if (ids.length === 0) break;
    let claimedAny = false;
    for (const id of ids) {
      if (options.stopping?.()) return handled;
      const claimed = await claimMail(
        clinic.kv,
        id,
        options.server,
        now(),
        CLAIM_MS,
      );
      if (!claimed) continue;
      claimedAny = true;
      const outcome = await attempt(clinic, transport, claimed.message, now());
      const done = await finishMail(
        clinic.kv,
        claimed,
        outcome,
        now(),
        options.retryDelaysMs ?? RETRY_DELAYS_MS,
      );
      handled++;
      log.info("mail.try", {
        mail: id,
        kind: claimed.message.kind,
        status: done?.status ?? "claim lost",
        ...(outcome.kind === "failed" ? { error: outcome.error } : {}),
      });
    }
    // What is listed but could not be claimed is another server's now.
    if (!claimedAny) break;
  }
  return handled;
}

/** One try at one message: render it from the visit as it is, and send it. */
async function attempt(
  clinic: Clinic,
  transport: MailTransport,
  m: MailMessage,
  now: number,
): Promise<MailOutcome> {
  let rendered: Rendered;
  try {
    rendered = await render(clinic, m, now);
  } catch (error) {
    return { kind: "failed", error: `Could not be written: ${error}` };
  }
  if ("skip" in rendered) return { kind: "skipped", reason: rendered.skip };
  if (!isMailAddress(m.to)) {
    return { kind: "skipped", reason: "The address is not valid." };
  }
  try {
    await transport.send({ to: m.to, ...rendered.mail });
    return { kind: "sent" };
  } catch (error) {
    return {
      kind: "failed",
      error: describeSendError(error, clinic.config.mail!),
    };
  }
}

async function render(
  clinic: Clinic,
  m: MailMessage,
  now: number,
): Promise<Rendered> {
  const a = (await getAppointment(clinic.kv, m.appointmentId))?.value;
  if (!a) return { skip: "The visit no longer exists." };
  if (m.kind === "patient_waiting") return await waitingNotice(clinic, m, a);
  const facts = await visitMailFacts(clinic, a);
  if (m.kind === "cancelled") {
    return { mail: cancelledMail(facts, { reason: m.note }) };
  }
  if (a.status === "cancelled") return { skip: "The visit was cancelled." };
  if (now >= windowEnd(a)) return { skip: "The visit is over." };
  if (m.kind === "reminder") {
    if (m.forStartsAt !== a.startsAt) {
      return {
        skip: "The visit was moved; a reminder for the new time replaces it.",
      };
    }
    if (now >= a.startsAt) return { skip: "The visit had already started." };
  }
  const token = await visitTokenForMail(clinic.kv, a.id);
  if (token === null) {
    return {
      skip:
        "No visit link is kept for mail (the visit was booked while mail was off); issue a new visit link, then send the invitation again.",
    };
  }
  const full = {
    ...facts,
    visitUrl: `${clinic.config.publicUrl}/visit/${token}`,
  };
  switch (m.kind) {
    case "invitation":
      return { mail: invitationMail(full) };
    case "reminder":
      return { mail: reminderMail(full, m.offsetMs ?? 0) };
    case "rescheduled":
      return {
        mail: rescheduledMail(full, {
          previousStartsAt: m.previousStartsAt ?? a.startsAt,
          ...(m.note ? { message: m.note } : {}),
        }),
      };
  }
}

/** The doctor's notice, unless the doctor came or the patient left meanwhile. */
async function waitingNotice(
  clinic: Clinic,
  m: MailMessage,
  a: Appointment,
): Promise<Rendered> {
  if (a.status === "cancelled") return { skip: "The visit was cancelled." };
  const session = (await readSession(clinic.kv, a.id))?.session;
  const since = m.waitingSince ?? m.createdAt;
  if (!session || session.status === "closed") {
    return { skip: "The call had ended." };
  }
  const doctorCame = session.participants.doctor.lastJoinedAt;
  if (doctorCame !== null && doctorCame >= since) {
    return { skip: "The doctor joined." };
  }
  if (!session.participants.patient.present) {
    return { skip: "The patient left." };
  }
  const doctor = await getDoctor(clinic.kv, a.doctorId);
  if (!doctor) return { skip: "The doctor's account no longer exists." };
  if (m.to !== doctor.email) return { skip: "The doctor's email changed." };
  return {
    mail: patientWaitingMail({
      clinicName: clinic.config.clinicName,
      doctorName: doctor.name,
      patientName: a.patientName,
      waitedMs: Date.now() - since,
      appointmentUrl: `${clinic.config.publicUrl}/appointments/${a.id}`,
      startsAt: a.startsAt,
      timeZone: clinic.config.timeZone,
    }),
  };
}
