/**
 * The call flows 1 to 5 under `deno serve --parallel`, with the patient and
 * the doctor on different isolates: membership in Deno KV and messages over
 * the BroadcastChannel relay.
 */
import assert from "node:assert/strict";
import { Client } from "./helpers/server.ts";
import {
  doctorTicket,
  join,
  openVisitNow,
  patientTicket,
  type SignalClient,
} from "./helpers/signal_client.ts";
import type { TestServer } from "./helpers/server.ts";
import { serveParallel } from "./helpers/launch.ts";

Deno.test("flows 1-5 with the two participants on different isolates", async () => {
  const dir = await Deno.makeTempDir();
  const { url, child } = await serveParallel(dir, {
    env: { LOG_LEVEL: "warn" },
  });
  const sockets: SignalClient[] = [];
  try {
    const server = { url } as TestServer;
    const visit = await openVisitNow(server, await new Client(url).signIn());

    // 1. The patient waits, on whichever isolate took the connection.
    const patient = await join(await patientTicket(visit));
    sockets.push(patient);
    const patientServer = (await patient.next("joined")).server;
    await patient.next("waiting-for-peer");

    // Doctor sockets until one lands on the other isolate (each needs a
    // ticket). On a busy machine the second isolate may still be starting,
    // so keep trying for a while rather than a fixed number of times.
    let doctor: SignalClient | null = null;
    const giveUpAt = Date.now() + 30_000;
    for (let attempt = 0; !doctor && Date.now() < giveUpAt; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100));
      const probe = await join(await doctorTicket(visit));
      sockets.push(probe);
      const joined = await probe.next("joined");
      await probe.next("peer-joined");
      await patient.next("peer-joined");
      if (joined.server !== patientServer) {
        doctor = probe;
      }
    }
    assert.ok(doctor, "no connection reached the second isolate");
    // Earlier probes were replaced by the later ones.
    patient.received.splice(0);

    // 3. Handshake across isolates.
    patient.send({ type: "offer", sdp: "v=0 offer" });
    assert.deepEqual(await doctor.next("offer"), {
      type: "offer",
      sdp: "v=0 offer",
      from: "patient",
    });
    doctor.send({ type: "answer", sdp: "v=0 answer" });
    assert.deepEqual(await patient.next("answer"), {
      type: "answer",
      sdp: "v=0 answer",
      from: "doctor",
    });
    const candidate = {
      candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host",
      sdpMid: "0",
    };
    doctor.send({ type: "ice-candidate", candidate });
    assert.deepEqual(await patient.next("ice-candidate"), {
      type: "ice-candidate",
      candidate,
      from: "doctor",
    });
    patient.send({ type: "ice-candidate", candidate: null });
    assert.equal((await doctor.next("ice-candidate")).candidate, null);

    // 4. Chat.
    doctor.send({ type: "chat", text: "across isolates" });
    const chat = await patient.next("chat");
    assert.equal(chat.text, "across isolates");
    assert.equal(chat.from, "doctor");

    // 5. The doctor leaves.
    doctor.send({ type: "leave-room" });
    assert.deepEqual(await patient.next("peer-left"), {
      type: "peer-left",
      peer: "doctor",
      reason: "left",
    });
  } finally {
    for (const s of sockets) await s.close();
    try {
      child.kill("SIGTERM");
    } catch {
      // it has stopped already; its status says how
    }
    const status = await child.status;
    assert.ok(
      status.signal === "SIGTERM" || status.success,
      `the server stopped: ${JSON.stringify(status)}`,
    );
    await Deno.remove(dir, { recursive: true });
  }
});
