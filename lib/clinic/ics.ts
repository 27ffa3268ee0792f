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

export interface InviteInput extends Timed {
  uid: string;
  summary: string;
  description: string;
  url?: string;
  now?: number;
}

export function calendarInvite(input: InviteInput): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Clinic video visits//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${input.uid}`,
    `DTSTAMP:${stamp(input.now ?? Date.now())}`,
    `DTSTART:${stamp(input.startsAt)}`,
    `DTEND:${stamp(scheduledEnd(input))}`,
    `SUMMARY:${escapeText(input.summary)}`,
    `DESCRIPTION:${escapeText(input.description)}`,
    ...(input.url ? [`URL:${input.url}`] : []),
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}
