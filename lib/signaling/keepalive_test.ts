import assert from "node:assert/strict";
import { KeepAlive, TURN_MS } from "./keepalive.ts";

/** A socket that counts its turns. */
class Counted {
  turns = 0;
  tick() {
    this.turns++;
  }
}

/** Resolves once `done()` holds, checking at each of the sweep's turns. */
function until(done: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const giveUp = setTimeout(() => {
      clearInterval(poll);
      reject(new Error("never happened"));
    }, 10_000);
    const poll = setInterval(() => {
      if (!done()) return;
      clearInterval(poll);
      clearTimeout(giveUp);
      resolve();
    }, 1);
  });
}

Deno.test("every socket gets one turn an interval, and none after it is deleted", async () => {
  const keepAlive = new KeepAlive<Counted>(4 * TURN_MS);
  assert.equal(keepAlive.slots, 4);
  const [a, b, c] = [new Counted(), new Counted(), new Counted()];
  keepAlive.add(a);
  keepAlive.add(b);
  keepAlive.add(a); // twice is once
  assert.equal(keepAlive.size, 2);
  await until(() => a.turns >= 3);
  assert.ok(Math.abs(a.turns - b.turns) <= 1, "turns come evenly");

  keepAlive.add(c);
  keepAlive.delete(b);
  const bTurns = b.turns;
  await until(() => c.turns >= 2);
  assert.equal(b.turns, bTurns, "a deleted socket has no more turns");

  keepAlive.delete(a);
  keepAlive.delete(c);
  keepAlive.delete(c); // deleting again changes nothing
  assert.equal(keepAlive.size, 0);
  // The timer stopped with the last socket: the test's sanitizer says so.
});

Deno.test("an interval is cut in turns of 50 ms, one at least and 200 at most", () => {
  assert.equal(new KeepAlive(5000).slots, 100);
  assert.equal(new KeepAlive(50).slots, 1);
  assert.equal(new KeepAlive(10).slots, 1);
  assert.equal(new KeepAlive(60_000).slots, 200);
});

Deno.test("a socket added during a turn has its first turn one interval later", async () => {
  const keepAlive = new KeepAlive<Counted>(2 * TURN_MS);
  const order: string[] = [];
  const later = new Counted();
  later.tick = () => {
    order.push("later");
    Counted.prototype.tick.call(later);
  };
  const first = new Counted();
  first.tick = () => {
    order.push("first");
    Counted.prototype.tick.call(first);
    // Added in the middle of the turn of its own slot.
    if (first.turns === 1) keepAlive.add(later);
  };
  keepAlive.add(first);
  await until(() => later.turns === 1);
  assert.deepEqual(order.slice(0, 3), ["first", "first", "later"]);
  keepAlive.delete(first);
  keepAlive.delete(later);
});
