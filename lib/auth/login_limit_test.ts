import assert from "node:assert/strict";
import {
  type Attempt,
  LOGIN_LIMITS,
  reserveLoginAttempt,
} from "./login_limit.ts";

const attempt = (over: Partial<Attempt> = {}): Attempt => ({
  email: "doctor@clinic.test",
  address: "203.0.113.5",
  knownDevice: false,
  ...over,
});

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

Deno.test("a right password gives its try back; other addresses and known devices are not slowed", async () => {
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
    if (elsewhere.ok) await elsewhere.release();

    // Many addresses, one failure each: new browsers wait, a known one does not.
    for (let i = 0; i < LOGIN_LIMITS.account.free + 1; i++) {
      await reserveLoginAttempt(
        kv,
        attempt({ address: `192.0.2.${i}` }),
        LOGIN_LIMITS,
        now,
      );
    }
    const unknown = await reserveLoginAttempt(
      kv,
      attempt({ address: "198.51.100.99" }),
      LOGIN_LIMITS,
      now,
    );
    assert.equal(unknown.ok, false);
    assert.equal(!unknown.ok && unknown.scope, "account");
    const known = await reserveLoginAttempt(
      kv,
      attempt({ address: "198.51.100.99", knownDevice: true }),
      LOGIN_LIMITS,
      now,
    );
    assert.ok(known.ok);
  } finally {
    kv.close();
  }
});
