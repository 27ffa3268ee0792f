import assert from "node:assert/strict";
import { listAudit } from "@/lib/store/audit.ts";
import { keys } from "@/lib/store/keys.ts";
import { addSample } from "./call_quality.ts";
import { closeSession, currentSession, type Liveness } from "./close.ts";
import { readSession, recordJoin, recordLeave } from "./session.ts";
import { appointment, config, GRACE_S, nobodyLive, T0 } from "./test_visit.ts";

async function count(kv: Deno.Kv, prefix: Deno.KvKey) {
  let n = 0;
  for await (const _ of kv.list({ prefix })) n++;
  return n;
}

Deno.test("a session records joins, the start, a reconnect and the end", async () => {
  using kv = await Deno.openKv(":memory:");
  const a = appointment("a".repeat(32));
  await recordJoin(kv, a, "patient", T0);
  await recordJoin(kv, a, "doctor", T0 + 30_000);
  await recordLeave(kv, a.id, "patient", "disconnected", T0 + 60_000);
  await recordJoin(kv, a, "patient", T0 + 65_000);
  const closed = await closeSession(kv, config, a.id, {
    how: "doctor-ended",
    at: T0 + 630_000,
    actor: { kind: "doctor", id: a.doctorId },
    endedBy: "doctor",
  }, T0 + 630_000);
  const s = closed!.session;
  assert.equal(closed!.first, true);
  assert.equal(s.openedAt, T0);
  assert.equal(s.startedAt, T0 + 30_000, "both first in the call");
  assert.equal(s.endedAt, T0 + 630_000);
  assert.equal(s.durationSeconds, 600);
  assert.equal(s.endedHow, "doctor-ended");
  assert.equal(s.participants.patient.joins, 2);
  assert.equal(s.participants.patient.firstJoinedAt, T0);
  assert.equal(s.participants.doctor.lastLeftAt, T0 + 630_000);
  assert.deepEqual(
    s.timeline.map((e) => `${e.role} ${e.kind} ${e.reason ?? ""}`.trim()),
    [
      "patient joined",
      "doctor joined",
      "patient left disconnected",
      "patient rejoined",
      "doctor left ended",
      "patient left ended",
    ],
  );
  // The listings hold the same facts.
  const listed = await kv.get(
    keys.sessionByPatient(a.patientId, T0, a.id),
  );
  assert.equal((listed.value as { status: string }).status, "closed");
  // A closed session lets nobody in again.
  assert.equal(await recordJoin(kv, a, "patient", T0 + 700_000), null);
});

Deno.test("ending at once from many places closes one session with one report", async () => {
  using kv = await Deno.openKv(":memory:");
  const a = appointment("b".repeat(32));
  await recordJoin(kv, a, "doctor", T0);
  await recordJoin(kv, a, "patient", T0 + 1000);
  const results = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      closeSession(kv, config, a.id, {
        how: "doctor-ended",
        at: T0 + 5000 + i,
        actor: { kind: "doctor", id: a.doctorId },
        endedBy: "doctor",
      }, T0 + 5000 + i)),
  );
  assert.equal(results.filter((r) => r!.first).length, 1);
  const winner = results.find((r) => r!.first)!;
  for (const r of results) {
    assert.equal(r!.session.endedAt, winner.session.endedAt);
    assert.equal(r!.report.generatedAt, winner.report.generatedAt);
  }
  assert.equal(await count(kv, ["session_reports"]), 1);
  const trail = await listAudit(kv, { limit: 100 });
  assert.equal(
    trail.items.filter((e) => e.action === "session.ended").length,
    1,
  );
});

Deno.test("a session everyone left closes itself after the grace period, on read", async () => {
  using kv = await Deno.openKv(":memory:");
  const a = appointment("c".repeat(32));
  await recordJoin(kv, a, "doctor", T0);
  await recordJoin(kv, a, "patient", T0 + 2000);
  await recordLeave(kv, a.id, "patient", "left", T0 + 100_000);
  await recordLeave(kv, a.id, "doctor", "left", T0 + 120_000);

  const early = await currentSession(
    kv,
    config,
    nobodyLive,
    a.id,
    T0 + 120_000 + GRACE_S * 1000 - 1,
  );
  assert.equal(early!.status, "open", "still within the grace period");
  const late = await currentSession(
    kv,
    config,
    nobodyLive,
    a.id,
    T0 + 120_000 + GRACE_S * 1000,
  );
  assert.equal(late!.status, "closed");
  assert.equal(late!.endedHow, "both-left");
  assert.equal(late!.endedAt, T0 + 120_000, "ended when the last one left");
  assert.equal(late!.durationSeconds, 118);
  assert.equal(
    (await kv.get(keys.roomEnded(a.id))).value !== null,
    true,
    "the room admits nobody again",
  );
});

Deno.test("lost connections end as timed out; a live member keeps it open", async () => {
  using kv = await Deno.openKv(":memory:");
  const a = appointment("e".repeat(32));
  await recordJoin(kv, a, "doctor", T0);
  await recordJoin(kv, a, "patient", T0 + 1000);
  await recordLeave(kv, a.id, "patient", "timeout", T0 + 50_000);
  const later = T0 + 10 * GRACE_S * 1000;
  // The doctor is still connected (a live member): nothing closes.
  const live: Liveness = {
    member: (_, role) => Promise.resolve(role === "doctor" ? {} : null),
  };
  assert.equal(
    (await currentSession(kv, config, live, a.id, later))!.status,
    "open",
  );
  // Their server died: the record says present, nobody is live.
  const gone = await currentSession(kv, config, nobodyLive, a.id, later);
  assert.equal(gone!.status, "closed");
  assert.equal(gone!.endedHow, "timed-out");
  assert.equal(gone!.endedAt, T0 + 50_000);
  assert.equal((await readSession(kv, a.id))!.session.status, "closed");
});

Deno.test("quality samples sum up into averages, worst values and ratings", () => {
  let q = addSample(null, {
    rttMs: 20,
    lossPercent: 0,
    jitterMs: 2,
    bitrateKbps: 1000,
    relayed: false,
    rating: "good",
  }, T0);
  q = addSample(q, {
    rttMs: 60,
    lossPercent: 4,
    jitterMs: null,
    bitrateKbps: 600,
    relayed: true,
    rating: "poor",
  }, T0 + 6000);
  assert.equal(q.samples, 2);
  assert.deepEqual(q.ratings, { good: 1, fair: 0, poor: 1, unknown: 0 });
  assert.deepEqual(q.rttMs, { count: 2, sum: 80, max: 60 });
  assert.deepEqual(q.jitterMs, { count: 1, sum: 2, max: 2 });
  assert.equal(q.relayed, true);
  assert.equal(q.lastAt, T0 + 6000);
});
