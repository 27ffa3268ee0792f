/**
 * The history filters as they arrive: the API's query string (ISO 8601
 * instants) and the history page's form (calendar dates at the clinic,
 * empty fields meaning "any").
 *
 * @module
 */
import { z } from "zod";
import { ID_PATTERN } from "@/lib/store/ids.ts";
import { parseLocalDateTime } from "@/lib/clinic/time.ts";
import { listQueryFields, orderedRange } from "@/lib/clinic/visit_input.ts";

const patientId = z.string().regex(ID_PATTERN, "Not a patient id");

/** `GET /api/sessions` and `GET /history.csv`'s filters in the API form. */
export const sessionsQuery = orderedRange(listQueryFields.extend({
  patientId: patientId.optional(),
}));

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight at the clinic that starts `date` ("2026-11-24"), plus `days`. */
function dayStart(date: string, days: number, timeZone: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const base = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (base.getUTCMonth() !== +m[2] - 1 || base.getUTCDate() !== +m[3]) {
    return null;
  }
  const day = new Date(base.getTime() + days * 86_400_000);
  return parseLocalDateTime(
    `${day.toISOString().slice(0, 10)}T00:00`,
    timeZone,
  );
}

const emptyIsNone = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    schema.optional(),
  );

/** The history page's form: `from` and `to` are days, both included. */
export function historyForm(timeZone: string) {
  const day = (days: number) =>
    z.string().transform((text, ctx) => {
      const ms = dayStart(text.trim(), days, timeZone);
      if (ms === null) {
        ctx.addIssue({ code: "custom", message: "Choose a date" });
        return z.NEVER;
      }
      return ms;
    });
  return z.object({
    patient: emptyIsNone(patientId),
    from: emptyIsNone(day(0)),
    to: emptyIsNone(day(1)),
    cursor: emptyIsNone(
      z.string().max(500).regex(/^[A-Za-z0-9_=-]+$/, "Not a cursor"),
    ),
  }).refine(
    (f) => f.from === undefined || f.to === undefined || f.from < f.to,
    {
      message: "The first day must not be after the last",
      path: ["to"],
    },
  );
}
