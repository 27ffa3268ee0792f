/**
 * The text of every mail the clinic sends, as pure functions of the facts:
 * to the patient, in the visit's language and time zone (invitation,
 * reminder, new time, cancellation), and to the doctor, in English (a
 * patient left waiting). Sending them is `lib/mail`'s other modules' work.
 *
 * Names, reasons and messages are typed by people: in a subject they are
 * one short line each (no value can add a header), in HTML they are escaped,
 * in plain text their line breaks are tidied. Mail travels through other
 * companies' servers, so the visit's reason is never written in it.
 *
 * @module
 */
import type { Appointment } from "@/lib/store/appointments.ts";
import type { Language } from "@/lib/i18n/languages.ts";
import { formatWhen } from "@/lib/i18n/dates.ts";
import { formatIn, formatSpan } from "@/lib/i18n/durations.ts";
import { doctorLabel } from "@/lib/clinic/doctor_label.ts";
import { common } from "@/lib/i18n/text/common.ts";
import { mail } from "@/lib/i18n/text/mail.ts";
import { type Translate, translator } from "@/lib/i18n/translate.ts";
import type { InviteMethod } from "@/lib/clinic/ics.ts";
import { type DoctorShown, patientEvent } from "@/lib/clinic/visit_invite.ts";
import { JOIN_OPENS_BEFORE_MS } from "@/lib/clinic/visit_window.ts";
import { oneLine, paragraphText, subjectLine } from "./clean.ts";
import {
  type Block,
  type Fact,
  type Layout,
  renderHtml,
  renderText,
} from "./layout.ts";

export interface VisitMailFacts {
  clinicName: string;
  clinicPhone?: string;
  clinicEmail?: string;
  doctor: { name: string; title?: string };
  patientName: string;
  appointment: Appointment;
  /** The visit link. */
  visitUrl: string;
  /** The effective ones: the visit's, else the clinic's. */
  language: Language;
  timeZone: string;
  /** The calendar event's UID: `${a.id}@${host of publicUrl}`. */
  icsUid: string;
  /** The calendar event's SEQUENCE; it rises on every change. */
  sequence: number;
}

export interface MailAttachment {
  filename: string;
  content: string;
  contentType: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachment[];
}

type PatientFacts = Omit<VisitMailFacts, "visitUrl"> & { visitUrl?: string };
type MailText = Translate<keyof typeof mail.en>;

/** The doctor's name and title, each one line. */
function shownDoctor(doctor: DoctorShown): DoctorShown {
  const title = doctor.title ? oneLine(doctor.title) : "";
  return { name: oneLine(doctor.name), ...(title ? { title } : {}) };
}

/** What every patient mail is built from, with people's text made safe. */
function prepare(f: PatientFacts) {
  const t: MailText = translator(mail, f.language);
  const clinic = oneLine(f.clinicName);
  const shown = shownDoctor(f.doctor);
  const doctorName = shown.name;
  const doctor = doctorLabel(shown);
  const a = f.appointment;
  return {
    t,
    clinic,
    doctorName,
    doctor,
    patient: oneLine(f.patientName),
    when: (ms: number) => formatWhen(ms, f.timeZone, f.language),
    length: formatSpan(a.durationMinutes * 60_000, f.language),
  };
}

type Prepared = ReturnType<typeof prepare>;

function visitFacts(p: Prepared, a: Appointment): Fact[] {
  return [
    { label: p.t("whenLabel"), value: p.when(a.startsAt) },
    { label: p.t("withLabel"), value: p.doctor },
    { label: p.t("lengthLabel"), value: p.length },
  ];
}

function joinLink(p: Prepared, url: string): Block {
  return {
    kind: "link",
    label: p.t("joinButton"),
    url,
    fallback: p.t("linkFallback"),
    note: p.t("linkPrivate"),
  };
}

function howToPrepare(p: Prepared): Block {
  return {
    kind: "list",
    heading: p.t("prepareHeading"),
    items: [
      p.t("prepareDevice"),
      p.t("preparePlace"),
      p.t("prepareConnection"),
      p.t("prepareEarly", { minutes: JOIN_OPENS_BEFORE_MS / 60_000 }),
      p.t("prepareWaiting"),
    ],
  };
}

