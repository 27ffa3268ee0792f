/**
 * A note as it arrives: from the report page's form (a checkbox for
 * sharing) or as JSON from the API. Both become a `NoteEdit`.
 *
 * @module
 */
import { z } from "zod";
import { MAX_NOTE_CHARS, type NoteEdit } from "./notes.ts";

const text = z.string().max(
  MAX_NOTE_CHARS,
  `Notes can be at most ${MAX_NOTE_CHARS.toLocaleString("en")} characters`,
).transform((t) => t.replace(/\r\n/g, "\n"));

const baseVersion = z.coerce.number({ error: "baseVersion must be a number" })
  .int().min(0).max(1_000_000);

/** The report page's form: an unticked checkbox is absent. */
export const noteForm: z.ZodType<NoteEdit> = z.object({
  text,
  shared: z.literal("on").optional().transform((v) => v === "on"),
  baseVersion,
});

/** `PUT /api/sessions/:id/notes`. */
export const noteJsonInput: z.ZodType<NoteEdit> = z.strictObject({
  text,
  shared: z.boolean().default(false),
  baseVersion: z.number().int().min(0).max(1_000_000),
});
