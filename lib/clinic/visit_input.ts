/**
 * The shapes in which a visit arrives: the dashboard's form (a local date
 * and time at the clinic, empty fields meaning "none") and the JSON API (an
 * ISO 8601 instant with its offset). Both become the same `VisitInput`.
 *
 * @module
 */
import { z } from "zod";
import { LANGUAGES } from "@/lib/i18n/languages.ts";
import { ID_PATTERN } from "@/lib/store/ids.ts";
import type { VisitInput } from "./scheduling.ts";
import { parseLocalDateTime } from "./time.ts";

/** The reason for a visit, as typed; no default, so "not given" stays visible. */
export const reasonText = z.string().trim().max(
  500,
  "Use at most 500 characters",
);

/**
 * Words from the doctor for the patient's mail (why a visit is cancelled, a
 * note with a new time): plain lines of text, line breaks kept as `\n`, no
 * other control character, so nothing can end a line of the mail and start
 * a header or a part of its own.
 */
const CONTROL_BUT_NEWLINE =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029]/;

export const noteToPatient = z.string()
  .transform((text) => text.replace(/\r\n?/g, "\n").trim())
  .pipe(
    z.string().max(1000, "Use at most 1000 characters").refine(
      (text) => !CONTROL_BUT_NEWLINE.test(text),
      "Use plain text: no control characters (line breaks are fine)",
    ),
  );

export const visitFields = {
  patientName: z.string().trim().min(1, "Enter the patient's name").max(
    100,
    "Use at most 100 characters",
  ),
  patientEmail: z.email("Enter a valid email address, or leave it empty")
    .max(200).optional(),
  patientPhone: z.string().trim().regex(
    /^\+?[0-9 ()-]{5,20}$/,
    "Enter a phone number with digits, spaces, + ( ) or -",
  ).optional(),
  reason: reasonText.default(""),
  durationMinutes: z.coerce.number({ error: "Enter the length in minutes" })
    .int("Use whole minutes").min(5, "At least 5 minutes").max(
      240,
      "At most 240 minutes",
    ),
};

/**
 * The patient's time zone: an IANA name the runtime knows, stored as it
 * spells it ("europe/madrid" becomes "Europe/Madrid").
 */
export const patientTimeZone = z.string().trim().max(64).regex(
  /^[A-Za-z0-9_+\-\/]+$/,
  "Choose a time zone from the list, such as Europe/Madrid",
).transform((zone, ctx) => {
  try {
    return new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions()
      .timeZone;
  } catch {
    ctx.addIssue({
      code: "custom",
      message: "Choose a time zone from the list, such as Europe/Madrid",
    });
    return z.NEVER;
  }
});

export const patientLanguage = z.enum(LANGUAGES, {
  error: `Choose one of: ${LANGUAGES.join(", ")}`,
});

const emptyIsNone = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    schema,
  );

function localStart(timeZone: string) {
  return z.string({ error: "Choose a date and time" }).transform(
    (text, ctx) => {
      const ms = parseLocalDateTime(text, timeZone);
      if (ms === null) {
        ctx.addIssue({ code: "custom", message: "Choose a date and time" });
        return z.NEVER;
      }
      return ms;
    },
  );
}

export const isoInstant = z.iso.datetime({
  offset: true,
  error:
    "Use an ISO 8601 date and time with an offset, like 2026-11-24T09:30:00+01:00",
}).transform((text) => Date.parse(text));

const patientId = z.string().regex(
  ID_PATTERN,
  "Choose one of your own patients",
);

type PatientFields = {
  patientLanguage?: string;
  patientTimeZone?: string;
  patientId?: string;
  patientName?: string;
  patientEmail?: string;
  patientPhone?: string;
};

/**
 * A visit is for one of the doctor's patients (`patientId`) or for a new
 * patient (a name, and optionally an email and phone), never both: a
 * returning patient is chosen, not recognised from what was typed.
 */
