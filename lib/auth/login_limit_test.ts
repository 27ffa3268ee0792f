/**
 * The limits on one client guessing: a pair's free tries and doubling waits,
 * parallel guesses, a right password, a day of guessing, an IPv6 /64.
 */
import assert from "node:assert/strict";
import { LOGIN_LIMITS } from "@/lib/config.ts";
import { reserveLoginAttempt } from "./login_limit.ts";
import { attempt, guessFor } from "@/tests/helpers/login_attempts.ts";

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
