import assert from "node:assert/strict";
import { LOGIN_LIMITS } from "@/lib/config.ts";
import { type Attempt, reserveLoginAttempt } from "./login_limit.ts";

const attempt = (over: Partial<Attempt> = {}): Attempt => ({
  email: "doctor@clinic.test",
  address: "203.0.113.5",
  ...over,
});

/**
 * Guesses for `attempt` as fast as the limits allow, for `hours` of
 * simulated time; answers the clock at the last checked guess (when any
 * wait it caused has just begun) and how many were checked.
 */
async function guessFor(
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

Deno.test("a pair gets a few free tries, then waits twice as long each time", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    let now = 1_000_000;
    let allowed = 0;
    const waits: number[] = [];
    while (waits.length < 14) {
      const r = await reserveLoginAttempt(kv, attempt(), LOGIN_LIMITS, now);
      if (r.ok) {
        allowed++;
        continue;
      }
      assert.equal(r.scope, "pair");
      waits.push(r.retryAfterMs);
      // Asking again during the wait changes nothing.
      const again = await reserveLoginAttempt(kv, attempt(), LOGIN_LIMITS, now);
      assert.equal(!again.ok && again.retryAfterMs, r.retryAfterMs);
      now += r.retryAfterMs;
    }
    assert.equal(allowed, 4 + 13, "three free tries, then one per wait");
    assert.deepEqual(
      waits.slice(0, 6),
      [1000, 2000, 4000, 8000, 16000, 32000],
    );
    assert.equal(waits.at(-1), LOGIN_LIMITS.pair.maxDelayMs, "capped");
  } finally {
    kv.close();
  }
});

Deno.test("parallel guesses get no more tries than the limit", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = 5_000_000;
    const results = await Promise.all(
      Array.from(
        { length: 30 },
        () => reserveLoginAttempt(kv, attempt(), LOGIN_LIMITS, now),
      ),
    );
    // Three free tries and the one that starts the first wait.
    assert.equal(results.filter((r) => r.ok).length, 4);
    assert.equal(
      results.filter((r) => !r.ok && r.firstRefusal).length,
      1,
      "one refusal of the wait is reported, not 26",
    );
  } finally {
    kv.close();
  }
});

Deno.test("a right password gives its try back; another address is not slowed", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = 9_000_000;
    for (let i = 0; i < 4; i++) {
      assert.ok(
        (await reserveLoginAttempt(kv, attempt(), LOGIN_LIMITS, now)).ok,
      );
    }
    assert.equal(
      (await reserveLoginAttempt(kv, attempt(), LOGIN_LIMITS, now)).ok,
      false,
    );
    const elsewhere = await reserveLoginAttempt(
      kv,
      attempt({ address: "198.51.100.7" }),
      LOGIN_LIMITS,
      now,
    );
    assert.ok(elsewhere.ok);
    await elsewhere.release();
    // The pair starts afresh after a right password.
    for (let i = 0; i < 4; i++) {
      const r = await reserveLoginAttempt(
        kv,
        attempt({ address: "198.51.100.7" }),
        LOGIN_LIMITS,
        now,
      );
      assert.ok(r.ok, `try ${i + 1} after the right password`);
    }
  } finally {
    kv.close();
  }
});

Deno.test("a day of guessing from one address never slows the doctor elsewhere", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { now, checked } = await guessFor(kv, 24, 0, () => attempt());
    // 3 free, 11 waits up to the cap, then one every 15 minutes.
    assert.ok(checked < 4 + 11 + 24 * 4, `${checked} passwords checked`);
    const doctor = await reserveLoginAttempt(
      kv,
      attempt({ address: "198.51.100.7" }),
      LOGIN_LIMITS,
      now,
    );
    assert.ok(doctor.ok, "a new browser elsewhere signs in");
  } finally {
    kv.close();
  }
});

Deno.test("a doctor signing in from many places does not make one attacker many", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    for (let i = 0; i < LOGIN_LIMITS.account.addresses + 2; i++) {
      const r = await reserveLoginAttempt(
        kv,
        attempt({ address: `198.51.100.${i}` }),
        LOGIN_LIMITS,
        0,
      );
      assert.ok(r.ok);
      await r.release();
    }
    const { now } = await guessFor(kv, 6, 0, () => attempt());
    const doctor = await reserveLoginAttempt(
      kv,
      attempt({ address: "192.0.2.77" }),
      LOGIN_LIMITS,
      now,
    );
    assert.ok(doctor.ok);
  } finally {
    kv.close();
  }
});

