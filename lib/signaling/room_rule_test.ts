import assert from "node:assert/strict";
import {
  JOIN_OPENS_BEFORE_MS,
  type JoinState,
  windowEnd,
} from "@/lib/clinic/visit_window.ts";
import {
  readSession,
  recordJoin,
  recordLeave,
} from "@/lib/sessions/session.ts";
import {
  appointment,
  config,
  GRACE_S,
  nobodyLive,
  T0,
} from "@/lib/sessions/test_visit.ts";
import { keys } from "@/lib/store/keys.ts";
import { REFUSALS, roomAdmits, roomRule } from "./room_rule.ts";

Deno.test("room rule: cancelled first, then ended, then the clock", () => {
  const joins: JoinState[] = ["too-early", "open", "over"];
  for (const join of joins) {
    for (const ended of [false, true]) {
      assert.equal(
        roomRule({ scheduled: false, ended, join }),
        REFUSALS.cancelled,
      );
      assert.equal(
        roomRule({ scheduled: true, ended: true, join }),
        REFUSALS.ended,
      );
    }
  }
  assert.equal(
    roomRule({ scheduled: true, ended: false, join: "too-early" }),
    REFUSALS.tooEarly,
  );
  assert.equal(
    roomRule({ scheduled: true, ended: false, join: "over" }),
    REFUSALS.over,
  );
  assert.equal(
    roomRule({ scheduled: true, ended: false, join: "open" }),
    true,
  );
});

Deno.test("room admits: a scheduled visit within its join window", async () => {
  using kv = await Deno.openKv(":memory:");
  const a = appointment("a".repeat(32));
  const admits = (now: number) => roomAdmits(kv, config, nobodyLive, a, now);
  assert.deepEqual(await admits(T0 - JOIN_OPENS_BEFORE_MS - 1), {
    code: "not_open",
    message: "The call opens 10 minutes before the visit.",
  });
  assert.equal(await admits(T0 - JOIN_OPENS_BEFORE_MS), true);
  assert.equal(await admits(windowEnd(a) - 1), true);
  assert.deepEqual(await admits(windowEnd(a)), {
    code: "room_closed",
    message: "This visit's time is over.",
  });
  const cancelled = appointment(a.id, "cancelled");
  assert.deepEqual(await roomAdmits(kv, config, nobodyLive, cancelled, T0), {
    code: "room_closed",
    message: "This visit was cancelled.",
  });
});

Deno.test("room admits: not once the room has ended, whatever the clock says", async () => {
  using kv = await Deno.openKv(":memory:");
  const a = appointment("b".repeat(32));
  await kv.set(keys.roomEnded(a.id), { by: "doctor", at: T0 });
  assert.deepEqual(await roomAdmits(kv, config, nobodyLive, a, T0), {
    code: "room_closed",
    message: "This visit has ended.",
  });
  assert.equal(
    await roomAdmits(kv, config, nobodyLive, a, windowEnd(a)),
    REFUSALS.ended,
    "ended says more than over",
  );
});

Deno.test("room admits: a call everyone left past the grace period is settled, and ended", async () => {
  using kv = await Deno.openKv(":memory:");
  const a = appointment("c".repeat(32));
  await recordJoin(kv, a, "patient", T0);
  await recordLeave(kv, a.id, "patient", "left", T0 + 1_000);
  const withinGrace = T0 + 1_000 + GRACE_S * 1000 - 1;
  assert.equal(await roomAdmits(kv, config, nobodyLive, a, withinGrace), true);
  assert.equal((await readSession(kv, a.id))!.session.status, "open");
  const pastGrace = T0 + 1_000 + GRACE_S * 1000;
  assert.equal(
    await roomAdmits(kv, config, nobodyLive, a, pastGrace),
    REFUSALS.ended,
  );
  assert.equal((await readSession(kv, a.id))!.session.status, "closed");
});

Deno.test("room admits: a cancelled visit's call is not read, so not settled", async () => {
  using kv = await Deno.openKv(":memory:");
  const a = appointment("e".repeat(32));
  await recordJoin(kv, a, "patient", T0);
  await recordLeave(kv, a.id, "patient", "left", T0 + 1_000);
  const cancelled = appointment(a.id, "cancelled");
  assert.equal(
    await roomAdmits(kv, config, nobodyLive, cancelled, T0 + 3_600_000),
    REFUSALS.cancelled,
  );
  assert.equal((await readSession(kv, a.id))!.session.status, "open");
});