/** The clinic's phone and email, each on its line, when set. */
function contactLines(f: PatientFacts): string[] {
  const c = translator(common, f.language);
  const phone = f.clinicPhone ? oneLine(f.clinicPhone) : "";
  const email = f.clinicEmail ? oneLine(f.clinicEmail) : "";
  return [
    ...(phone ? [c("phone", { phone })] : []),
    ...(email ? [c("email", { email })] : []),
  ];
}

/** Where questions go: the clinic's phone and email when set. */
function contactFoot(f: PatientFacts, p: Prepared): Block {
  const c = translator(common, f.language);
  const lines = contactLines(f);
  return {
    kind: "lines",
    lines: lines.length
      ? [c("contactIntro", { clinic: p.clinic }), ...lines]
      : [c("noContact", { clinic: p.clinic })],
  };
}

function signOff(p: Prepared): Block {
  return { kind: "lines", lines: [p.t("regards"), p.clinic] };
}

function patientMail(
  f: PatientFacts,
  p: Prepared,
  parts: {
    subject: string;
    heading: string;
    blocks: Block[];
    calendar?: InviteMethod;
  },
): RenderedMail {
  const layout: Layout = {
    language: f.language,
    clinicName: p.clinic,
    heading: parts.heading,
    title: parts.subject,
    blocks: [
      { kind: "paragraph", text: p.t("greeting", { name: p.patient }) },
      ...parts.blocks,
      signOff(p),
    ],
  };
  return {
    subject: parts.subject,
    text: renderText(layout),
    html: renderHtml(layout),
    attachments: parts.calendar ? [calendarFile(f, parts.calendar)] : [],
  };
}

/** The calendar event, to add, update (`REQUEST`) or remove (`CANCEL`). */
function calendarFile(f: PatientFacts, method: InviteMethod): MailAttachment {
  const a = f.appointment;
  const cancelled = method === "CANCEL";
  return {
    filename: "video-visit.ics",
    content: patientEvent({
      clinicName: oneLine(f.clinicName),
      ...(f.clinicEmail ? { clinicEmail: f.clinicEmail } : {}),
      doctor: shownDoctor(f.doctor),
      startsAt: a.startsAt,
      durationMinutes: a.durationMinutes,
      language: f.language,
      uid: f.icsUid,
      sequence: f.sequence,
      ...(cancelled ? {} : { visitUrl: f.visitUrl }),
      method,
      cancelled,
      // The version's own time, so the same facts give the same file.
      stampedAt: a.updatedAt,
    }),
    contentType: `text/calendar; charset=utf-8; method=${method}`,
  };
}

/** The first mail: the visit, its link, how to get ready, the calendar event. */
export function invitationMail(f: VisitMailFacts): RenderedMail {
  const p = prepare(f);
  const a = f.appointment;
  return patientMail(f, p, {
    subject: subjectLine(p.t("invitationSubject"), {
      doctor: p.doctorName,
      when: p.when(a.startsAt),
    }),
    heading: p.t("invitationHeading"),
    blocks: [
      { kind: "paragraph", text: p.t("invitationIntro", { clinic: p.clinic }) },
      { kind: "facts", rows: visitFacts(p, a) },
      { kind: "paragraph", text: p.t("invitationHow") },
      joinLink(p, f.visitUrl),
      howToPrepare(p),
      { kind: "paragraph", text: p.t("calendarAdd") },
      contactFoot(f, p),
    ],
    calendar: "REQUEST",
  });
}

/** A reminder `offsetMs` before the visit ("tomorrow", "in 1 hour"). */
export function reminderMail(
  f: VisitMailFacts,
  offsetMs: number,
): RenderedMail {
  const p = prepare(f);
  const a = f.appointment;
  const relative = formatIn(offsetMs, f.language);
  return patientMail(f, p, {
    subject: subjectLine(p.t("reminderSubject"), {
      doctor: p.doctorName,
      relative,
    }),
    heading: p.t("reminderHeading", { relative }),
    blocks: [
      {
        kind: "paragraph",
        text: p.t("reminderIntro", { clinic: p.clinic, relative }),
      },
      { kind: "facts", rows: visitFacts(p, a) },
      joinLink(p, f.visitUrl),
      howToPrepare(p),
      contactFoot(f, p),
    ],
  });
}

