/**
 * Closing a session and writing its report, exactly once.
 *
 * A session closes when the doctor ends the visit (from the call or the
 * API), or by itself once everyone has gone and the grace period has passed
 * without them coming back. That second case needs no timer or queue: any
 * read of the session (its page, the API, a history listing, a join) settles
 * it first.
 *
 * @module
 */
import type { ClinicConfig } from "@/lib/config.ts";
import { type Role, ROLES } from "@/lib/protocol/messages.ts";
import type { Actor } from "@/lib/store/audit.ts";
import { keys } from "@/lib/store/keys.ts";
import { type QualitySummary, readQuality } from "./call_quality.ts";
import {
  type EndHow,
  readSession,
  type Session,
  type SessionSummary,
  writeSession,
} from "./session.ts";

/** The facts of a closed session as they stood when it closed. */
export interface SessionReport {
  sessionId: string;
  generatedAt: number;
  session: Session;
  quality: Record<Role, QualitySummary | null>;
  /** Whether the clinic keeps chat: the transcript is then part of the report. */
  chatKept: boolean;
}

export interface Closed {
  session: Session;
  report: SessionReport;
  /** This call closed it (a second close finds it closed and changes nothing). */
  first: boolean;
}

/** Asks whether a participant still has a live connection to the call. */
export interface Liveness {
  member(roomId: string, role: Role): Promise<unknown | null>;
}

export interface CloseRequest {
  how: EndHow;
  /** When it ended: now, or when the last participant went. */
  at: number;
  actor: Actor;
  endedBy: Role | null;
}

/** Closes the session and writes its report; idempotent. */
export async function closeSession(
  kv: Deno.Kv,
  config: ClinicConfig,
  id: string,
  request: CloseRequest,
  now = Date.now(),
): Promise<Closed | null> {
  while (true) {
    const read = await readSession(kv, id);
    if (!read) return null;
    if (read.session.status === "closed") {
      const report = await readReport(kv, id);
      if (report) return { session: read.session, report, first: false };
      // The record and its report are written together; keep reading.
      continue;
    }
    const next = structuredClone(read.session);
    const endedAt = Math.max(request.at, next.openedAt);
    for (const role of ROLES) {
      const p = next.participants[role];
      if (!p.present) continue;
      p.present = false;
      p.lastLeftAt = endedAt;
      p.lastLeaveReason = "ended";
      next.timeline.push({ at: endedAt, role, kind: "left", reason: "ended" });
    }
    next.status = "closed";
    next.endedAt = endedAt;
    next.endedHow = request.how;
    next.durationSeconds = next.startedAt === null
      ? 0
      : Math.round((endedAt - next.startedAt) / 1000);
    next.updatedAt = now;
    const report: SessionReport = {
      sessionId: id,
      generatedAt: now,
      session: next,
      quality: await readQuality(kv, id),
      chatKept: config.chatKept === "report",
    };
    const result = await writeSession(kv, read, next, {
      actor: request.actor,
      action: "session.ended",
      subject: id,
      detail: request.how,
      at: now,
    })
      .check({ key: keys.sessionReport(id), versionstamp: null })
      .set(keys.sessionReport(id), report)
      .set(keys.roomEnded(id), { by: request.endedBy, at: endedAt })
      .commit();
    if (result.ok) return { session: next, report, first: true };
  }
}

/** The visit's doctor ends it now (from the call, a page or the API). */
export function endByDoctor(
  kv: Deno.Kv,
  config: ClinicConfig,
  id: string,
  doctorId: string,
  now = Date.now(),
): Promise<Closed | null> {
  return closeSession(kv, config, id, {
    how: "doctor-ended",
    at: now,
    actor: { kind: "doctor", id: doctorId },
    endedBy: "doctor",
  }, now);
}

export async function readReport(
  kv: Deno.Kv,
  id: string,
): Promise<SessionReport | null> {
  return (await kv.get<SessionReport>(keys.sessionReport(id))).value;
}

/**
 * When everyone had gone, if everyone has: a participant the record shows
 * present but with no live connection (their server stopped) counts as
 * gone since the record last changed.
 */
async function goneSince(
  session: SessionSummary,
  live: Liveness,
): Promise<number | null> {
  let last = session.openedAt;
  for (const role of ROLES) {
    const p = session.participants[role];
    if (p.present) {
      if (await live.member(session.id, role)) return null;
      last = Math.max(last, session.updatedAt);
    } else if (p.lastLeftAt !== null) {
      last = Math.max(last, p.lastLeftAt);
    }
  }
  return last;
}

/** Everyone who came left on purpose: "both left"; otherwise "timed out". */
function howItEnded(session: SessionSummary): EndHow {
  const cameAndLeft = ROLES.filter((role) =>
    session.participants[role].joins > 0
  );
  return cameAndLeft.every((role) =>
      !session.participants[role].present &&
      session.participants[role].lastLeaveReason === "left"
    )
    ? "both-left"
    : "timed-out";
}

/**
 * The session as it stands now: if everyone has been gone for longer than
 * the grace period, it is closed first (at the moment the last one went).
 */
export async function settle<S extends SessionSummary>(
  kv: Deno.Kv,
  config: ClinicConfig,
  live: Liveness,
  session: S,
  now = Date.now(),
): Promise<S | Session> {
  if (session.status === "closed") return session;
  const since = await goneSince(session, live);
  if (since === null || now - since < config.callCloseGraceMs) return session;
  const closed = await closeSession(kv, config, session.id, {
    how: howItEnded(session),
    at: since,
    actor: { kind: "system" },
    endedBy: null,
  }, now);
  return closed?.session ?? session;
}

/** The session of a visit, settled; `null` if its call never began. */
export async function currentSession(
  kv: Deno.Kv,
  config: ClinicConfig,
  live: Liveness,
  id: string,
  now = Date.now(),
): Promise<Session | null> {
  const found = await readSession(kv, id);
  return found ? await settle(kv, config, live, found.session, now) : null;
}

/**
 * Whether a visit's call is over for good (ended by the doctor, or left by
 * everyone longer than the grace period), for the patient's pages.
 */
export async function callEnded(
  kv: Deno.Kv,
  config: ClinicConfig,
  live: Liveness,
  id: string,
  now = Date.now(),
): Promise<boolean> {
  return (await currentSession(kv, config, live, id, now))?.status ===
    "closed";
}
