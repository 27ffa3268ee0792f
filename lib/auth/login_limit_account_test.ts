/**
 * The limits on an account guessed at from many addresses: the doctor's own
 * places do not count as many attackers, failures from many addresses slow
 * new browsers only, and the doctor's own browser is counted alone.
 */
import assert from "node:assert/strict";
import { LOGIN_LIMITS } from "@/lib/config.ts";
import { reserveLoginAttempt } from "./login_limit.ts";
import { attempt, guessFor } from "@/tests/helpers/login_attempts.ts";

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
