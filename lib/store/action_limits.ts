/**
 * How often one action may be taken on one record within a window ("the
 * invitation again: 5 times a day per visit"), for actions whose every use
 * costs something lasting: a mail in a patient's inbox, an entry in the
 * audit trail. The count is added to the caller's atomic operation and
 * checked against the version read, so parallel requests cannot pass the
 * limit together, and a refused action writes nothing. The count expires
 * with its window.
 *
 * @module
 */
import { z } from "zod";
import { keys } from "./keys.ts";

export interface ActionLimit {
  /** What is counted, part of the key: `invitation_again`. */
  action: string;
  limit: number;
  windowMs: number;
}

const countSchema = z.object({
  count: z.number().int().min(0),
  since: z.number(),
});

/**
 * Counts one more `rule.action` on `subject` in `op`, or, when the limit is
 * reached, answers how many milliseconds until one more is allowed (and
 * adds nothing to `op`).
 */
export async function countAction(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  rule: ActionLimit,
  subject: string,
  now: number,
): Promise<number | null> {
  const key = keys.actionCount(rule.action, subject);
  const entry = await kv.get(key);
  const parsed = countSchema.safeParse(entry.value);
  const current = parsed.success && now < parsed.data.since + rule.windowMs
    ? parsed.data
    : { count: 0, since: now };
  const endsIn = Math.max(1, current.since + rule.windowMs - now);
  if (current.count >= rule.limit) return endsIn;
  op.check(entry).set(key, { count: current.count + 1, since: current.since }, {
    expireIn: endsIn,
  });
  return null;
}

/** `Retry-After` for a wait of `ms`, in whole seconds. */
export function retryAfter(ms: number): Record<string, string> {
  return { "Retry-After": String(Math.max(1, Math.ceil(ms / 1000))) };
}
