import assert from "node:assert/strict";
import { IN_FLIGHT_MS, MessageOrder, type Numbered } from "./message_order.ts";

/** Two sockets that know each other: `a` sends, `b` receives. */
function pair() {
  const a = new MessageOrder("A");
  const b = new MessageOrder("B");
  a.meet("B");
  b.meet("A");
  return { a, b };
}

Deno.test("message order: in order is delivered, once", () => {
  const { a, b } = pair();
  const one = a.stamp();
  const two = a.stamp();
  assert.deepEqual(one, { connectionId: "A", for: "B", seq: 1 });
  assert.equal(b.receive(one), "deliver");
  assert.equal(b.receive(two), "deliver");
  assert.equal(b.receive(two), "drop", "a message heard twice is dropped");
});

Deno.test("message order: a missing number is a gap, and numbering goes on after it", () => {
  const { a, b } = pair();
  assert.equal(b.receive(a.stamp()), "deliver");
  a.stamp(); // lost on the way
  assert.equal(b.receive(a.stamp()), "gap");
  assert.equal(b.receive(a.stamp()), "deliver");
});

Deno.test("message order: what was meant for an earlier socket is left aside", () => {
  const { a, b } = pair();
  const forOld: Numbered = { connectionId: "A", for: "B-old", seq: 7 };
  assert.equal(b.receive(forOld), "drop");
  const beforeKnowing: Numbered = { connectionId: "A", for: null, seq: 1 };
  assert.equal(b.receive(beforeKnowing), "drop");
  assert.equal(b.receive(a.stamp()), "deliver");
});

Deno.test("message order: a peer socket whose arrival was lost shows itself as a gap", () => {
  const b = new MessageOrder("B");
  const a2 = new MessageOrder("A2");
  a2.meet("B");
  a2.stamp(); // its peer-joined, lost
  assert.equal(b.receive(a2.stamp()), "gap");
  assert.equal(b.peer, "A2");
  assert.equal(b.receive(a2.stamp()), "deliver");
});

Deno.test("message order: an arrival starts the numbering again both ways", () => {
  const { a, b } = pair();
  b.receive(a.stamp());
  b.receive(a.stamp());
  // A's socket is replaced by A2, which knew B from the room's presence.
  const a2 = new MessageOrder("A2");
  a2.meet("B");
  assert.equal(b.arrived(a2.stamp()), "deliver");
  assert.equal(b.arrived({ connectionId: "A2", for: "B", seq: 1 }), "drop");
  assert.equal(b.receive(a2.stamp()), "deliver");
  assert.deepEqual(b.stamp(), { connectionId: "B", for: "A2", seq: 1 });
  // An arrival announced before it knew B: what follows starts from 1.
  const c = new MessageOrder("B");
  assert.equal(c.arrived({ connectionId: "A3", for: null, seq: 1 }), "deliver");
  assert.equal(c.receive({ connectionId: "A3", for: "B", seq: 1 }), "deliver");
});

Deno.test("message order: a lost last message is noticed one heartbeat later", () => {
  const { a, b } = pair();
  b.receive(a.stamp());
  a.stamp(); // the last message, lost: nothing follows to show a gap
  // First heartbeat: A reports 2 sent; it may still be on its way.
  assert.equal(b.missing(a.progress, 0), false);
  // Sooner than a relay surely delivers: not judged yet.
  assert.equal(b.missing(a.progress, IN_FLIGHT_MS - 1), false);
  // Next heartbeat: what A had sent by the first one is still missing.
  assert.equal(b.missing(a.progress, 10_000), true);
  // Once, not again for the same loss.
  assert.equal(b.missing(a.progress, 20_000), false);
  // A progress meant for another socket says nothing.
  assert.equal(b.missing({ for: "B-old", count: 99 }, 30_000), false);
  assert.equal(b.missing(undefined, 40_000), false);
});

Deno.test("message order: what arrived by the next heartbeat is not a loss", () => {
  const { a, b } = pair();
  const late = a.stamp();
  assert.equal(b.missing(a.progress, 0), false);
  assert.equal(b.receive(late), "deliver");
  assert.equal(b.missing(a.progress, 10_000), false);
});

Deno.test("message order: two sockets that found each other at once count each other's announcement", () => {
  // Both joined at the same moment and each found the other in the room.
  const { a, b } = pair();
  assert.equal(b.arrived(a.stamp()), "drop", "not news");
  assert.equal(b.receive(a.stamp()), "deliver", "and not a gap after it");
});
