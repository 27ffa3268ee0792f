/**
 * Slows password guessing without letting an outsider lock a doctor out
 * (OWASP's authentication and credential-stuffing guidance):
 *
 * - per account and client address: a few free tries, then each further try
 *   waits twice as long as the one before (1 s, 2 s, 4 s … up to 15 min);
 * - per client address, across accounts (password spraying): the same, from
 *   a higher count;
 * - per account, across addresses (a distributed attack): the same, once
 *   the failures come from several different addresses, and only for
 *   browsers that have never signed in to that account;
 * - a doctor's own browser carries a device cookie for the account: its
 *   tries are counted on that cookie alone, so nobody else's failures,
 *   whatever their address, ever slow it.
 *
 * An IPv6 client is counted by its /64 (see `addressBlock`). Every try is
 * counted before the password is checked, in one atomic step over all its
 * counters, so parallel guesses cannot pass more tries than the limit; a
 * correct password gives its try back. Counts are kept in Deno KV, shared by
 * every isolate and server, and forgotten an hour after the last failure.
 * The typed email is kept only as a hash.
 *
 * @module
 */
import {
  LOGIN_LIMITS,
  type LoginLimits,
  type ThrottleRule,
} from "@/lib/config.ts";
import { addressBlock } from "@/lib/http/client_address.ts";
import { keys } from "@/lib/store/keys.ts";
import { MAX_ATTEMPTS } from "@/lib/store/kv.ts";
import { hashToken } from "@/lib/store/ids.ts";

/** Counts are forgotten this long after the last failure. */
const FORGET_MS = 60 * 60_000;

interface Counter {
  failures: number;
  /** No try before this time. */
  notBefore: number;
  /** The `notBefore` for which a throttled try was already audited. */
  reported?: number;
  /** For an account: the first few address blocks that failed on it. */
  blocks?: string[];
}

/** Which counter made a try wait; `device` is a doctor's own browser. */
export type LoginScope = "pair" | "address" | "account" | "device";

export interface Attempt {
  email: string;
  address: string;
  /**
   * The hash of the device cookie the browser showed, when it is one of
   * this account's.
   */
  device?: string;
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

interface Scope {
  scope: LoginScope;
  key: Deno.KvKey;
  /** The counter after one more failure. */
  next(counter: Counter | null, now: number): Counter;
  /**
   * The counter when the password was right; `null` to start afresh.
   */
  giveBack(counter: Counter): Counter | null;
}

const afresh = () => null;
const oneLess = (counter: Counter): Counter => ({
  ...counter,
  failures: Math.max(counter.failures - 1, 0),
});

function plain(rule: ThrottleRule) {
  return (counter: Counter | null, now: number): Counter => {
    const failures = (counter?.failures ?? 0) + 1;
    return { failures, notBefore: now + delayAfter(rule, failures) };
  };
}

/** The counters a try is counted on; the first is given back on success. */
async function scopesOf(
  attempt: Attempt,
  limits: LoginLimits,
): Promise<Scope[]> {
  if (attempt.device) {
    return [{
      scope: "device",
      key: keys.loginAttempts("device", attempt.device),
      next: plain(limits.pair),
      giveBack: afresh,
    }];
  }
  const account = await hashToken(attempt.email.toLowerCase());
  const block = addressBlock(attempt.address);
  const rule = limits.account;
  return [
    {
      scope: "pair",
      key: keys.loginAttempts("pair", `${account} ${block}`),
      next: plain(limits.pair),
      giveBack: afresh,
    },
    {
      scope: "address",
      key: keys.loginAttempts("address", block),
      next: plain(limits.address),
      giveBack: oneLess,
    },
    {
      scope: "account",
      key: keys.loginAttempts("account", account),
      next(counter, now) {
        const failures = (counter?.failures ?? 0) + 1;
        const seen = counter?.blocks ?? [];
        const blocks = seen.includes(block) || seen.length >= rule.addresses
          ? seen
          : [...seen, block];
        const spread = blocks.length >= rule.addresses;
        return {
          failures,
          blocks,
          notBefore: spread ? now + delayAfter(rule, failures) : 0,
        };
      },
      // The doctor's own address is not one of the attack's.
      giveBack: (counter) => ({
        ...oneLess(counter),
        blocks: counter.blocks?.filter((b) => b !== block),
      }),
    },
  ];
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
  const scopes = await scopesOf(attempt, limits);
  for (let round = 0; round < MAX_ATTEMPTS * 5; round++) {
    const entries = await kv.getMany<Counter[]>(scopes.map((s) => s.key));
    const blocked = scopes.map(({ scope }, i) => ({
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
    scopes.forEach((s, i) => {
      op.check(entries[i]).set(s.key, s.next(entries[i].value, now), {
        expireIn: FORGET_MS,
      });
    });
    if ((await op.commit()).ok) {
      return {
        ok: true,
        release: () => release(kv, scopes),
      };
    }
  }
  // Under heavy contention the try is refused rather than let through.
  return { ok: false, retryAfterMs: 1000, scope: "pair", firstRefusal: false };
}

/**
 * A right password: the pair (or the doctor's browser) starts afresh, and
 * the try it had counted against the address and the account is given back.
 */
async function release(kv: Deno.Kv, scopes: Scope[]) {
  for (const { key, giveBack } of scopes) {
    for (let round = 0; round < MAX_ATTEMPTS; round++) {
      const entry = await kv.get<Counter>(key);
      if (!entry.value) break;
      const counter = giveBack(entry.value);
      const op = kv.atomic().check(entry);
      if (counter) op.set(key, counter, { expireIn: FORGET_MS });
      else op.delete(key);
      if ((await op.commit()).ok) break;
    }
  }
}
