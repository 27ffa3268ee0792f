/**
 * Messages lost between two servers: Redis restarts mid-call, with the
 * patient on one server and the doctor on the other. Both participants are
 * told `resync` once, with the chat as stored (a line sent during the
 * outage included), and the call's messages flow again.
 */
import assert from "node:assert/strict";
import { startNodesOverRedis } from "./helpers/nodes.ts";
import { NO_REDIS } from "./helpers/redis_server.ts";
import { pair, settle } from "./helpers/room_pair.ts";

Deno.test({
  name:
    "a Redis restart mid-call: both sides resync once, with the chat, and signaling resumes",
  ignore: NO_REDIS,
  async fn() {
    const cluster = await startNodesOverRedis(2);
    const { redis } = cluster;
    try {
      const [a, b] = cluster.nodes;
      const { patient, doctor } = await pair({
        url: b.url,
        patientUrl: a.url,
      });
      patient.send({ type: "chat", text: "before" });
      await doctor.next("chat");

      await redis.stop();
      // Stored, but its relay to the doctor's server is lost.
      patient.send({ type: "chat", text: "during the outage" });
      await settle(patient);
      await new Promise((r) => setTimeout(r, 500));
      await redis.start();
      // Each server says when both its Redis clients are back.
      for (const node of cluster.nodes) {
        const giveUpAt = Date.now() + 15_000;
        while (!node.output().includes('"event":"relay.redis_back"')) {
          if (Date.now() > giveUpAt) throw new Error(node.output());
          await new Promise((r) => setTimeout(r, 50));
        }
      }

      for (
        const [client, peer] of [[patient, "doctor"], [
          doctor,
          "patient",
        ]] as const
      ) {
        const resync = await client.next("resync");
        assert.equal(resync.peer, peer);
        assert.deepEqual(
          resync.chat.map((l: { text: string }) => l.text),
          ["before", "during the outage"],
        );
      }

      // The fresh start: an offer and an answer cross the servers again.
      doctor.send({ type: "offer", sdp: "v=0 fresh offer" });
      assert.equal((await patient.next("offer")).sdp, "v=0 fresh offer");
      patient.send({ type: "answer", sdp: "v=0 fresh answer" });
      assert.equal((await doctor.next("answer")).sdp, "v=0 fresh answer");
      doctor.send({ type: "chat", text: "after" });
      assert.equal((await patient.next("chat")).text, "after");

      // One fresh start each, not one per server that noticed.
      await settle(patient);
      await settle(doctor);
      await new Promise((r) => setTimeout(r, 2500));
      await settle(patient);
      await settle(doctor);
      assert.deepEqual(
        [...patient.received, ...doctor.received].map((m) => m.type),
        [],
      );
      await patient.close();
      await doctor.close();
    } finally {
      await cluster.close();
    }
  },
});
