import assert from "node:assert/strict";
import { appendChat, readChat } from "./chat_log.ts";

const ROOM = "c".repeat(32);
const kept = { expireAt: null, maxLines: 3 };

Deno.test("chat lines are read back in the order the server took them, and the line over the limit is refused", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const at = Date.UTC(2026, 10, 25, 9, 0);
    // Later lines stamped with an earlier clock still come after.
    await appendChat(kv, ROOM, "patient", "Hello", kept, at);
    await appendChat(kv, ROOM, "doctor", "Good morning", kept, at - 5_000);
    await appendChat(kv, ROOM, "patient", "I can hear you", kept, at - 9_000);
    assert.equal(
      await appendChat(kv, ROOM, "doctor", "One too many", kept, at),
      null,
    );
    const lines = await readChat(kv, ROOM);
    assert.deepEqual(lines.map((l) => [l.from, l.text]), [
      ["patient", "Hello"],
      ["doctor", "Good morning"],
      ["patient", "I can hear you"],
    ]);
    assert.deepEqual(await readChat(kv, "d".repeat(32)), []);
  } finally {
    kv.close();
  }
});

Deno.test("lines sent at the same moment by both sides are all kept, none twice", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const rules = { expireAt: null, maxLines: 100 };
    await Promise.all(
      Array.from(
        { length: 40 },
        (_, i) =>
          appendChat(
            kv,
            ROOM,
            i % 2 ? "doctor" : "patient",
            `line ${i}`,
            rules,
          ),
      ),
    );
    const texts = (await readChat(kv, ROOM)).map((l) => l.text).sort();
    assert.equal(new Set(texts).size, 40);
  } finally {
    kv.close();
  }
});
