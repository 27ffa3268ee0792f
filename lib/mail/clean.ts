/**
 * Making text from people (names, a doctor's reason or message) safe for
 * each place of a mail: a subject header that no line break may reach, a
 * plain-text body, and HTML in which no text can become markup.
 *
 * @module
 */
import { fill, type Params } from "@/lib/i18n/translate.ts";

/** Line breaks of every kind: CRLF, CR, LF, NEL, line and paragraph separators. */
const BREAKS = /\r\n|[\r\n\u0085\u2028\u2029]/g;
/** Every other control character: C0 (tabs too), DEL and C1. */
// deno-lint-ignore no-control-regex
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;
/** Direction overrides, which could make a name read as something else. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;

/** Longest text a doctor's reason or message may fill in a mail. */
export const MAX_NOTE = 2000;
/** Longest a subject may be, and one value within it. */
export const MAX_SUBJECT = 180;
const MAX_SUBJECT_VALUE = 80;

/** Cuts `text` to `max` characters (never inside a surrogate pair), marking the cut. */
export function cap(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join("") + "…";
}

/** One line: every break or control character becomes a space, runs of spaces one. */
export function oneLine(text: string): string {
  return text.replace(BREAKS, " ").replace(CONTROLS, " ").replace(BIDI, "")
    .replace(/\s+/g, " ").trim();
}

/**
 * Several lines, as a doctor wrote them: breaks of every kind become `\n`,
 * other control characters go, at most one blank line in a row, capped.
 */
export function paragraphText(text: string, max = MAX_NOTE): string {
  const lines = text.replace(BREAKS, "\n").split("\n").map((line) =>
    line.replace(CONTROLS, " ").replace(BIDI, "").replace(/\s+/g, " ").trim()
  );
  return cap(lines.join("\n").replace(/\n{3,}/g, "\n\n").trim(), max);
}

/**
 * A subject: `template` filled with values that are each one short line,
 * then the whole one line again and capped, so no value can add a header.
 */
export function subjectLine(template: string, params: Params = {}): string {
  const clean = Object.fromEntries(
    Object.entries(params).map((
      [name, value],
    ) => [name, cap(oneLine(String(value)), MAX_SUBJECT_VALUE)]),
  );
  return cap(oneLine(fill(template, clean)), MAX_SUBJECT);
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text for HTML content or a quoted attribute: nothing in it is markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * A link for a mail: only http(s), written as the URL parser reads it (so
 * no break or space survives in it). Anything else is a bug in the caller.
 */
export function webLink(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new TypeError(`not a web link: ${parsed.protocol}`);
  }
  return parsed.href;
}
