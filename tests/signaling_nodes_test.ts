/**
 * What only several servers can get wrong: joins of one role racing on two
 * servers, a server that dies without a word, and a server that shuts
 * down cleanly. Real processes over a real Redis, one KV file.
 */
import assert from "node:assert/strict";
import { within } from "@/lib/time_limit.ts";
import { startNodesOverRedis } from "./helpers/nodes.ts";
import { NO_REDIS } from "./helpers/redis_server.ts";
import { pair, settle } from "./helpers/room_pair.ts";
import {
  doctorTicket,
  join,
  openVisitNow,
  patientTicket,
  type SignalClient,
  type Visit,
} from "./helpers/signal_client.ts";

/** The same visit's link, on another server. */
function on(visit: Visit, url: string): Visit {
  return {
    ...visit,
    visitUrl: url + "/visit/" + visit.visitUrl.split("/visit/")[1],
  };
}

/** Waits for a message of `type`, longer than `next` allows. */
async function eventually(client: SignalClient, type: string, seconds: number) {
  const giveUpAt = Date.now() + seconds * 1000;
  while (Date.now() < giveUpAt) {
    const index = client.received.findIndex((m) => m.type === type);
    if (index !== -1) return client.received.splice(index, 1)[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `no ${type} in ${seconds} s: ${JSON.stringify(client.received)}`,
  );
}

/** How many times the race is run: it goes one way or the other by chance. */
const RACES = 8;

Deno.test({
  name:
    "joins of one role racing on two servers leave one participant per role",
  ignore: NO_REDIS,
  async fn() {
    const cluster = await startNodesOverRedis(2);
    const sockets: SignalClient[] = [];
    try {
      const [a, b] = cluster.nodes;
      for (let race = 0; race < RACES; race++) {
        const visit = await openVisitNow({ url: b.url, patientUrl: a.url });
        // Two patients' sockets, one on each server, joining at once.
        const offers = await Promise.all([
          patientTicket(visit),
          patientTicket(on(visit, b.url)),
        ]);
        assert.notEqual(offers[0].signalingUrl, offers[1].signalingUrl);
        const racers = await Promise.all(offers.map((offer) => join(offer)));
        sockets.push(...racers);
        // One is replaced by the other, whichever claimed the place last,
        // even if it had not finished joining when the other took it (then
        // it is never told `joined`).
        const closed = await within(
          Promise.race(
            racers.map((r, i) => r.closed.then((c) => ({ i, code: c.code }))),
          ),
          10_000,
          `race ${race}: both racers stayed in the room`,
        );
        assert.equal(closed.code, 4002);
        const survivor = racers[1 - closed.i];
        await survivor.next("joined");
        await settle(survivor);
        assert.equal(survivor.ws.readyState, WebSocket.OPEN);

        // The doctor finds exactly that one, and talks to it alone.
        const doctor = await join(await doctorTicket(visit));
        sockets.push(doctor);
        await doctor.next("joined");
        await doctor.next("peer-joined");
        await survivor.next("peer-joined");
        doctor.send({ type: "offer", sdp: "v=0 to the survivor" });
        assert.equal((await survivor.next("offer")).sdp, "v=0 to the survivor");
        await settle(doctor);
        assert.deepEqual(doctor.received, []);
      }
    } finally {
      for (const s of sockets) await s.close();
      await cluster.close();
    }
  },
});

Deno.test({
  name:
    "a server that dies: the peer on the other server is told within the heartbeat's time",
  ignore: NO_REDIS,
  async fn() {
    const cluster = await startNodesOverRedis(2);
    try {
      const [a, b] = cluster.nodes;
      const { patient, doctor } = await pair({ url: b.url, patientUrl: a.url });
      a.kill("SIGKILL"); // the patient's server, without a word
      await a.stopped;
      await patient.closed;
      // Nobody tells the doctor's server: its heartbeat finds the patient's
      // place stale (three heartbeats, 30 s) and says so.
      const left = await eventually(doctor, "peer-left", 60);
      assert.deepEqual(left, {
        type: "peer-left",
        peer: "patient",
        reason: "timeout",
      });
      await doctor.close();
    } finally {
      await cluster.close();
    }
  },
});

Deno.test({
  name:
    "a server shutting down closes its call sockets with 1012, and the call goes on on another server",
  ignore: NO_REDIS,
  async fn() {
    const cluster = await startNodesOverRedis(2);
    try {
      const [a, b] = cluster.nodes;
      const { visit, patient, doctor } = await pair({
        url: b.url,
        patientUrl: a.url,
      });
      a.kill("SIGTERM");
      assert.equal((await patient.closed).code, 1012);
      assert.equal((await a.stopped).code, 0);
      assert.equal((await doctor.next("peer-left")).reason, "disconnected");
      // The browser comes back at once; the load balancer gives it server B.
      const back = await join(await patientTicket(on(visit, b.url)));
      await back.next("joined");
      await back.next("peer-joined");
      await doctor.next("peer-joined");
      back.send({ type: "offer", sdp: "v=0 again" });
      assert.equal((await doctor.next("offer")).sdp, "v=0 again");
      await back.close();
      await doctor.close();
    } finally {
      await cluster.close();
    }
  },
});
