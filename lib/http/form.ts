/**
 * A form's POST, done the same way on every page: parse what was sent; if
 * it is valid, act (the action answers, usually with a redirect); if the
 * fields are invalid, or the action refuses them (an `HttpError` for bad
 * input or a conflict), show the form again with what was typed and what to
 * correct, with the refusal's status. Anything else is the error page's.
 *
 * @module
 */
import type { z } from "zod";
import { type FieldErrors, fieldErrors, HttpError } from "./errors.ts";

/** The refusals a form shows beside its fields rather than on an error page. */
const SHOWN_AGAIN = new Set([400, 409]);

export async function submitForm<T, Done, Shown>(
  form: Record<string, string>,
  schema: z.ZodType<T>,
  act: (data: T) => Promise<Done>,
  showAgain: (errors: FieldErrors, status: number) => Shown | Promise<Shown>,
): Promise<Done | Shown> {
  const parsed = schema.safeParse(form);
  if (!parsed.success) return showAgain(fieldErrors(parsed.error), 400);
  try {
    return await act(parsed.data);
  } catch (error) {
    if (!(error instanceof HttpError) || !SHOWN_AGAIN.has(error.status)) {
      throw error;
    }
    return showAgain(error.fields ?? { _: error.message }, error.status);
  }
}
