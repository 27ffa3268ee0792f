/**
 * Dates and times as a patient reads them: in their language, in a given
 * time zone, and always labelled with that zone ("Tuesday, November 24,
 * 2026 at 9:30 AM Central European Time").
 *
 * @module
 */
import type { Language } from "./languages.ts";

const formats = new Map<string, Intl.DateTimeFormat>();

/** Formatters cost far more to build than to use: one per style, language and zone. */
function format(
  style: "when" | "time",
  language: Language,
  timeZone: string,
): Intl.DateTimeFormat {
  const key = `${style} ${language} ${timeZone}`;
  let found = formats.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(language, {
      ...(style === "when"
        ? { weekday: "long", day: "numeric", month: "long", year: "numeric" }
        : {}),
      hour: "numeric",
      minute: "2-digit",
      timeZone,
      timeZoneName: "longGeneric",
    });
    formats.set(key, found);
  }
  return found;
}

/** The day and time of `ms` in `timeZone`, labelled with the zone. */
export function formatWhen(
  ms: number,
  timeZone: string,
  language: Language,
): string {
  return format("when", language, timeZone).format(ms);
}

/** The time of day of `ms` in `timeZone`, labelled with the zone. */
export function formatClock(
  ms: number,
  timeZone: string,
  language: Language,
): string {
  return format("time", language, timeZone).format(ms);
}
