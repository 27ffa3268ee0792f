import assert from "node:assert/strict";
import {
  BroadcastChannelRelay,
  InProcessRelay,
  type Relay,
  type RelayMessage,
} from "./relay.ts";

/** A message numbered `n`, to see what arrived and in which order. */
const numbered = (n: number): RelayMessage => ({
  kind: "gone",
  roomId: String(n),
});
const numbers = (got: RelayMessage[]) =>
  got.map((m) => m.kind === "gone" ? Number(m.roomId) : NaN);

function collect(relay: Relay, channel: string) {
  const got: RelayMessage[] = [];
  const subscription = relay.subscribe(channel, (m) => got.push(m));
  return { got, stop: () => subscription.stop() };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
};

Deno.test("in-process relay: a subscription stopped twice leaves the channel's newer listeners be", () => {
  const relay = new InProcessRelay();
  const first = collect(relay, "room:a");
  first.stop();
  const second = collect(relay, "room:a");
  first.stop();
  relay.publish("room:a", numbered(1));
  assert.deepEqual(numbers(second.got), [1]);
  assert.deepEqual(first.got, []);
  second.stop();
  assert.equal(relay.channelCount, 0);
});

Deno.test("in-process relay: delivers per channel, in order, until unsubscribed", () => {
  const relay = new InProcessRelay();
  const a = collect(relay, "room:a");
  const b = collect(relay, "room:b");
  relay.publish("room:a", numbered(1));
  relay.publish("room:a", numbered(2));
  relay.publish("room:b", numbered(3));
  assert.deepEqual(numbers(a.got), [1, 2]);
  assert.deepEqual(numbers(b.got), [3]);
  a.stop();
  relay.publish("room:a", numbered(4));
  assert.equal(a.got.length, 2);
  b.stop();
  assert.equal(relay.channelCount, 0);
});

Deno.test("in-process relay: a failing listener does not stop the others", () => {
  const relay = new InProcessRelay();
  relay.subscribe("c", () => {
    throw new Error("listener bug");
  });
  const ok = collect(relay, "c");
  const error = console.error;
  console.error = () => {};
  try {
    relay.publish("c", numbered(1));
  } finally {
    console.error = error;
  }
  assert.deepEqual(numbers(ok.got), [1]);
});

Deno.test("BroadcastChannel relay: reaches another relay (another isolate) and itself once", async () => {
  const name = `test-${crypto.randomUUID()}`;
  const one = new BroadcastChannelRelay(name);
  const two = new BroadcastChannelRelay(name);
  try {
    const onOne = collect(one, "room:x");
    const onTwo = collect(two, "room:x");
    const other = collect(two, "room:y");
    for (let n = 0; n < 50; n++) one.publish("room:x", numbered(n));
    await until(() => onTwo.got.length === 50);
    assert.deepEqual(numbers(onTwo.got), [...Array(50).keys()]);
    // Local delivery happens once, not again through the channel.
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(onOne.got.length, 50);
    assert.equal(other.got.length, 0);
  } finally {
    one.close();
    two.close();
  }
});
