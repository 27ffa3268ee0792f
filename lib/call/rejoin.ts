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
