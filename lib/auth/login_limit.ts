/**
 * Rate limits sign-in attempts per client address and per email, in fixed
 * windows counted in Deno KV so that every isolate shares the count.
 *
 * @module
 */
import { keys } from "../store/keys.ts";

export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_ATTEMPTS_PER_ADDRESS = 20;
export const MAX_FAILURES_PER_EMAIL = 5;

function windowOf(now: number) {
  return Math.floor(now / LOGIN_WINDOW_MS);
}

async function count(kv: Deno.Kv, key: Deno.KvKey): Promise<number> {
  return (await kv.get<number>(key)).value ?? 0;
}

/** Adds one, checked against the count read, so concurrent attempts all count. */
async function bump(kv: Deno.Kv, key: Deno.KvKey): Promise<number> {
  while (true) {
    const entry = await kv.get<number>(key);
    const next = (entry.value ?? 0) + 1;
    const result = await kv.atomic().check(entry)
      .set(key, next, { expireIn: LOGIN_WINDOW_MS * 2 }).commit();
    if (result.ok) return next;
  }
}

/** Counts this attempt; answers whether it may go ahead. */
export async function allowLoginAttempt(
  kv: Deno.Kv,
  address: string,
  email: string,
  now = Date.now(),
): Promise<boolean> {
  const w = windowOf(now);
  const addressKey = keys.loginAttempts("address", address, w);
  const byAddress = await bump(kv, addressKey);
  const failures = await count(
    kv,
    keys.loginAttempts("email", email.toLowerCase(), w),
  );
  return byAddress <= MAX_ATTEMPTS_PER_ADDRESS &&
    failures < MAX_FAILURES_PER_EMAIL;
}

export async function recordLoginFailure(
  kv: Deno.Kv,
  email: string,
  now = Date.now(),
) {
  await bump(
    kv,
    keys.loginAttempts("email", email.toLowerCase(), windowOf(now)),
  );
}
