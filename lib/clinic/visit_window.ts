/**
 * When a visit can be joined. The "Join call" button opens 10 minutes before
 * the start; the visit window (and so the visit link) lasts until 30 minutes
 * after the scheduled end, so a visit that runs late is not cut off.
 *
 * @module
 */

export const JOIN_OPENS_BEFORE_MS = 10 * 60_000;
export const OVERRUN_MS = 30 * 60_000;

export interface Timed {
  startsAt: number;
  durationMinutes: number;
}

export function scheduledEnd(visit: Timed): number {
  return visit.startsAt + visit.durationMinutes * 60_000;
}

/** The end of the visit window: the visit link is valid until then. */
export function windowEnd(visit: Timed): number {
  return scheduledEnd(visit) + OVERRUN_MS;
}

export function joinOpensAt(visit: Timed): number {
  return visit.startsAt - JOIN_OPENS_BEFORE_MS;
}

export type JoinState = "too-early" | "open" | "over";

export function joinState(visit: Timed, now: number): JoinState {
  if (now < joinOpensAt(visit)) return "too-early";
  if (now >= windowEnd(visit)) return "over";
  return "open";
}
