/**
 * One line of plain text, as a name or a title is: no control characters,
 * trimmed, within a length. Such text is shown on pages, spoken by screen
 * readers and put into mail subjects and calendar invites, where a line
 * break could start a header of its own and a direction override could make
 * it read as something else.
 *
 * @module
 */
import { z } from "zod";

/**
 * C0 (tab and line breaks included), DEL and C1 controls, Unicode's line and
 * paragraph separators, and the bidirectional embeddings, overrides and
 * isolates that reorder what is shown.
 */
const CONTROL =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

export const NO_CONTROL_MESSAGE =
  "Use no line breaks, tabs or other control characters";

/**
 * A single line of `min` to `max` characters once trimmed. Control
 * characters are refused before trimming, so none is ever quietly dropped.
 */
export function singleLine(
  { min, max, empty }: { min: number; max: number; empty?: string },
) {
  return z.string().refine((text) => !hasControlCharacters(text), {
    message: NO_CONTROL_MESSAGE,
    abort: true,
  }).trim().min(min, empty ?? `Use at least ${min} characters`).max(
    max,
    `Use at most ${max} characters`,
  );
}
