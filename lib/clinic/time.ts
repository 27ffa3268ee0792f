/**
 * Clock times in the clinic's time zone: what a doctor types into a
 * date-and-time field means local time at the clinic, whatever the server's
 * own zone, and pages show times the same way.
 *
 * @module
 */

/**
 * One formatter per zone and style, made on first use: building an
 * `Intl.DateTimeFormat` costs far more than using one.
 */
function zonedFormat(options: Intl.DateTimeFormatOptions) {
  const byZone = new Map<string, Intl.DateTimeFormat>();
  return (timeZone: string) => {
    let format = byZone.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat("en-GB", { ...options, timeZone });
      byZone.set(timeZone, format);
    }
    return format;
  };
}

const partsFormat = zonedFormat({
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): Wall {
  const parts: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(ms)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return parts as unknown as Wall;
}

/** Milliseconds to add to UTC to get the zone's wall clock at `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(
    w.year,
    w.month - 1,
    w.day,
    w.hour,
    w.minute,
    w.second,
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * The instant of a `datetime-local` value ("2026-11-24T09:30") read as the
 * zone's wall clock; `null` if it is not such a value. In a daylight-saving
 * gap the time is moved forward, as clocks are.
 */
export function parseLocalDateTime(
  text: string,
  timeZone: string,
): number | null {
  const m = LOCAL_INPUT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number);
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(guess);
  if (
    check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day ||
    hour > 23 || minute > 59
  ) return null;
  let result = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(result, timeZone);
  if (second !== result) result = Math.max(result, second);
  return result;
}

/** The `datetime-local` value of an instant in the zone. */
export function toLocalInput(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${
    pad(w.minute)
  }`;
}

/** Midnight that starts the zone's calendar day containing `ms`. */
export function startOfDay(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return parseLocalDateTime(
    `${w.year}-${pad(w.month)}-${pad(w.day)}T00:00`,
    timeZone,
  )!;
}

const displayFormat = zonedFormat({
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "Tue, 24 Nov 2026, 09:30" in the zone. */
export function formatDateTime(ms: number, timeZone: string): string {
  return displayFormat(timeZone).format(ms);
}

/** "09:30" in the zone. */
export function formatTime(ms: number, timeZone: string): string {
  return toLocalInput(ms, timeZone).slice(11);
}