/** The visit moved: the old time struck, the new one, the doctor's message. */
export function rescheduledMail(
  f: VisitMailFacts,
  change: { previousStartsAt: number; message?: string },
): RenderedMail {
  const p = prepare(f);
  const a = f.appointment;
  const message = change.message ? paragraphText(change.message) : "";
  return patientMail(f, p, {
    subject: subjectLine(p.t("rescheduledSubject"), {
      when: p.when(a.startsAt),
    }),
    heading: p.t("rescheduledHeading"),
    blocks: [
      {
        kind: "paragraph",
        text: p.t("rescheduledIntro", { clinic: p.clinic }),
      },
      {
        kind: "facts",
        rows: [
          {
            label: p.t("previousTime"),
            value: p.when(change.previousStartsAt),
            struck: true,
          },
          { label: p.t("newTime"), value: p.when(a.startsAt) },
          { label: p.t("withLabel"), value: p.doctor },
          { label: p.t("lengthLabel"), value: p.length },
        ],
      },
      ...(message
        ? [{
          kind: "note" as const,
          label: p.t("doctorMessage", { doctor: p.doctorName }),
          text: message,
        }]
        : []),
      joinLink(p, f.visitUrl),
      howToPrepare(p),
      { kind: "paragraph", text: p.t("calendarUpdate") },
      contactFoot(f, p),
    ],
    calendar: "REQUEST",
  });
}

/** The visit is off: the doctor's reason, and how to book another. */
export function cancelledMail(
  f: Omit<VisitMailFacts, "visitUrl">,
  change: { reason?: string },
): RenderedMail {
  const p = prepare(f);
  const a = f.appointment;
  const reason = change.reason ? paragraphText(change.reason) : "";
  const contact = contactLines(f);
  return patientMail(f, p, {
    subject: subjectLine(p.t("cancelledSubject"), {
      when: p.when(a.startsAt),
    }),
    heading: p.t("cancelledHeading"),
    blocks: [
      {
        kind: "paragraph",
        text: p.t("cancelledIntro", { clinic: p.clinic }),
      },
      { kind: "facts", rows: visitFacts(p, a) },
      ...(reason
        ? [{
          kind: "note" as const,
          label: p.t("cancelledReason", { doctor: p.doctorName }),
          text: reason,
        }]
        : []),
      { kind: "paragraph", text: p.t("cancelledLink") },
      {
        kind: "lines",
        lines: contact.length
          ? [p.t("bookAgain", { clinic: p.clinic }), ...contact]
          : [p.t("bookAgainNoContact", { clinic: p.clinic })],
      },
      { kind: "paragraph", text: p.t("calendarRemove") },
    ],
    calendar: "CANCEL",
  });
}

export interface PatientWaitingFacts {
  clinicName: string;
  doctorName: string;
  patientName: string;
  waitedMs: number;
  /** The appointment's page for the doctor. */
  appointmentUrl: string;
  startsAt: number;
  /** The clinic's zone: the doctor's times are in it. */
  timeZone: string;
}

/**
 * To the doctor, in English like the rest of the doctor's side: a patient
 * has waited with nobody joining. The subject names no patient: it shows on
 * locked phones.
 */
export function patientWaitingMail(f: PatientWaitingFacts): RenderedMail {
  const clinic = oneLine(f.clinicName);
  const patient = oneLine(f.patientName);
  const waited = formatSpan(f.waitedMs, "en");
  const when = formatWhen(f.startsAt, f.timeZone, "en");
  const subject = subjectLine(
    "A patient has waited {waited} for your video visit",
    { waited },
  );
  const layout: Layout = {
    language: "en",
    clinicName: clinic,
    heading: "A patient is waiting",
    title: subject,
    blocks: [
      {
        kind: "paragraph",
        text: `Hello ${oneLine(f.doctorName)},`,
      },
      {
        kind: "paragraph",
        text:
          `${patient} has been in the waiting room for ${waited}, and nobody has joined the call yet.`,
      },
      {
        kind: "facts",
        rows: [
          { label: "Patient", value: patient },
          { label: "Visit", value: when },
          { label: "Waiting for", value: waited },
        ],
      },
      {
        kind: "link",
        label: "Open the appointment",
        url: f.appointmentUrl,
        fallback: "Or copy this link into your browser:",
      },
      {
        kind: "paragraph",
        text: `This notice was sent by ${clinic}'s video visits.`,
      },
    ],
  };
  return {
    subject,
    text: renderText(layout),
    html: renderHtml(layout),
    attachments: [],
  };
}
