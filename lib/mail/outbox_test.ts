import assert from "node:assert/strict";
import { keys } from "@/lib/store/keys.ts";
import { openStore } from "@/lib/store/kv.ts";
import {
  claimMail,
  dueMail,
  finishMail,
  getMail,
  mailOfAppointment,
  type NewMail,
  queueMail,
  retryDelay,
  skipQueued,
} from "./outbox.ts";
import { releaseSweepLease, takeSweepLease } from "./scheduler.ts";

const T0 = 1_800_000_000_000;
const LEASE = 60_000;

async function queued(kv: Deno.Kv, input: Partial<NewMail> = {}) {
  const op = kv.atomic();
  const m = queueMail(op, {
    kind: "reminder",
    appointmentId: "a1",
    to: "ada@example.org",
    dueAt: T0,
    ...input,
  }, T0 - 1000);
  assert.ok((await op.commit()).ok);
  return m;
}

/**
 * Two handles on one KV file, as two servers sharing a store have, opened
 * as the server opens its store (waiting out SQLite's lock).
 */
async function twoHandles(): Promise<[Deno.Kv, Deno.Kv, () => Promise<void>]> {
  const dir = await Deno.makeTempDir();
  const a = await openStore(`${dir}/kv`);
  const b = await openStore(`${dir}/kv`);
  return [a, b, async () => {
    a.close();
    b.close();
    await Deno.remove(dir, { recursive: true });
  }];
}

Deno.test("outbox: a message is not due before its time, then listed", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const m = await queued(kv);
    assert.deepEqual(await dueMail(kv, T0 - 1), []);
    assert.deepEqual(await dueMail(kv, T0), [m.id]);
    assert.equal(await claimMail(kv, m.id, "s1", T0 - 1, LEASE), null);
  } finally {
    kv.close();
  }
});

Deno.test("outbox: only a checked address is queued", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    for (
      const to of [
        "ada@example.org\r\nBcc: eve@evil.test",
        "Ada <ada@example.org>",
        "not an address",
      ]
    ) {
      assert.throws(() =>
        queueMail(kv.atomic(), {
          kind: "invitation",
          appointmentId: "a1",
          to,
          dueAt: T0,
        }, T0)
      );
    }
  } finally {
    kv.close();
  }
});

Deno.test("outbox: two servers racing for each message, each is claimed once", async () => {
  const [a, b, close] = await twoHandles();
  try {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await queued(a)).id);
    const wins = await Promise.all(ids.flatMap((id) => [
      claimMail(a, id, "server-a", T0, LEASE),
      claimMail(b, id, "server-b", T0, LEASE),
    ]));
    for (let i = 0; i < ids.length; i++) {
      const pair = wins.slice(2 * i, 2 * i + 2).filter((w) => w !== null);
      assert.equal(pair.length, 1, `message ${i} claimed exactly once`);
      assert.equal(pair[0]!.message.attempts, 1);
    }
    assert.deepEqual(await dueMail(a, T0), [], "claimed ones are not due");
  } finally {
    await close();
  }
});

Deno.test("outbox: a claim left by a server that died is retaken after its lease", async () => {
  const [a, b, close] = await twoHandles();
  try {
    const m = await queued(a);
    const first = await claimMail(a, m.id, "dead", T0, LEASE);
    assert.ok(first);
    // Server "dead" never finishes. Before the lease ends nobody may take it.
    assert.equal(
      await claimMail(b, m.id, "alive", T0 + LEASE - 1, LEASE),
      null,
    );
    assert.deepEqual(await dueMail(b, T0 + LEASE - 1), []);
    assert.deepEqual(await dueMail(b, T0 + LEASE), [m.id]);
    const retaken = await claimMail(b, m.id, "alive", T0 + LEASE, LEASE);
    assert.ok(retaken);
    assert.equal(retaken.message.attempts, 2);
    assert.equal(retaken.message.claim?.by, "alive");
    assert.match(retaken.message.lastError ?? "", /stopped/);
    const sent = await finishMail(b, retaken, { kind: "sent" }, T0 + LEASE + 5);
    assert.equal(sent?.status, "sent");
    // The dead server's late finish changes nothing.
    assert.equal(
      await finishMail(
        a,
        first,
        { kind: "failed", error: "late" },
        T0 + LEASE + 6,
      ),
      null,
    );
    assert.equal((await getMail(a, m.id))?.value.status, "sent");
    assert.deepEqual(await dueMail(a, T0 + 10 * LEASE), []);
  } finally {
    await close();
  }
});

