/**
 * Errors that carry an HTTP answer: a status, a stable code, a readable
 * message and, for invalid input, the message for each field.
 *
 * @module
 */
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

/** Thrown by routes and lib functions; `_500` turns it into the answer. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = "HttpError";
  }

  /** The API's error body: `{ "error": { code, message, fields } }`. */
  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields ? { fields: this.fields } : {}),
      },
    };
  }
}

/** One message per field, the first zod found for it. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "_";
    fields[key] ??= issue.message;
  }
  return fields;
}

export const notFound = (what = "That page") =>
  new HttpError(404, "not_found", `${what} does not exist or has expired.`);

export const invalidInput = (error: z.ZodError) =>
  new HttpError(
    400,
    "invalid_input",
    "Some fields are missing or invalid.",
    fieldErrors(error),
  );
