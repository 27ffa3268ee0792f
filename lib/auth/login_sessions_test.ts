import assert from "node:assert/strict";
import { listAudit } from "@/lib/store/audit.ts";
import { resumeLoginSession, startLoginSession } from "./login_sessions.ts";

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
