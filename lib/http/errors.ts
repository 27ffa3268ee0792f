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
  /** Headers the answer carries (`Retry-After`, `Allow`, `Upgrade`). */
  headers?: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = "HttpError";
  }

  withHeaders(headers: Record<string, string>): this {
    this.headers = { ...this.headers, ...headers };
    return this;
  }

  /**
   * The JSON answer, for the few places that answer before the app's error
   * page can (middleware of the web layer, `/static/`).
   */
  toResponse(): Response {
    return Response.json(this.toJSON(), {
      status: this.status,
      headers: this.headers,
    });
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

export const signInFirst = () =>
  new HttpError(401, "unauthenticated", "Sign in as a doctor first.");

export const invalidInput = (error: z.ZodError) =>
  new HttpError(
    400,
    "invalid_input",
    "Some fields are missing or invalid.",
    fieldErrors(error),
  );
