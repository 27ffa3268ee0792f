/**
 * A call room with both participants in it, as the signaling tests start
 * from, and the check that the peers already there noticed nothing.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { TestServer } from "./server.ts";
import {
  doctorTicket,
  join,
  openVisitNow,
  patientTicket,
  type SignalClient,
  type Visit,
} from "./signal_client.ts";

/** A joined doctor and patient in one room. */
export async function pair(
  server: Pick<TestServer, "url"> & { patientUrl?: string },
  visit?: Visit,
) {
  visit ??= await openVisitNow(server);
  const patient = await join(await patientTicket(visit));
  await patient.next("joined");
  await patient.next("waiting-for-peer");
  const doctor = await join(await doctorTicket(visit));
  await doctor.next("joined");
  await doctor.next("peer-joined");
  await patient.next("peer-joined");
  return { visit, patient, doctor };
}

/** A ping round trip: everything sent before it has arrived. */
export async function settle(client: SignalClient) {
  client.send({ type: "ping" });
  await client.next("pong");
}

export async function assertUntouched(...clients: SignalClient[]) {
  for (const c of clients) {
    await settle(c);
    assert.deepEqual(c.received, [], "the peers in the room noticed nothing");
  }
}

/**
 * A joined patient and doctor on different isolates of one `deno serve
 * --parallel` server: doctor sockets are opened (each with its own ticket,
 * the later replacing the earlier) until one lands on another isolate than
 * the patient's. On a busy machine the second isolate may still be
 * starting, so this keeps trying for a while rather than a fixed number of
 * times. Every socket opened goes into `sockets`, to be closed.
 */
export async function joinAcrossIsolates(
  visit: Visit,
  sockets: SignalClient[],
) {
  const patient = await join(await patientTicket(visit));
  sockets.push(patient);
  const patientServer = (await patient.next("joined")).server;
  await patient.next("waiting-for-peer");
  const giveUpAt = Date.now() + 30_000;
  for (let attempt = 0; Date.now() < giveUpAt; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 100));
    const probe = await join(await doctorTicket(visit));
    sockets.push(probe);
    const joined = await probe.next("joined");
    await probe.next("peer-joined");
    await patient.next("peer-joined");
    if (joined.server !== patientServer) {
      // What the earlier probes' arrivals told the patient is spent.
      patient.received.splice(0);
      return { patient, doctor: probe };
    }
  }
  throw new Error("no doctor socket reached the second isolate");
}

/**
 * An offer, its answer and candidates both ways between two joined
 * participants, each arriving with its fields unchanged and `from` added.
 */
export async function handshake(patient: SignalClient, doctor: SignalClient) {
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
  assert.deepEqual(await doctor.next("ice-candidate"), {
    type: "ice-candidate",
    candidate: null,
    from: "patient",
  });
}