function onePatient<T extends z.ZodType<PatientFields>>(schema: T) {
  // Checked beside the other fields' errors, so a form shows them all at once.
  const always = {
    when: (p: { value: unknown }) =>
      typeof p.value === "object" && p.value !== null,
  };
  const fields = (value: unknown): PatientFields =>
    typeof value === "object" && value !== null ? value as PatientFields : {};
  return schema.refine((v) => {
    const f = fields(v);
    return f.patientId !== undefined || f.patientName !== undefined;
  }, {
    message: "Enter the patient's name",
    path: ["patientName"],
    ...always,
  }).refine((v) => {
    const f = fields(v);
    return f.patientId === undefined ||
      (f.patientName ?? f.patientEmail ?? f.patientPhone) === undefined;
  }, {
    message:
      "A returning patient's details come from their record: send patientId alone",
    path: ["patientId"],
    ...always,
  });
}

/** The dashboard's new-visit form. */
export function visitForm(timeZone: string): z.ZodType<VisitInput> {
  return onePatient(z.object({
    ...visitFields,
    patientId: emptyIsNone(patientId.optional()),
    patientName: emptyIsNone(visitFields.patientName.optional()),
    patientEmail: emptyIsNone(visitFields.patientEmail),
    patientPhone: emptyIsNone(visitFields.patientPhone),
    patientLanguage: emptyIsNone(patientLanguage.optional()),
    patientTimeZone: emptyIsNone(patientTimeZone.optional()),
    startsAt: localStart(timeZone),
  }));
}

/** The dashboard's reschedule form. */
export function rescheduleForm(timeZone: string) {
  return z.object({
    startsAt: localStart(timeZone),
    durationMinutes: visitFields.durationMinutes,
    reason: visitFields.reason,
    message: emptyIsNone(noteToPatient.optional()),
    version: z.string().min(1).max(64),
  });
}

/**
 * The appointment page's cancel form. Cancelling cannot be undone (the
 * link stops working, the patient is told), so the doctor ticks "Yes,
 * cancel this visit" first: a confirmation that works without script.
 */
export const cancelForm = z.object({
  cancelReason: emptyIsNone(noteToPatient.optional()),
  confirmCancel: z.literal("yes", {
    error: "Tick “Yes, cancel this visit” to cancel it",
  }),
  version: z.string().max(64).optional(),
});

/** `DELETE /api/appointments/:id`: an optional body. */
export const cancelVisitJson = z.strictObject({
  reason: noteToPatient.optional(),
});

/** `POST /api/appointments`. */
export const createVisitJson: z.ZodType<VisitInput> = onePatient(
  z.strictObject({
    ...visitFields,
    patientId: patientId.optional(),
    patientName: visitFields.patientName.optional(),
    durationMinutes: z.number({
      error: "Give the length in minutes as a number",
    })
      .int().min(5).max(240),
    startsAt: isoInstant,
    patientLanguage: patientLanguage.optional(),
    patientTimeZone: patientTimeZone.optional(),
  }),
);

/** `PATCH /api/appointments/:id`: any of these, and the version read. */
export const changeVisitJson = z.strictObject({
  startsAt: isoInstant.optional(),
  durationMinutes: z.number().int().min(5).max(240).optional(),
  // Without a default: a change that does not name the reason keeps it.
  reason: reasonText.optional(),
  /** Sent to the patient with the notice of the change, if mail is on. */
  message: noteToPatient.optional(),
  version: z.string().min(1).max(64).optional(),
}).refine(
  (c) =>
    c.startsAt !== undefined || c.durationMinutes !== undefined ||
    c.reason !== undefined,
  { message: "Change at least one of startsAt, durationMinutes, reason" },
);

const listFields = z.strictObject({
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(500).regex(/^[A-Za-z0-9_=-]+$/, "Not a cursor")
    .optional(),
});

/** A time range whose end comes after its start. */
export function orderedRange<
  T extends z.ZodType<{ from?: number; to?: number }>,
>(
  schema: T,
) {
  return schema.refine(
    (q) => q.from === undefined || q.to === undefined || q.from < q.to,
    { message: "to must be after from", path: ["to"] },
  );
}

/** `GET /api/appointments` query. */
export const listQuery = orderedRange(listFields);

/** The list query's fields, for listings that filter more. */
export const listQueryFields = listFields;

/** A listing without a time range: only the page size and the cursor. */
export const pageQuery = listFields.pick({ limit: true, cursor: true });
