/**
 * Remembers, for this tab only, that the person is in a call, so that a
 * reload (or a phone reopening the tab) goes straight back in: they already
 * passed the device check in this tab.
 *
 * @module
 */

const key = (ticketUrl: string) => `clinic-call:${ticketUrl}`;

export function wasInCall(ticketUrl: string): boolean {
  try {
    return sessionStorage.getItem(key(ticketUrl)) === "in-call";
  } catch {
    return false;
  }
}

export function rememberInCall(ticketUrl: string, inCall: boolean) {
  try {
    if (inCall) sessionStorage.setItem(key(ticketUrl), "in-call");
    else sessionStorage.removeItem(key(ticketUrl));
  } catch {
    // Storage may be off (private browsing): the device check shows again.
  }
}

const startKey = (ticketUrl: string) => `clinic-call-start:${ticketUrl}`;

/** When both were first connected in this tab, for the call's timer. */
export function callStartedAt(ticketUrl: string): number | null {
  try {
    const at = Number(sessionStorage.getItem(startKey(ticketUrl)));
    return Number.isFinite(at) && at > 0 ? at : null;
  } catch {
    return null;
  }
}

/** Keeps the call's start across a reload; `null` forgets it (the visit ended). */
export function rememberStart(ticketUrl: string, at: number | null) {
  try {
    if (at === null) sessionStorage.removeItem(startKey(ticketUrl));
    else sessionStorage.setItem(startKey(ticketUrl), String(at));
  } catch {
    // Storage may be off: a reload then restarts the timer.
  }
}
