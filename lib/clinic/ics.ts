/**
 * A calendar invite (RFC 5545) for a visit, so that doctor and patient can
 * put it in their calendars. Invites leave the clinic (calendars sync to
 * phones and to other companies' servers), so the callers put in them no
 * patient's name, reason or notes: a title, the time and a link.
 *
 * @module
 */
import { scheduledEnd, type Timed } from "./visit_window.ts";

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * A TEXT value (RFC 5545 3.3.11): backslash, `;` and `,` escaped, every line
 * break (CRLF, LF, a lone CR, and Unicode's NEL, line and paragraph
 * separators, which some readers also break on) written as `\n`, and every
 * other control character (C0, DEL, C1) dropped, so no text can end the line
 * and start a property of its own.
 */
export function escapeText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,")
    .replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, "\\n")
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, "");
}

/** Folds lines longer than 75 octets, as the format requires. */
function fold(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  for (const char of line) {
    if (
      new TextEncoder().encode(current + char).length > (parts.length ? 74 : 75)
    ) {
      parts.push(current);
      current = "";
    }
    current += char;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/**
 * What the invite asks of the calendar reading it (RFC 5546): `PUBLISH`, a
 * file to import (the download links); `REQUEST`, an event to add or update
 * (mail: invitation, new time); `CANCEL`, an event to remove (mail:
 * cancellation).
 */
export type InviteMethod = "PUBLISH" | "REQUEST" | "CANCEL";

/** The largest SEQUENCE the format allows (a signed 32-bit integer). */
export const MAX_SEQUENCE = 2_147_483_647;

export interface InviteInput extends Timed {
  uid: string;
  summary: string;
  description: string;
  url?: string;
  now?: number;
  /** `PUBLISH` unless given; `CANCEL` also marks the event cancelled. */
  method?: InviteMethod;
  /**
   * The event's revision: calendars replace an event they hold only with
   * one whose SEQUENCE is at least as high, so it must rise on every change.
   */
  sequence?: number;
  /** A cancelled event that is only published (not a `CANCEL`) says so too. */
  cancelled?: boolean;
  /** Who sends the event: the clinic, when it has an address. */
  organizer?: { name: string; email: string };
}

/** A plain address that cannot end the line or leave the `mailto:` value. */
const ORGANIZER_EMAIL = /^[^\s"<>;:,\\@]+@[^\s"<>;:,\\@]+$/;

/**
 * A parameter value (RFC 5545 3.2): quoted, and with nothing a quoted value
 * cannot hold (double quotes and control characters) left in it.
 */
function paramText(text: string): string {
  // deno-lint-ignore no-control-regex
  return `"${text.replace(/["\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, "")}"`;
}

function organizerLine(organizer: InviteInput["organizer"]): string[] {
  if (!organizer || !ORGANIZER_EMAIL.test(organizer.email)) return [];
  return [
    `ORGANIZER;CN=${paramText(organizer.name)}:mailto:${organizer.email}`,
  ];
}

export function calendarInvite(input: InviteInput): string {
  const method = input.method ?? "PUBLISH";
  const sequence = input.sequence;
  if (
    sequence !== undefined &&
    !(Number.isInteger(sequence) && sequence >= 0 && sequence <= MAX_SEQUENCE)
  ) {
    throw new RangeError(`SEQUENCE must be a whole number, not ${sequence}`);
  }
  const cancelled = method === "CANCEL" || input.cancelled === true;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Clinic video visits//EN",
    "CALSCALE:GREGORIAN",
    `METHOD:${method}`,
    "BEGIN:VEVENT",
    `UID:${input.uid}`,
    ...(sequence !== undefined ? [`SEQUENCE:${sequence}`] : []),
    `DTSTAMP:${stamp(input.now ?? Date.now())}`,
    `DTSTART:${stamp(input.startsAt)}`,
    `DTEND:${stamp(scheduledEnd(input))}`,
    ...(cancelled ? ["STATUS:CANCELLED"] : []),
    ...organizerLine(input.organizer),
    `SUMMARY:${escapeText(input.summary)}`,
    `DESCRIPTION:${escapeText(input.description)}`,
    ...(input.url ? [`URL:${input.url}`] : []),
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}