Deno.test("an IPv6 attacker changing addresses inside its /64 is one address", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { now, checked } = await guessFor(
      kv,
      1,
      0,
      (i) => attempt({ address: `2001:db8:5:6::${(i + 1).toString(16)}` }),
    );
    assert.ok(checked < 4 + 11 + 4, `${checked} passwords checked`);
    const doctor = await reserveLoginAttempt(
      kv,
      attempt({ address: "2001:db8:5:7::1" }),
      LOGIN_LIMITS,
      now,
    );
    assert.ok(doctor.ok, "the next /64 is another client");
  } finally {
    kv.close();
  }
});

Deno.test("failures from many addresses slow new browsers, more with each one, never the doctor's own", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    let now = 0;
    const rule = LOGIN_LIMITS.account;
    // Many failures, but from fewer addresses than the rule asks for.
    for (let a = 0; a < rule.addresses - 1; a++) {
      for (let i = 0; i < 4; i++) {
        await reserveLoginAttempt(
          kv,
          attempt({ address: `192.0.2.${a}` }),
          LOGIN_LIMITS,
          now,
        );
      }
    }
    const calm = await reserveLoginAttempt(
      kv,
      attempt({ address: "198.51.100.99" }),
      LOGIN_LIMITS,
      now,
    );
    assert.ok(calm.ok, "four addresses are not yet an attack on the account");
    // Each further address that fails doubles the wait for new browsers.
    const waits: number[] = [];
    for (let a = 10; waits.length < 4; a++) {
      const r = await reserveLoginAttempt(
        kv,
        attempt({ address: `192.0.2.${a}` }),
        LOGIN_LIMITS,
        now,
      );
      if (r.ok) continue;
      assert.equal(r.scope, "account");
      waits.push(r.retryAfterMs);
      now += r.retryAfterMs;
    }
    assert.deepEqual(
      waits.map((w) => w / waits[0]),
      [1, 2, 4, 8],
      `waits ${waits}`,
    );
    // During a wait a new browser is refused; the doctor's own is not.
    await reserveLoginAttempt(
      kv,
      attempt({ address: "192.0.2.200" }),
      LOGIN_LIMITS,
      now,
    );
    const fresh = await reserveLoginAttempt(
      kv,
      attempt({ address: "198.51.100.50" }),
      LOGIN_LIMITS,
      now,
    );
    assert.equal(!fresh.ok && fresh.scope, "account");
    const own = await reserveLoginAttempt(
      kv,
      attempt({ address: "198.51.100.50", device: "a".repeat(64) }),
      LOGIN_LIMITS,
      now,
    );
    assert.ok(own.ok);
  } finally {
    kv.close();
  }
});

Deno.test("the doctor's own browser is counted alone, even at the attacker's address", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = 0;
    // The attacker shares the address (one clinic network) and sprays every
    // account from it until the address itself waits.
    for (let i = 0; i < 60; i++) {
      await reserveLoginAttempt(
        kv,
        attempt({ email: `doctor${i % 3 === 0 ? "" : i}@clinic.test` }),
        LOGIN_LIMITS,
        now,
      );
    }
    const newBrowser = await reserveLoginAttempt(
      kv,
      attempt(),
      LOGIN_LIMITS,
      now,
    );
    assert.equal(newBrowser.ok, false);
    const device = "d".repeat(64);
    const own = await reserveLoginAttempt(
      kv,
      attempt({ device }),
      LOGIN_LIMITS,
      now,
    );
    assert.ok(own.ok, "the doctor's browser signs in");
    // Its own wrong passwords are limited like a pair's.
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const r = await reserveLoginAttempt(
        kv,
        attempt({ device }),
        LOGIN_LIMITS,
        now,
      );
      statuses.push(r.ok ? "checked" : r.scope);
    }
    assert.deepEqual(statuses, [
      "checked",
      "checked",
      "checked",
      "device",
      "device",
    ]);
  } finally {
    kv.close();
  }
});
