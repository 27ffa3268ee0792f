/**
 * Reads request input (JSON bodies, forms, query strings, path parameters)
 * through zod, so that a malformed request becomes a 400, never a 500.
 *
 * @module
 */
// @ts-types="npm:@types/content-type@1.1.8"
import contentType from "content-type";
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
 * Whether a Content-Type is JSON, as parsed by the `content-type` package
 * (RFC 9110's grammar, as Express reads it): the media type must be exactly
 * `application/json` (any case), with no parameter but a UTF-8 charset.
 * Anything it cannot parse, such as `text/plain; application/json`, which a
 * page on another site may send without asking, is not JSON.
 */
export function isJson(header: string | null): boolean {
  if (header === null || header.length > 200) return false;
  let parsed: contentType.ParsedMediaType;
  try {
    parsed = contentType.parse(header);
  } catch {
    return false;
  }
  if (parsed.type !== "application/json") return false;
  return Object.entries(parsed.parameters).every(([name, value]) =>
    name === "charset" && value.toLowerCase() === "utf-8"
  );
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
