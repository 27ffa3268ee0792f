/**
 * How sessions read: in words on the pages, as JSON in the API, as rows in
 * the CSV export. One place, so the three always agree.
 *
 * @module
 */
import { type Role, ROLES } from "@/lib/protocol/messages.ts";
import { average, type QualitySummary } from "./call_quality.ts";
import type { SessionReport } from "./close.ts";
import type { Note } from "./notes.ts";
import type { PatientContact } from "@/lib/clinic/patient_contact.ts";
import type { EndHow, Session, SessionSummary } from "./session.ts";

const iso = (ms: number | null) =>
  ms === null ? null : new Date(ms).toISOString();

export const END_WORDS: Record<EndHow, string> = {
  "doctor-ended": "Ended by the doctor",
  "both-left": "Everyone left",
  "timed-out": "Connection lost, not resumed",
};

export function statusWords(s: SessionSummary): string {
  if (s.status === "closed") return END_WORDS[s.endedHow!];
  const inCall = ROLES.filter((r) => s.participants[r].present);
  if (inCall.length === 2) return "In progress";
  if (inCall.length === 1) return `Open: ${inCall[0]} in the call`;
  return "Open: nobody in the call";
}

/** "23 min 5 s", "45 s", or "—" before it ends. */
export function durationWords(seconds: number | null): string {
  if (seconds === null) return "—";
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

function participantJson(s: SessionSummary, role: Role) {
  const p = s.participants[role];
  return {
    firstJoinedAt: iso(p.firstJoinedAt),
    lastJoinedAt: iso(p.lastJoinedAt),
    lastLeftAt: iso(p.lastLeftAt),
    lastLeaveReason: p.lastLeaveReason,
    joins: p.joins,
    reconnects: Math.max(p.joins - 1, 0),
    inCall: p.present,
  };
}

export function sessionSummaryJson(s: SessionSummary, publicUrl: string) {
  return {
    id: s.id,
    appointmentId: s.id,
    patient: { id: s.patientId, name: s.patientName },
    doctorId: s.doctorId,
    reason: s.reason,
    scheduledStart: iso(s.scheduledStart),
    scheduledMinutes: s.scheduledMinutes,
    status: s.status,
    openedAt: iso(s.openedAt),
    startedAt: iso(s.startedAt),
    endedAt: iso(s.endedAt),
    durationSeconds: s.durationSeconds,
    endedHow: s.endedHow,
    participants: {
      doctor: participantJson(s, "doctor"),
      patient: participantJson(s, "patient"),
    },
    reportUrl: `${publicUrl}/sessions/${s.id}`,
  };
}

export function sessionJson(s: Session, publicUrl: string) {
  return {
    ...sessionSummaryJson(s, publicUrl),
    timeline: s.timeline.map((e) => ({ ...e, at: iso(e.at) })),
  };
}

export function qualityJson(q: QualitySummary | null) {
  if (!q) return null;
  const round = (n: number | null) =>
    n === null ? null : Math.round(n * 10) / 10;
  return {
    samples: q.samples,
    ratings: q.ratings,
    rttMs: { average: round(average(q.rttMs)), worst: round(q.rttMs.max) },
    lossPercent: {
      average: round(average(q.lossPercent)),
      worst: round(q.lossPercent.max),
    },
    jitterMs: {
      average: round(average(q.jitterMs)),
      worst: round(q.jitterMs.max),
    },
    bitrateKbps: { average: round(average(q.bitrateKbps)) },
    relayed: q.relayed,
    from: iso(q.firstAt),
    to: iso(q.lastAt),
  };
}

export function noteJson(n: Note | null) {
  return n && {
    version: n.version,
    text: n.text,
    shared: n.shared,
    savedAt: iso(n.savedAt),
    savedBy: n.savedBy,
  };
}

export interface ChatEntry {
  from: Role;
  text: string;
  at: string;
}

export function reportJson(
  report: SessionReport,
  extra: {
    chat: ChatEntry[] | null;
    note: Note | null;
    publicUrl: string;
    contact: PatientContact;
  },
) {
  return {
    sessionId: report.sessionId,
    generatedAt: iso(report.generatedAt),
    session: sessionJson(report.session, extra.publicUrl),
    quality: {
      doctor: qualityJson(report.quality.doctor),
      patient: qualityJson(report.quality.patient),
    },
    chat: report.chatKept ? extra.chat : null,
    note: noteJson(extra.note),
    patientContact: {
      email: extra.contact.email ?? null,
      phone: extra.contact.phone ?? null,
    },
  };
}
