/**
 * The doctor's history as CSV for a spreadsheet: every session matching the
 * filter, newest first, read page by page and streamed out, so a long
 * history never sits in memory whole.
 *
 * @module
 */
import { formatDateTime } from "@/lib/clinic/time.ts";
import type { ClinicWithCalls } from "./live_calls.ts";
import { doctorHistory, type HistoryFilter } from "./history.ts";
import type { SessionSummary } from "./session.ts";
import { statusWords } from "./views.ts";

const COLUMNS = [
  "session id",
  "patient",
  "reason",
  "scheduled",
  "started",
  "ended",
  "duration (minutes)",
  "outcome",
  "doctor reconnects",
  "patient reconnects",
  "report",
];

/**
 * Characters with which a spreadsheet starts a formula (OWASP's list, with
 * the full-width forms that some spreadsheets read the same way).
 */
const STARTERS = "=+\\-@\\t\\r\\n\\uFF1D\\uFF0B\\uFF0D\\uFF20";
const AT_START = new RegExp(`^([\\s"]*)(?=[${STARTERS}])`);
/**
 * A spreadsheet that splits on `;` (most of Europe), tabs or `|` reads
 * `a;=1` as two cells, the second a formula: every separator counts.
 */
const AFTER_SEPARATOR = new RegExp(`([,;\\t|][\\s"]*)(?=[${STARTERS}])`, "g");

/**
 * One CSV field, always quoted, with a `'` before anything a spreadsheet
 * could take for the start of a formula, at the start or after any
 * separator character: text a patient typed is never run, whichever
 * separator the spreadsheet splits on. Numbers are written as numbers.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '""';
  if (typeof value === "number") return String(value);
  const text = value.replace(AT_START, "$1'").replace(AFTER_SEPARATOR, "$1'");
  return `"${text.replace(/"/g, '""')}"`;
}

function row(s: SessionSummary, clinic: ClinicWithCalls): string {
  const tz = clinic.config.timeZone;
  const at = (ms: number | null) => ms === null ? "" : formatDateTime(ms, tz);
  return [
    s.id,
    s.patientName,
    s.reason,
    at(s.scheduledStart),
    at(s.startedAt),
    at(s.endedAt),
    s.durationSeconds === null
      ? null
      : Number((s.durationSeconds / 60).toFixed(1)),
    statusWords(s),
    Math.max(s.participants.doctor.joins - 1, 0),
    Math.max(s.participants.patient.joins - 1, 0),
    `${clinic.config.publicUrl}/sessions/${s.id}`,
  ].map(csvField).join(",") + "\r\n";
}

export function historyCsv(
  clinic: ClinicWithCalls,
  doctorId: string,
  filter: Omit<HistoryFilter, "limit" | "cursor">,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(COLUMNS.join(",") + "\r\n"));
        return;
      }
      const page = await doctorHistory(clinic, doctorId, {
        ...filter,
        limit: 200,
        cursor,
      });
      const text = page.items.map((s) => row(s, clinic)).join("");
      if (text) controller.enqueue(encoder.encode(text));
      cursor = page.cursor;
      if (!cursor) controller.close();
    },
  });
}
