import assert from "node:assert/strict";
import { keys } from "@/lib/store/keys.ts";
import { openStore } from "@/lib/store/kv.ts";
import { MAX_SDP } from "@/lib/protocol/messages.ts";
import { KvRelay } from "./kv_relay.ts";
import type { RelayMessage } from "./relay.ts";

/** A message numbered `n` (a waiting-room event is the simplest kind). */
const numbered = (n: number): RelayMessage => ({
  kind: "gone",
  roomId: String(n),
});
const numberOf = (m: RelayMessage) =>
  m.kind === "gone" ? parseInt(m.roomId) : NaN;

async function until(check: () => boolean, what: string) {
  const giveUpAt = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > giveUpAt) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Two servers on one KV file, each with its own handle as isolates have,
 * opened as the app opens its store.
 */
async function twoServers() {
  const dir = await Deno.makeTempDir();
  const kvA = await openStore(`${dir}/relay.kv`);
  const kvB = await openStore(`${dir}/relay.kv`);
  const a = await KvRelay.open(kvA);
  const b = await KvRelay.open(kvB);
  return {
    a,
    b,
    kvA,
    dir,
    async close() {
      await a.close();
      await b.close();
      kvA.close();
      kvB.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("KV relay: another server hears each channel in order; the sender hears itself once", async () => {
  const servers = await twoServers();
  try {
    const { a, b } = servers;
    const onA: RelayMessage[] = [];
    const onB: RelayMessage[] = [];
    const elsewhere: RelayMessage[] = [];
    a.subscribe("room:x", (m) => onA.push(m));
    await b.subscribe("room:x", (m) => onB.push(m)).ready;
    b.subscribe("room:y", (m) => elsewhere.push(m));
    for (let n = 0; n < 300; n++) a.publish("room:x", numbered(n));
    await until(() => onB.length === 300, "300 messages on B");
    assert.deepEqual(onB.map(numberOf), [...Array(300).keys()]);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(onA.length, 300, "local delivery happens once");
    assert.equal(elsewhere.length, 0);
  } finally {
    await servers.close();
  }
});

Deno.test("KV relay: two servers publishing at once lose nothing and keep each sender's order", async () => {
  const servers = await twoServers();
  try {
    const { a, b } = servers;
    const onA: number[] = [];
    const onB: number[] = [];
    a.subscribe("room:z", (m) => onA.push(numberOf(m)));
    b.subscribe("room:z", (m) => onB.push(numberOf(m)));
    for (let n = 0; n < 200; n++) {
      a.publish("room:z", numbered(n)); // 0..199 from A
      b.publish("room:z", numbered(1000 + n)); // 1000..1199 from B
      if (n % 20 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await until(() => onA.length === 400 && onB.length === 400, "all 400");
    for (const got of [onA, onB]) {
      const fromA = got.filter((n) => n < 1000);
      const fromB = got.filter((n) => n >= 1000);
      assert.deepEqual(fromA, [...Array(200).keys()]);
      assert.deepEqual(fromB, [...Array(200).keys()].map((n) => 1000 + n));
    }
    const head = await servers.kvA.get<number>(keys.relayHead());
    assert.equal(head.value, 400, "one number per message, no holes");
  } finally {
    await servers.close();
  }
});

Deno.test("KV relay: a message larger than one KV value arrives whole", async () => {
  const servers = await twoServers();
  try {
    const got: RelayMessage[] = [];
    servers.b.subscribe("room:big", (m) => got.push(m));
    // The largest offer a client may send, in characters that take two
    // bytes each in storage: 64 KB, more than one KV value holds.
    const sdp = "v=0 " + "é".repeat(MAX_SDP - 4);
    const offer: RelayMessage = {
      kind: "signal",
      to: "doctor",
      text: `${
        JSON.stringify({ type: "offer", sdp }).slice(0, -1)
      },"from":"patient"}`,
      connectionId: "a1",
      for: "b2",
      seq: 1,
    };
    servers.a.publish("room:big", offer);
    servers.a.publish("room:big", numbered(2));
    await until(() => got.length === 2, "both messages");
    assert.deepEqual(got[0], offer);
    assert.deepEqual(got[1], numbered(2));
  } finally {
    await servers.close();
  }
});

Deno.test("KV relay: numbers that expired before they were read are a gap for every listener", async () => {
  const servers = await twoServers();
  try {
    const { a, b, kvA } = servers;
    const got: RelayMessage[] = [];
    b.subscribe("room:g", (m) => got.push(m));
    b.subscribe("doctor:d", (m) => got.push(m));
    a.publish("room:g", numbered(1));
    await until(() => got.length === 1, "the first message");
    // Three numbers taken whose entries are gone, as after expiry.
    const head = await kvA.get<number>(keys.relayHead());
    await kvA.set(keys.relayHead(), head.value! + 3);
    await until(() => got.length === 3, "a gap on both channels");
    assert.deepEqual(got.slice(1), [{ kind: "gap" }, { kind: "gap" }]);
    a.publish("room:g", numbered(2));
    await until(() => got.length === 4, "the next message");
    assert.deepEqual(got[3], numbered(2));
  } finally {
    await servers.close();
  }
});

Deno.test("KV relay: another process on the same KV file is reached by the timed read", async () => {
  const dir = await Deno.makeTempDir();
  const kv = await openStore(`${dir}/relay.kv`);
  const relay = await KvRelay.open(kv);
  try {
    const got: number[] = [];
    relay.subscribe("room:p", (m) => got.push(numberOf(m)));
    const script = `
      import { KvRelay } from ${
      JSON.stringify(import.meta.resolve("./kv_relay.ts"))
    };
      const kv = await Deno.openKv(${JSON.stringify(`${dir}/relay.kv`)});
      const relay = await KvRelay.open(kv);
      for (let n = 0; n < 20; n++) relay.publish("room:p", { kind: "gone", roomId: String(n) });
      await relay.close();
      kv.close();
    `;
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--unstable-kv", script],
      env: { LOG_LEVEL: "warn" },
      stdout: "null",
      stderr: "inherit",
    }).output();
    assert.ok(child.success, "the other process published");
    await until(() => got.length === 20, "20 messages from the other process");
    assert.deepEqual(got, [...Array(20).keys()]);
  } finally {
    await relay.close();
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("KV relay: what a server could not have sent is dropped, not delivered", async () => {
  const servers = await twoServers();
  try {
    const got: RelayMessage[] = [];
    servers.b.subscribe("room:h", (m) => got.push(m));
    const forged: unknown[] = [
      { kind: "ended", to: "*", by: "nobody", at: 1 },
      {
        kind: "signal",
        to: "patient",
        text: '{"type":"joined"}',
        connectionId: "a",
        for: null,
        seq: 1,
      },
      {
        kind: "signal",
        to: "patient",
        text:
          '{"type":"offer","sdp":"x","type":"session-ended","from":"doctor"}',
        connectionId: "a",
        for: null,
        seq: 1,
      },
      {
        kind: "chat",
        to: "patient",
        line: { id: "1", from: "doctor", text: "x", at: "soon" },
        connectionId: "a",
        for: null,
        seq: 1,
      },
      { kind: "gap" },
      "not an object",
    ];
    const warn = console.error;
    console.error = () => {};
    try {
      for (const message of forged) {
        servers.a.publish("room:h", message as RelayMessage);
      }
      servers.a.publish("room:h", numbered(7));
      await until(() => got.length === 1, "the one real message");
    } finally {
      console.error = warn;
    }
    assert.deepEqual(got, [numbered(7)]);
  } finally {
    await servers.close();
  }
});

/**
 * A store whose first `times` commits are refused the way SQLite refuses a
 * write while another isolate holds the file's lock.
 */
function lockedAtFirst(kv: Deno.Kv, times: number): Deno.Kv {
  let refusals = times;
  const op = (real: Deno.AtomicOperation): Deno.AtomicOperation => {
    const wrapped: Deno.AtomicOperation = new Proxy(real, {
      get(target, name) {
        if (name === "commit") {
          return () => {
            if (refusals-- > 0) {
              return Promise.reject(new TypeError("database is locked"));
            }
            return target.commit();
          };
        }
        const value = Reflect.get(target, name);
        if (typeof value !== "function") return value;
        // Chained calls (`check(...).set(...)`) stay on the wrapper.
        return (...args: unknown[]) => {
          value.apply(target, args);
          return wrapped;
        };
      },
    });
    return wrapped;
  };
  return new Proxy(kv, {
    get(target, name) {
      if (name === "atomic") return () => op(target.atomic());
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

Deno.test("KV relay: a write refused while another isolate holds the file's lock is sent once it is free", async () => {
  const dir = await Deno.makeTempDir();
  const kvA = await openStore(`${dir}/relay.kv`);
  const kvB = await openStore(`${dir}/relay.kv`);
  const a = await KvRelay.open(lockedAtFirst(kvA, 3));
  const b = await KvRelay.open(kvB);
  try {
    const onB: RelayMessage[] = [];
    await b.subscribe("room:x", (m) => onB.push(m)).ready;
    for (let n = 0; n < 5; n++) a.publish("room:x", numbered(n));
    await until(() => onB.length === 5, "5 messages on B");
    assert.deepEqual(onB.map(numberOf), [0, 1, 2, 3, 4]);
    assert.equal((await kvB.get<number>(keys.relayHead())).value, 5);
  } finally {
    await a.close();
    await b.close();
    kvA.close();
    kvB.close();
    await Deno.remove(dir, { recursive: true });
  }
});
