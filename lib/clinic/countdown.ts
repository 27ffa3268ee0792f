/**
 * The visit page's countdown to the call's opening: the exact time left,
 * shown and updated every second, and what is announced to screen readers,
 * which changes only at steps worth hearing (each minute of the last ten,
 * and the opening), not every second.
 *
 * @module
 */
import type { JoinCallText } from "@/lib/i18n/text/visit.ts";
import { fill } from "@/lib/i18n/translate.ts";

/** The time left, as shown: "1 h 5 min", "4 min 12 s", "9 s". */
export function countdown(ms: number, text: JoinCallText): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return fill(text.hours, { h, m });
  if (m > 0) return fill(text.minutes, { m, s });
  return fill(text.seconds, { s });
}

/** How long before the opening the minutes are announced. */
const ANNOUNCE_FROM_MS = 10 * 60_000;

/**
 * What the live region says: nothing while the opening is far off (the
 * countdown can be read at any time), the minutes left in the last ten,
 * and that the call is open. The same text for a whole minute, so it is
 * spoken once a minute at most.
 */
export function announcement(
  ms: number,
  state: "early" | "open" | "over",
  text: JoinCallText,
): string {
  if (state === "open") return text.openNow;
  if (state === "over" || ms > ANNOUNCE_FROM_MS) return "";
  return fill(text.opensSoon, { m: Math.max(1, Math.ceil(ms / 60_000)) });
}
