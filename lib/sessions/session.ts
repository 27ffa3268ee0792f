/**
 * A session: the record of one visit's call, written as the call happens.
 * The signaling server records every join, rejoin and leave in it the moment
 * it happens; the session's id is its appointment's id (a visit has one call).
 *
 * Every write is one atomic operation on the record, its three history
 * indexes (by doctor, by doctor and patient, by patient) and its audit entry,
 * checked against the version it read, so concurrent writers lose nothing.
 *
 * @module
 */
import { z } from "zod";
import { otherRole, type Role, ROLES } from "@/lib/protocol/messages.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import { type Actor, auditIn, type NewAuditEntry } from "@/lib/store/audit.ts";
import { keys } from "@/lib/store/keys.ts";

/** How a call ended: the doctor ended it, everyone left, or connections were lost. */
export const END_HOW = ["doctor-ended", "both-left", "timed-out"] as const;
export type EndHow = typeof END_HOW[number];

export const LEAVE_REASONS = [
  "left",
  "disconnected",
  "timeout",
  "ended",
] as const;
export type SessionLeaveReason = typeof LEAVE_REASONS[number];

const participantSchema = z.object({
  firstJoinedAt: z.number().nullable(),
  lastJoinedAt: z.number().nullable(),
  lastLeftAt: z.number().nullable(),
  lastLeaveReason: z.enum(LEAVE_REASONS).nullable(),
  /** Every join of this participant; all but the first are reconnects. */
  joins: z.number(),
  present: z.boolean(),
});
export type Participant = z.infer<typeof participantSchema>;

const timelineEventSchema = z.object({
  at: z.number(),
  role: z.enum(ROLES),
  kind: z.enum(["joined", "rejoined", "left"]),
  reason: z.enum(LEAVE_REASONS).optional(),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

const summaryShape = {
  id: z.string(),
  doctorId: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  reason: z.string(),
  scheduledStart: z.number(),
  scheduledMinutes: z.number(),
  status: z.enum(["open", "closed"]),
  /** The first join: the session exists from then. */
  openedAt: z.number(),
  /** When both participants were first in the call together. */
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  /** From `startedAt` to `endedAt`; 0 if the two never met. */
  durationSeconds: z.number().nullable(),
  endedHow: z.enum(END_HOW).nullable(),
  participants: z.object({
    doctor: participantSchema,
    patient: participantSchema,
  }),
  updatedAt: z.number(),
};

/** What the history listings hold: everything but the timeline. */
export const sessionSummarySchema = z.object(summaryShape);
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

export const sessionSchema = z.object({
  ...summaryShape,
  timeline: z.array(timelineEventSchema),
});
export type Session = z.infer<typeof sessionSchema>;

/** Enough for a day of reconnecting phones; the oldest go first. */
const MAX_TIMELINE = 200;

export function summaryOf(session: Session): SessionSummary {
  const { timeline: _, ...summary } = session;
  return summary;
}

export function actorFor(session: SessionSummary, role: Role): Actor {
  return role === "doctor"
    ? { kind: "doctor", id: session.doctorId }
    : { kind: "patient", id: session.patientId };
}

function addEvent(session: Session, event: TimelineEvent) {
  session.timeline = [...session.timeline, event].slice(-MAX_TIMELINE);
}

const noOne = (): Participant => ({
  firstJoinedAt: null,
  lastJoinedAt: null,
  lastLeftAt: null,
  lastLeaveReason: null,
  joins: 0,
  present: false,
});

function newSession(a: Appointment, now: number): Session {
  return {
    id: a.id,
    doctorId: a.doctorId,
    patientId: a.patientId,
    patientName: a.patientName,
    reason: a.reason,
    scheduledStart: a.startsAt,
    scheduledMinutes: a.durationMinutes,
    status: "open",
    openedAt: now,
    startedAt: null,
    endedAt: null,
    durationSeconds: null,
    endedHow: null,
    participants: { doctor: noOne(), patient: noOne() },
    timeline: [],
    updatedAt: now,
  };
}

export interface VersionedSession {
  session: Session;
  /** The versionstamp it was read at; `null` if not stored yet. */
  version: string | null;
}

export async function readSession(
  kv: Deno.Kv,
  id: string,
): Promise<VersionedSession | null> {
  const entry = await kv.get(keys.session(id));
  if (entry.value === null) return null;
  return {
    session: sessionSchema.parse(entry.value),
    version: entry.versionstamp,
  };
}

/**
 * An atomic write of the session as it now is, checked against the version
 * it was read at; the caller adds anything else that must go with it.
 */
export function writeSession(
  kv: Deno.Kv,
  read: VersionedSession,
  next: Session,
  entry?: NewAuditEntry,
): Deno.AtomicOperation {
  const summary = summaryOf(next);
  const op = kv.atomic()
    .check({ key: keys.session(next.id), versionstamp: read.version })
    .set(keys.session(next.id), next)
    .set(keys.sessionByDoctor(next.doctorId, next.openedAt, next.id), summary)
    .set(
      keys.sessionByDoctorPatient(
        next.doctorId,
        next.patientId,
        next.openedAt,
        next.id,
      ),
      summary,
    )
    .set(
      keys.sessionByPatient(next.patientId, next.openedAt, next.id),
      summary,
    );
  if (entry) auditIn(op, entry);
  return op;
}

/**
 * Records a participant entering the call (the session begins with the
 * first). Answers the session, or `null` if it is already closed: the call
 * must not let them in.
 */
export async function recordJoin(
  kv: Deno.Kv,
  appointment: Appointment,
  role: Role,
  now = Date.now(),
): Promise<Session | null> {
  while (true) {
    const read = await readSession(kv, appointment.id) ??
      { session: newSession(appointment, now), version: null };
    if (read.session.status === "closed") return null;
    const next = structuredClone(read.session);
    const me = next.participants[role];
    const kind = me.joins === 0 ? "joined" : "rejoined";
    me.joins += 1;
    me.firstJoinedAt ??= now;
    me.lastJoinedAt = now;
    me.present = true;
    if (next.startedAt === null && next.participants[otherRole(role)].present) {
      next.startedAt = now;
    }
    next.updatedAt = now;
    addEvent(next, { at: now, role, kind });
    const result = await writeSession(kv, read, next, {
      actor: actorFor(next, role),
      action: "call.joined",
      subject: next.id,
      ...(kind === "rejoined" ? { detail: "rejoined" } : {}),
      at: now,
    }).commit();
    if (result.ok) return next;
  }
}

/** Records a participant leaving the call; nothing if it is closed. */
export async function recordLeave(
  kv: Deno.Kv,
  sessionId: string,
  role: Role,
  reason: Exclude<SessionLeaveReason, "ended">,
  now = Date.now(),
): Promise<void> {
  while (true) {
    const read = await readSession(kv, sessionId);
    if (!read || read.session.status === "closed") return;
    const next = structuredClone(read.session);
    const me = next.participants[role];
    if (!me.present) return;
    me.present = false;
    me.lastLeftAt = now;
    me.lastLeaveReason = reason;
    next.updatedAt = now;
    addEvent(next, { at: now, role, kind: "left", reason });
    const result = await writeSession(kv, read, next, {
      actor: actorFor(next, role),
      action: "call.left",
      subject: next.id,
      detail: reason,
      at: now,
    }).commit();
    if (result.ok) return;
  }
}
