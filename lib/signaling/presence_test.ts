import assert from "node:assert/strict";
import { Presence } from "./presence.ts";

const STALE_MS = 30_000;

Deno.test("inRooms answers each room's live members, read together", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const presence = new Presence(kv, STALE_MS);
    const now = Date.now();
    // More rooms than one getMany reads, so the reads are split.
    const rooms = Array.from({ length: 12 }, (_, i) => `room${i}`);
    for (const [i, room] of rooms.entries()) {
      await presence.claim(room, "patient", `p${i}`, "isolate", now);
      if (i % 3 === 0) {
        await presence.claim(room, "doctor", `d${i}`, "isolate", now);
      }
    }
    // A member whose heartbeat is older than the stale time is gone.
    await presence.claim(
      "room11",
      "doctor",
      "old",
      "isolate",
      now - STALE_MS - 1,
    );
    const live = await presence.inRooms(rooms, now);
    for (const [i, room] of rooms.entries()) {
      assert.equal(
        (live.member(room, "patient"))?.connectionId,
        `p${i}`,
      );
      assert.equal(
        live.member(room, "doctor")?.connectionId ?? null,
        i % 3 === 0 ? `d${i}` : null,
        room,
      );
      // The same answer as asking for each member on its own.
      assert.deepEqual(
        live.member(room, "doctor"),
        await presence.member(room, "doctor", now),
      );
    }
    assert.equal(live.member("elsewhere", "patient"), null);
  } finally {
    kv.close();
  }
});
