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
