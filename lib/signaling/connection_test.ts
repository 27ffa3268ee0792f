import assert from "node:assert/strict";
import { heartbeatDue } from "./connection.ts";
import { HEARTBEAT_MS } from "./room_member.ts";

/** The ticks, from a socket's join, on which a heartbeat is written. */
function beats(keepaliveMs: number, lateMs: (tick: number) => number) {
  const out: number[] = [];
  let last = 0;
  for (let tick = 1; tick <= 8; tick++) {
    const now = tick * keepaliveMs + lateMs(tick);
    if (heartbeatDue(now - last, keepaliveMs)) {
      out.push(tick);
      last = now;
    }
  }
  return out;
}

Deno.test("a heartbeat every HEARTBEAT_MS at the default keep-alive, whatever the timer's lateness", () => {
  assert.equal(HEARTBEAT_MS, 10_000);
  const onTime = () => 0;
  const jittery = (tick: number) => (tick % 3) * 900;
  for (const late of [onTime, jittery]) {
    assert.deepEqual(beats(5_000, late), [2, 4, 6, 8]);
    // Shorter keep-alives (tests) beat on every other tick, sooner.
    assert.deepEqual(beats(100, (t) => late(t) / 50), [2, 4, 6, 8]);
  }
  // Ticks further apart than half of HEARTBEAT_MS: every tick.
  assert.deepEqual(beats(20_000, onTime), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(beats(6_000, onTime), [1, 2, 3, 4, 5, 6, 7, 8]);
});
