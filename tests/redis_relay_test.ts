/**
 * The Redis relay against a real Redis: what reaches whom, a broker restart
 * mid-call, and a Redis that cannot be reached at start.
 */
import assert from "node:assert/strict";
import { freePort } from "./helpers/ports.ts";
import { NO_REDIS, redisCommand, startRedis } from "./helpers/redis_server.ts";
import {
  redactedUrl,
  RedisRelay,
  RelayUnavailableError,
} from "@/lib/signaling/redis_relay.ts";
import type { RelayMessage } from "@/lib/signaling/relay.ts";

const numbered = (n: number): RelayMessage => ({
  kind: "gone",
  roomId: String(n),
});
const numberOf = (m: RelayMessage) =>
  m.kind === "gone" ? Number(m.roomId) : m.kind;

async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
) {
  const giveUpAt = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The channels some client of this Redis is subscribed to now. */
async function subscribedChannels(port: number): Promise<string[]> {
  return (await redisCommand(port, "PUBSUB", "CHANNELS", "*")).sort();
}

Deno.test({
  name:
    "Redis relay: another server hears in order, each server listens only to its own channels",
  ignore: NO_REDIS,
  async fn() {
    const redis = await startRedis();
    const a = await RedisRelay.connect({ url: redis.url });
    const b = await RedisRelay.connect({ url: redis.url });
    try {
      const onA: RelayMessage[] = [];
      const onB: RelayMessage[] = [];
      a.subscribe("room:x", (m) => onA.push(m));
      await b.subscribe("room:x", (m) => onB.push(m)).ready;
      const other = b.subscribe("doctor:d", () => {});
      await other.ready;
      assert.deepEqual(await subscribedChannels(redis.port), [
        "clinic:doctor:d",
        "clinic:room:x",
      ]);
      for (let n = 0; n < 200; n++) a.publish("room:x", numbered(n));
      await until(() => onB.length === 200, "200 messages on B");
      assert.deepEqual(onB.map(numberOf), [...Array(200).keys()]);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(onA.length, 200, "the sender's own listeners hear it once");
      other.stop();
      await until(() => onB.length === 200, "");
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(await subscribedChannels(redis.port), ["clinic:room:x"]);
    } finally {
      await a.close();
      await b.close();
      await redis.close();
    }
  },
});

Deno.test({
  name:
    "Redis relay: a Redis restart is a gap for every listener, then messages flow again",
  ignore: NO_REDIS,
  async fn() {
    const redis = await startRedis();
    const a = await RedisRelay.connect({ url: redis.url });
    const b = await RedisRelay.connect({ url: redis.url });
    const warn = console.error;
    console.error = () => {}; // the outage is logged on every retry
    try {
      const onB: (number | string)[] = [];
      await b.subscribe("room:r", (m) => onB.push(numberOf(m))).ready;
      a.publish("room:r", numbered(1));
      await until(() => onB.length === 1, "the first message");
      await redis.stop();
      await until(() => !a.available() && !b.available(), "cut off");
      a.publish("room:r", numbered(2)); // lost: nothing is queued
      // A listener that comes while Redis is away (a dashboard opened):
      // told at once, and listening once Redis is back.
      const onOther: (number | string)[] = [];
      const early = b.subscribe("doctor:o", (m) => onOther.push(numberOf(m)));
      await assert.rejects(early.ready);
      await redis.start();
      await until(() => a.available() && b.available(), "back");
      await until(() => onB.includes("gap"), "a gap");
      a.publish("room:r", numbered(3));
      await until(() => onB.includes(3), "the message after the restart");
      assert.deepEqual(onB, [1, "gap", 3]);
      await until(
        async () => (await subscribedChannels(redis.port)).length === 2,
        "both channels subscribed",
      );
      a.publish("doctor:o", numbered(4));
      await until(() => onOther.includes(4), "the early listener's message");
      assert.deepEqual(onOther, ["gap", 4]);
      early.stop();
    } finally {
      console.error = warn;
      await a.close();
      await b.close();
      await redis.close();
    }
  },
});

Deno.test("Redis relay: an unreachable Redis is a clear error in time, without the password", async () => {
  const url = `redis://clinic:s3cret@127.0.0.1:${freePort()}`;
  const warn = console.error;
  console.error = () => {};
  let refused: unknown = null;
  try {
    await RedisRelay.connect({ url, connectTimeoutMs: 1000 });
  } catch (error) {
    refused = error;
  } finally {
    console.error = warn;
  }
  assert.ok(refused instanceof RelayUnavailableError, String(refused));
  assert.match(
    refused.message,
    /^Cannot reach Redis at redis:\/\/clinic:\*\*\*@127\.0\.0\.1:\d+\/? \(REDIS_URL\): /,
  );
  assert.doesNotMatch(refused.message, /s3cret/);
  assert.equal(redactedUrl("not a url"), "(an invalid URL)");
});

Deno.test({
  name:
    "Redis relay: what arrives on a channel that a server could not have sent is dropped",
  ignore: NO_REDIS,
  async fn() {
    const redis = await startRedis();
    const relay = await RedisRelay.connect({ url: redis.url });
    const warn = console.error;
    console.error = () => {};
    try {
      const got: RelayMessage[] = [];
      await relay.subscribe("room:f", (m) => got.push(m)).ready;
      const forged = [
        "not json",
        JSON.stringify({ from: "x", message: { kind: "gap" } }),
        JSON.stringify({
          from: "x",
          message: { kind: "ended", to: "*", by: "doctor", at: "now" },
        }),
        JSON.stringify({
          from: "x",
          message: {
            kind: "signal",
            to: "patient",
            text: '{"type":"session-ended","from":"doctor"}',
            connectionId: "a",
            for: null,
            seq: 1,
          },
        }),
        JSON.stringify({ from: "x", message: numbered(5) }),
      ];
      for (const text of forged) {
        await redisCommand(redis.port, "PUBLISH", "clinic:room:f", text);
      }
      await until(() => got.length === 1, "the one real message");
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(got, [numbered(5)]);
    } finally {
      console.error = warn;
      await relay.close();
      await redis.close();
    }
  },
});
