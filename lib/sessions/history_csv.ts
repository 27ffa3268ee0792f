/**
 * The doctor's history as CSV for a spreadsheet: every session matching the
 * filter, newest first, read page by page and streamed out, so a long
 * history never sits in memory whole.
 *
 * @module
 */
import { formatDateTime } from "../clinic/time.ts";
import type { Clinic } from "../state.ts";
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
 * One CSV field: quoted when needed, and a leading = + - @ neutralised so a
 * spreadsheet never runs text a patient typed as a formula.
 */
export function csvField(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(s: SessionSummary, clinic: Clinic): string {
  const tz = clinic.config.timeZone;
  const at = (ms: number | null) => ms === null ? "" : formatDateTime(ms, tz);
  return [
    s.id,
    s.patientName,
    s.reason,
    at(s.scheduledStart),
    at(s.startedAt),
    at(s.endedAt),
    s.durationSeconds === null ? null : (s.durationSeconds / 60).toFixed(1),
    statusWords(s),
    Math.max(s.participants.doctor.joins - 1, 0),
    Math.max(s.participants.patient.joins - 1, 0),
    `${clinic.config.publicUrl}/sessions/${s.id}`,
  ].map(csvField).join(",") + "\r\n";
}

export function historyCsv(
  clinic: Clinic,
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