Deno.test("outbox: failures are retried after 1, 2, 5, 10, 30, 60 min, then failed", async () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelay(n)),
    [1, 2, 5, 10, 30, 60].map((m) => m * 60_000).concat([null as never]),
  );
  const kv = await Deno.openKv(":memory:");
  try {
    const m = await queued(kv);
    const delays = [10, 20];
    let now = T0;
    for (const delay of delays) {
      const claimed = await claimMail(kv, m.id, "s", now, LEASE);
      assert.ok(claimed);
      const after = await finishMail(
        kv,
        claimed,
        {
          kind: "failed",
          error: "ECONNREFUSED: connect refused",
        },
        now,
        delays,
      );
      assert.equal(after?.status, "queued");
      assert.equal(after?.lastError, "ECONNREFUSED: connect refused");
      assert.equal(after?.nextAttemptAt, now + delay);
      assert.deepEqual(await dueMail(kv, now + delay - 1), []);
      now += delay;
      assert.deepEqual(await dueMail(kv, now), [m.id]);
    }
    const last = await claimMail(kv, m.id, "s", now, LEASE);
    assert.ok(last);
    const failed = await finishMail(
      kv,
      last,
      {
        kind: "failed",
        error: "ECONNREFUSED: connect refused",
      },
      now,
      delays,
    );
    assert.equal(failed?.status, "failed");
    assert.equal(failed?.attempts, 3);
    assert.match(failed?.reason ?? "", /after 3 tries: ECONNREFUSED/);
    assert.deepEqual(await dueMail(kv, now + 10 * LEASE), [], "never again");
  } finally {
    kv.close();
  }
});

Deno.test("outbox: skipping a visit's queued messages leaves sent and claimed ones", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const sent = await queued(kv, { kind: "invitation" });
    const claimedOne = await queued(kv);
    const waiting = await queued(kv, { dueAt: T0 + 3_600_000 });
    const other = await queued(kv, { appointmentId: "a2" });
    const c1 = await claimMail(kv, sent.id, "s", T0, LEASE);
    await finishMail(kv, c1!, { kind: "sent" }, T0);
    assert.ok(await claimMail(kv, claimedOne.id, "s", T0, LEASE));
    const n = await skipQueued(
      kv,
      "a1",
      () => true,
      "The visit was cancelled.",
    );
    assert.equal(n, 1);
    const byId = new Map(
      (await mailOfAppointment(kv, "a1")).map((m) => [m.id, m]),
    );
    assert.equal(byId.get(sent.id)?.status, "sent");
    assert.equal(byId.get(claimedOne.id)?.status, "sending");
    assert.equal(byId.get(waiting.id)?.status, "skipped");
    assert.equal(byId.get(waiting.id)?.reason, "The visit was cancelled.");
    assert.equal((await getMail(kv, other.id))?.value.status, "queued");
    const due = await dueMail(kv, T0 + 7_200_000);
    assert.ok(!due.includes(waiting.id));
    assert.ok(due.includes(other.id));
  } finally {
    kv.close();
  }
});

Deno.test("sweep lease: one server at a time; a dead one's lease runs out", async () => {
  const [a, b, close] = await twoHandles();
  try {
    const [x, y] = await Promise.all([
      takeSweepLease(a, "a", T0, LEASE),
      takeSweepLease(b, "b", T0, LEASE),
    ]);
    assert.equal(Number(x) + Number(y), 1, "exactly one gets it");
    const holder = x ? "a" : "b";
    const other = x ? "b" : "a";
    assert.equal(await takeSweepLease(a, other, T0 + 1, LEASE), false);
    assert.equal(await takeSweepLease(a, holder, T0 + 1, LEASE), true);
    assert.equal(await takeSweepLease(b, other, T0 + 1 + LEASE, LEASE), true);
    await releaseSweepLease(a, other);
    assert.equal((await a.get(keys.mailSweepLease())).value, null);
  } finally {
    await close();
  }
});
