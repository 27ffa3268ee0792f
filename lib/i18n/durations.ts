/**
 * Lengths of time as a patient reads them, in their language: "tomorrow",
 * "in 1 hour", "20 minutes", "mañana", "dentro de 1 hora", "20 minutos".
 *
 * @module
 */
import type { Language } from "./languages.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * The largest whole unit that `ms` is a number of: a day, an hour, a minute
 * or (only for the very short spans tests use) a second. Spans that are not
 * whole hours or days are said in minutes, so "90 minutes" is never rounded
 * to "2 hours".
 */
function unitOf(ms: number): [number, "day" | "hour" | "minute" | "second"] {
  const span = Math.abs(ms);
  if (span >= DAY && span % DAY === 0) return [ms / DAY, "day"];
  if (span >= HOUR && span % HOUR === 0) return [ms / HOUR, "hour"];
  if (span >= MINUTE) return [Math.round(ms / MINUTE), "minute"];
  return [Math.round(ms / 1000), "second"];
}

/** How far ahead something is: "tomorrow", "in 1 hour", "in 90 minutes". */
export function formatIn(ms: number, language: Language): string {
  const [value, unit] = unitOf(ms);
  return new Intl.RelativeTimeFormat(language, { numeric: "auto" })
    .format(value, unit);
}

/** A length of time: "1 day", "20 minutes", "30 seconds". */
export function formatSpan(ms: number, language: Language): string {
  const [value, unit] = unitOf(ms);
  return new Intl.NumberFormat(language, {
    style: "unit",
    unit,
    unitDisplay: "long",
  }).format(value);
}
