import assert from "node:assert/strict";
import { listAudit } from "@/lib/store/audit.ts";
import { hashToken } from "@/lib/store/ids.ts";
import {
  dropLoginSession,
  keepLoginSessionAlive,
  resumeLoginSession,
  resumeSignIn,
  startLoginSession,
} from "./login_sessions.ts";

const policy = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 };

async function signouts(kv: Deno.Kv) {
  return (await listAudit(kv, { limit: 50 })).items
    .filter((e) => e.action === "signout");
}

Deno.test("an automatic logoff is recorded once, by the request that finds it", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const t0 = Date.now();
    const id = await startLoginSession(kv, "doctor-1", policy, t0);
    assert.ok(await resumeLoginSession(kv, id, policy, t0 + 60_000, "x"));
    assert.equal((await signouts(kv)).length, 0, "a live session: nothing");
    const later = t0 + 60_000 + policy.idleMs;
    const found = await Promise.all(
      Array.from(
        { length: 5 },
        () => resumeLoginSession(kv, id, policy, later, "198.51.100.7"),
      ),
    );
    assert.ok(found.every((s) => s === null));
    const entries = await signouts(kv);
    assert.equal(entries.length, 1, "five requests, one entry");
    assert.deepEqual(
      [entries[0].actor, entries[0].subject, entries[0].detail],
      [{ kind: "system" }, "doctor-1", "idle logoff"],
    );
    assert.equal(entries[0].address, "198.51.100.7");
  } finally {
    kv.close();
  }
});

Deno.test("the end of a sign-in's lifetime is recorded as such", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const t0 = Date.now();
    const id = await startLoginSession(kv, "doctor-2", policy, t0);
    for (let m = 20; m < 12 * 60; m += 20) {
      assert.ok(await resumeLoginSession(kv, id, policy, t0 + m * 60_000));
    }
    const end = t0 + policy.maxMs;
    assert.equal(await resumeLoginSession(kv, id, policy, end, "::1"), null);
    const [entry] = await signouts(kv);
    assert.deepEqual(
      [entry.subject, entry.detail, entry.address],
      ["doctor-2", "maximum sign-in time", "::1"],
    );
  } finally {
    kv.close();
  }
});

Deno.test("a sign-in that ended says why: idle, maximum, or gone", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const t0 = Date.now();
    const idle = await startLoginSession(kv, "doctor-3", policy, t0);
    const busy = await startLoginSession(kv, "doctor-3", policy, t0);
    assert.deepEqual(
      await resumeSignIn(kv, idle, policy, t0 + policy.idleMs),
      { session: null, ended: "idle" },
    );
    assert.deepEqual(
      await resumeSignIn(kv, idle, policy, t0 + policy.idleMs + 1),
      { session: null, ended: "gone" },
      "its end was noticed already",
    );
    for (let m = 20; m < 12 * 60; m += 20) {
      await resumeSignIn(kv, busy, policy, t0 + m * 60_000);
    }
    assert.deepEqual(
      await resumeSignIn(kv, busy, policy, t0 + policy.maxMs),
      { session: null, ended: "maximum" },
    );
    assert.deepEqual(await resumeSignIn(kv, undefined, policy), {
      session: null,
      ended: null,
    });
    assert.deepEqual(await resumeSignIn(kv, "not-a-token", policy), {
      session: null,
      ended: null,
    });
  } finally {
    kv.close();
  }
});

Deno.test("a call keeps a sign-in alive past the idle time, never past its lifetime", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const t0 = Date.now();
    const id = await startLoginSession(kv, "doctor-4", policy, t0);
    const idHash = await hashToken(id);
    // Heartbeats every 10 s for three hours, with no page request at all.
    let t = t0;
    for (; t < t0 + 3 * 3_600_000; t += 10_000) {
      assert.ok(await keepLoginSessionAlive(kv, idHash, policy, t));
    }
    assert.ok(
      await resumeLoginSession(kv, id, policy, t + policy.idleMs - 61_000),
      "signed in, well after the idle time since the last page",
    );
    // Up to the very end of its lifetime, and not a moment longer.
    for (t = t0 + 3 * 3_600_000; t < t0 + policy.maxMs; t += 10 * 60_000) {
      assert.ok(await keepLoginSessionAlive(kv, idHash, policy, t));
    }
    assert.equal(
      await keepLoginSessionAlive(kv, idHash, policy, t0 + policy.maxMs),
      false,
    );
    assert.equal(
      await resumeLoginSession(kv, id, policy, t0 + policy.maxMs),
      null,
    );
  } finally {
    kv.close();
  }
});

Deno.test("a call does not revive a sign-in that has lapsed, nor one ended", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const t0 = Date.now();
    const id = await startLoginSession(kv, "doctor-5", policy, t0);
    const idHash = await hashToken(id);
    const lapsed = t0 + policy.idleMs;
    assert.equal(
      await keepLoginSessionAlive(kv, idHash, policy, lapsed),
      false,
    );
    assert.equal(await resumeLoginSession(kv, id, policy, lapsed + 1), null);
    const other = await startLoginSession(kv, "doctor-5", policy, t0);
    await dropLoginSession(kv, await hashToken(other));
    assert.equal(
      await keepLoginSessionAlive(kv, await hashToken(other), policy, t0 + 1),
      false,
    );
  } finally {
    kv.close();
  }
});

Deno.test("under a very short idle time, regular use still keeps a sign-in", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const short = { idleMs: 4_000, maxMs: 3_600_000 };
    const t0 = Date.now();
    const id = await startLoginSession(kv, "doctor-6", short, t0);
    const idHash = await hashToken(id);
    for (let t = t0 + 1_000; t < t0 + 30_000; t += 1_000) {
      assert.ok(
        await keepLoginSessionAlive(kv, idHash, short, t),
        `at ${t - t0}`,
      );
    }
    assert.ok(await resumeLoginSession(kv, id, short, t0 + 31_000));
  } finally {
    kv.close();
  }
});
