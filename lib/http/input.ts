/**
 * Reads request input (JSON bodies, forms, query strings, path parameters)
 * through zod, so that a malformed request becomes a 400, never a 500.
 *
 * @module
 */
import type { z } from "zod";
import { HttpError, invalidInput } from "./errors.ts";

/** Parses a JSON body; invalid JSON or fields answer 400. */
export async function readJson<S extends z.ZodType>(
  req: Request,
  schema: S,
): Promise<z.infer<S>> {
  if (!isJson(req.headers.get("content-type"))) {
    throw new HttpError(
      415,
      "unsupported_media_type",
      "Send the body as application/json.",
    );
  }
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new HttpError(400, "invalid_json", "The body is not valid JSON.");
  }
  return parseOr400(schema, body);
}

/**
 * Whether a Content-Type is JSON: the media type before any parameter must be
 * exactly `application/json` (any case), with at most a UTF-8 charset.
 */
export function isJson(contentType: string | null): boolean {
  if (contentType === null || contentType.length > 100) return false;
  const [type, ...params] = contentType.split(";").map((p) =>
    p.trim().toLowerCase()
  );
  if (type !== "application/json") return false;
  return params.every((p) => /^charset="?utf-8"?$/.test(p));
}

/** A form's fields as plain strings (files are ignored). */
export async function readForm(req: Request): Promise<Record<string, string>> {
  try {
    const form = await req.formData();
    const fields: Record<string, string> = {};
    for (const [key, value] of form) {
      if (typeof value === "string") fields[key] = value;
    }
    return fields;
  } catch {
    throw new HttpError(400, "invalid_form", "The form could not be read.");
  }
}

/** Parses a value or throws a 400 with the field messages. */
export function parseOr400<S extends z.ZodType>(
  schema: S,
  value: unknown,
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}
