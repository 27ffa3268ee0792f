/**
 * Sign-in attempts for the tests of the sign-in limits, and a guesser that
 * keeps going on a simulated clock, so that hours of guessing take no time.
 *
 * @module
 */
import { LOGIN_LIMITS } from "@/lib/config.ts";
import { type Attempt, reserveLoginAttempt } from "@/lib/auth/login_limit.ts";

/** A guess at a doctor's email from one address; `over` changes them. */
export const attempt = (over: Partial<Attempt> = {}): Attempt => ({
  email: "doctor@clinic.test",
  address: "203.0.113.5",
  ...over,
});

/**
 * Guesses for `attempt` as fast as the limits allow, for `hours` of
 * simulated time; answers the clock at the last checked guess (when any
 * wait it caused has just begun) and how many were checked.
 */
export async function guessFor(
  kv: Deno.Kv,
  hours: number,
  start: number,
  next: (i: number) => Attempt,
) {
  let now = start;
  let checked = 0;
  for (let i = 0;; i++) {
    const r = await reserveLoginAttempt(kv, next(i), LOGIN_LIMITS, now);
    if (!r.ok) now += r.retryAfterMs;
    else if (++checked && now >= start + hours * 3_600_000) break;
  }
  return { now, checked };
}
