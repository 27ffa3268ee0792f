/**
 * The calendar invite of a visit: attached to the patient's mail (in their
 * language, as a request to add, update or remove the event) and offered
 * for download to the doctor and the patient.
 *
 * @module
 */
import type { Clinic } from "@/lib/config.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import type { Language } from "@/lib/i18n/languages.ts";
import { mail } from "@/lib/i18n/text/mail.ts";
import { translator } from "@/lib/i18n/translate.ts";
import { calendarInvite, type InviteMethod, MAX_SEQUENCE } from "./ics.ts";
import { doctorLabel } from "./doctor_label.ts";

/** A doctor as patients see them: a name, and a title if they set one. */
export interface DoctorShown {
  name: string;
  title?: string;
}

/** The event's UID: the same for every version of one visit, never reused. */
export function inviteUid(clinic: Clinic, a: Appointment): string {
  return `${a.id}@${new URL(clinic.config.publicUrl).host}`;
}

/**
 * The event's SEQUENCE for the appointment as it now stands: whole seconds
 * between its creation and its last change, so every saved change (a new
 * time, a cancellation) gives a higher number without a counter of its own.
 * Two changes within one second share a number; calendars then keep the
 * one with the later DTSTAMP (RFC 5546 2.1.5).
 */
export function inviteSequence(a: Appointment): number {
  const seconds = Math.floor((a.updatedAt - a.createdAt) / 1000);
  return Math.min(Math.max(seconds, 0), MAX_SEQUENCE);
}

/** What the patient's calendar event says, in their language. */
export interface PatientEventFacts {
  clinicName: string;
  /** The event's organizer, when the clinic has an address. */
  clinicEmail?: string;
  doctor: DoctorShown;
  startsAt: number;
  durationMinutes: number;
  language: Language;
  uid: string;
  sequence: number;
  /** The visit link; none once the visit is cancelled. */
  visitUrl?: string;
  method: InviteMethod;
  cancelled: boolean;
  /** DTSTAMP: when this version of the event was made. */
  stampedAt: number;
}

/**
 * The patient's event. Like every invite it leaves the clinic, so it names
 * only the clinic and the patient's own doctor: no patient, no reason.
 */
export function patientEvent(f: PatientEventFacts): string {
  const t = translator(mail, f.language);
  const doctor = doctorLabel(f.doctor);
  const live = !f.cancelled && f.visitUrl !== undefined;
  return calendarInvite({
    uid: f.uid,
    startsAt: f.startsAt,
    durationMinutes: f.durationMinutes,
    summary: t(f.cancelled ? "icsCancelledSummary" : "icsSummary", { doctor }),
    description: live
      ? t("icsDescription", { clinic: f.clinicName, url: f.visitUrl! })
      : t("icsCancelledDescription", { clinic: f.clinicName }),
    ...(live ? { url: f.visitUrl } : {}),
    now: f.stampedAt,
    method: f.method,
    sequence: f.sequence,
    cancelled: f.cancelled,
    ...(f.method !== "PUBLISH" && f.clinicEmail
      ? { organizer: { name: f.clinicName, email: f.clinicEmail } }
      : {}),
  });
}

function calendarResponse(body: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'attachment; filename="video-visit.ics"',
      "Cache-Control": "no-store",
    },
  });
}

/** The patient's download, in the visit's language. */
export function patientInviteResponse(
  clinic: Clinic,
  a: Appointment,
  opts: { doctor: DoctorShown; url: string },
): Response {
  return calendarResponse(patientEvent({
    clinicName: clinic.config.clinicName,
    doctor: opts.doctor,
    startsAt: a.startsAt,
    durationMinutes: a.durationMinutes,
    language: a.language ?? clinic.config.language,
    uid: inviteUid(clinic, a),
    sequence: inviteSequence(a),
    visitUrl: opts.url,
    method: "PUBLISH",
    cancelled: a.status === "cancelled",
    stampedAt: Date.now(),
  }));
}

/** The doctor's download: in English, like the rest of the doctor's pages. */
export function doctorInviteResponse(
  clinic: Clinic,
  a: Appointment,
  opts: { summary: string; url: string },
): Response {
  const cancelled = a.status === "cancelled";
  return calendarResponse(calendarInvite({
    uid: inviteUid(clinic, a),
    startsAt: a.startsAt,
    durationMinutes: a.durationMinutes,
    summary: cancelled ? `Cancelled: ${opts.summary}` : opts.summary,
    description:
      `Video visit with ${clinic.config.clinicName}. Open ${opts.url} to ${
        cancelled ? "see it" : "join"
      }.`,
    url: opts.url,
    sequence: inviteSequence(a),
    cancelled,
  }));
}
