/**
 * Slows password guessing without letting an outsider lock a doctor out
 * (OWASP's authentication and credential-stuffing guidance):
 *
 * - per account and client address: a few free tries, then each further try
 *   waits twice as long as the one before (1 s, 2 s, 4 s … up to 15 min);
 * - per client address, across accounts (password spraying): the same, from
 *   a higher count;
 * - per account, across addresses (a distributed attack): the same, but
 *   only for browsers that have never signed in to that account; a doctor's
 *   own browser carries a device cookie and is never slowed by others'
 *   failures.
 *
 * Every try is counted before the password is checked, in one atomic step
 * per counter, so parallel guesses cannot pass more tries than the limit; a
 * correct password gives its try back. Counts are kept in Deno KV, shared by
 * every isolate and server, and forgotten an hour after the last failure.
 *
 * @module
 */
import { keys } from "../store/keys.ts";
import { MAX_ATTEMPTS } from "../store/kv.ts";

export interface ThrottleRule {
  /** Failures allowed before tries are spaced out. */
  free: number;
  /** The wait after the first failure over `free`; it doubles each time. */
  firstDelayMs: number;
  maxDelayMs: number;
}

export interface LoginLimits {
  pair: ThrottleRule;
  address: ThrottleRule;
  /** Only for browsers without the account's device cookie. */
  account: ThrottleRule;
}

export const LOGIN_LIMITS: LoginLimits = {
  pair: { free: 3, firstDelayMs: 1000, maxDelayMs: 15 * 60_000 },
  address: { free: 30, firstDelayMs: 1000, maxDelayMs: 15 * 60_000 },
  account: { free: 10, firstDelayMs: 1000, maxDelayMs: 15 * 60_000 },
};

/** Counts are forgotten this long after the last failure. */
const FORGET_MS = 60 * 60_000;

interface Counter {
  failures: number;
  /** No try before this time. */
  notBefore: number;
  /** The `notBefore` for which a throttled try was already audited. */
  reported?: number;
}

export type LoginScope = keyof LoginLimits;

export interface Attempt {
  email: string;
  address: string;
  /** The browser holds a device cookie of this account. */
  knownDevice: boolean;
}

export type Reservation =
  | { ok: true; release(): Promise<void> }
  | {
    ok: false;
    retryAfterMs: number;
    scope: LoginScope;
    /** The first refusal of this wait: worth one audit entry. */
    firstRefusal: boolean;
  };

function delayAfter(rule: ThrottleRule, failures: number): number {
  const over = failures - rule.free;
  if (over <= 0) return 0;
  return Math.min(rule.firstDelayMs * 2 ** (over - 1), rule.maxDelayMs);
}

function counterKeys(attempt: Attempt) {
  const email = attempt.email.toLowerCase();
  const list: [LoginScope, Deno.KvKey][] = [
    ["pair", keys.loginAttempts("pair", `${email} ${attempt.address}`)],
    ["address", keys.loginAttempts("address", attempt.address)],
  ];
  if (!attempt.knownDevice) {
    list.push(["account", keys.loginAttempts("account", email)]);
  }
  return list;
}

/**
 * Counts a try against every counter that applies, all or none in one atomic
 * step; answers whether the password may be checked. Call `release` when it
 * was right.
 */
export async function reserveLoginAttempt(
  kv: Deno.Kv,
  attempt: Attempt,
  limits: LoginLimits = LOGIN_LIMITS,
  now = Date.now(),
): Promise<Reservation> {
  const scopes = counterKeys(attempt);
  for (let round = 0; round < MAX_ATTEMPTS * 5; round++) {
    const entries = await kv.getMany<Counter[]>(scopes.map(([, key]) => key));
    const blocked = scopes.map(([scope], i) => ({
      scope,
      entry: entries[i],
      waitMs: (entries[i].value?.notBefore ?? 0) - now,
    })).filter((b) => b.waitMs > 0).sort((a, b) => b.waitMs - a.waitMs)[0];
    if (blocked) {
      const counter = blocked.entry.value!;
      const firstRefusal = counter.reported !== counter.notBefore;
      if (firstRefusal) {
        const marked = await kv.atomic().check(blocked.entry)
          .set(blocked.entry.key, { ...counter, reported: counter.notBefore }, {
            expireIn: FORGET_MS,
          }).commit();
        if (!marked.ok) continue;
      }
      return {
        ok: false,
        retryAfterMs: blocked.waitMs,
        scope: blocked.scope,
        firstRefusal,
      };
    }
    const op = kv.atomic();
    scopes.forEach(([scope, key], i) => {
      const failures = (entries[i].value?.failures ?? 0) + 1;
      op.check(entries[i]).set(
        key,
        {
          failures,
          notBefore: now + delayAfter(limits[scope], failures),
        } satisfies Counter,
        { expireIn: FORGET_MS },
      );
    });
    if ((await op.commit()).ok) {
      return {
        ok: true,
        release: () => release(kv, scopes.map(([, key]) => key)),
      };
    }
  }
  // Under heavy contention the try is refused rather than let through.
  return { ok: false, retryAfterMs: 1000, scope: "pair", firstRefusal: false };
}

/**
 * A right password: the pair starts afresh, and the try it had counted
 * against the address and the account is given back.
 */
async function release(kv: Deno.Kv, counted: Deno.KvKey[]) {
  const [pairKey, ...shared] = counted;
  await kv.delete(pairKey);
  for (const key of shared) {
    for (let round = 0; round < MAX_ATTEMPTS; round++) {
      const entry = await kv.get<Counter>(key);
      if (!entry.value) break;
      const failures = Math.max(entry.value.failures - 1, 0);
      const result = await kv.atomic().check(entry)
        .set(key, { ...entry.value, failures }, { expireIn: FORGET_MS })
        .commit();
      if (result.ok) break;
    }
  }
}
