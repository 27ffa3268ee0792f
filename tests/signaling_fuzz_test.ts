/**
 * A hostile client sends thousands of random and malformed messages over
 * several sockets while a legitimate pair keeps talking: the pair receives
 * every message it should, in order, and nothing else; the server stays up.
 */
import assert from "node:assert/strict";
import { signalingTest } from "./helpers/layouts.ts";
import { SignalClient } from "./helpers/signal_client.ts";
import { pair } from "./helpers/room_pair.ts";
import { generator } from "./helpers/seeded_random.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? Date.now() % 100_000);
const HOSTILE_MESSAGES = 3000;
const LEGIT_ROUNDS = 60;

function hostileMessage(
  next: () => number,
  roomId: string,
): string | Uint8Array {
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  const text = (n: number) =>
    Array.from(
      { length: n },
      () => String.fromCharCode(Math.floor(next() * 0xffff)),
    ).join("");
  switch (Math.floor(next() * 10)) {
    case 0:
      return text(1 + Math.floor(next() * 200));
    case 1:
      return JSON.stringify({ type: "offer", sdp: "v=0" }).slice(
        0,
        Math.floor(next() * 20),
      );
    case 2:
      return JSON.stringify({
        type: pick(["offer", "answer", "chat", "ice-candidate", "x", 7, null]),
      });
    case 3:
      return JSON.stringify({ type: "join-room", roomId, ticket: text(43) });
    case 4:
      return JSON.stringify({
        type: "join-room",
        roomId,
        ticket: "A".repeat(43),
      });
    case 5:
      return JSON.stringify({
        type: "chat",
        text: pick([42, null, [], {}, ""]),
      });
    case 6:
      return new Uint8Array(Math.floor(next() * 64)).map(() =>
        Math.floor(next() * 256)
      );
    case 7:
      return JSON.stringify({ type: "offer", sdp: "x".repeat(70 * 1024) });
    case 8:
      return JSON.stringify(
        pick([[], 1, "s", null, true, { type: { nested: 1 } }]),
      );
    default:
      return JSON.stringify({
        type: "ice-candidate",
        candidate: { candidate: next() },
      });
  }
}

signalingTest(
  `fuzz: a hostile client does not disturb a call (seed ${SEED})`,
  async (start) => {
    console.log(`fuzz seed ${SEED} (set FUZZ_SEED to replay)`);
    const { next } = generator(SEED);
    const server = await start();
    try {
      const { visit, patient, doctor } = await pair(server);

      const wsUrl = `${server.url.replace("http", "ws")}/api/signal`;
      let sent = 0;
      let sockets = 0;
      const hostile = (async () => {
        while (sent < HOSTILE_MESSAGES) {
          const socket = await SignalClient.open(wsUrl);
          sockets++;
          // A burst, then a pause, so some sockets live long and some are rate-limited.
          while (
            sent < HOSTILE_MESSAGES && socket.ws.readyState === WebSocket.OPEN
          ) {
            const burst = 1 + Math.floor(next() * 40);
            for (
              let i = 0;
              i < burst && socket.ws.readyState === WebSocket.OPEN;
              i++
            ) {
              socket.ws.send(hostileMessage(next, visit.id));
              sent++;
            }
            await new Promise((r) => setTimeout(r, 1));
          }
          await socket.close();
        }
      })();

      const legit = (async () => {
        for (let i = 0; i < LEGIT_ROUNDS; i++) {
          patient.send({ type: "chat", text: `chat ${i}` });
          patient.send({ type: "offer", sdp: `v=0 offer ${i}` });
          doctor.send({ type: "answer", sdp: `v=0 answer ${i}` });
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
      await Promise.all([hostile, legit]);

      // Everything the pair should get, in order, and nothing else.
      const toDoctor: string[] = [];
      while (toDoctor.length < LEGIT_ROUNDS * 2) {
        const m = await doctor.next();
        toDoctor.push(m.type === "chat" ? m.text : m.sdp);
      }
      const expected = Array.from(
        { length: LEGIT_ROUNDS },
        (_, i) => [`chat ${i}`, `v=0 offer ${i}`],
      )
        .flat();
      assert.deepEqual(toDoctor, expected);
      const toPatient: string[] = [];
      while (toPatient.length < LEGIT_ROUNDS) {
        toPatient.push((await patient.next("answer")).sdp);
      }
      assert.deepEqual(
        toPatient,
        Array.from({ length: LEGIT_ROUNDS }, (_, i) => `v=0 answer ${i}`),
      );
      for (const c of [patient, doctor]) {
        c.send({ type: "ping" });
        await c.next("pong");
        assert.deepEqual(c.received, [], "nothing unexpected reached the pair");
      }
      assert.ok(sockets > 1, "the hostile client was dropped and came back");

      const alive = await fetch(`${server.url}/login`);
      assert.equal(alive.status, 200, "the server still answers");
      await alive.body?.cancel();
      await patient.close();
      await doctor.close();
    } finally {
      await server.close();
    }
  },
);
