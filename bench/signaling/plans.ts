/**
 * What the load generator sends to each server: rooms of a sender and a
 * receiver, booked through the clinic's API (with a ticket for each side),
 * named straight for PeerJS, or named in the URL for the bare relay; at one
 * rate and message size for all.
 *
 * @module
 */
import type { Endpoint, Plan } from "./load.ts";
import {
  CLINIC_KEEPALIVE_SECONDS,
  okJson,
  type Server,
  signIn,
} from "./servers.ts";
import { checkIn } from "@/tests/helpers/signal_client.ts";

const MESSAGE_BYTES = 4000;
const MESSAGES_PER_SECOND = 1000;
/** Ours pings this often; PeerJS's clients send its heartbeat as often. */
const KEEPALIVE_MS = CLINIC_KEEPALIVE_SECONDS * 1000;

/** One room sends a message this often, all rooms making 1,000 a second. */
const everyMs = (rooms: number) => (rooms / MESSAGES_PER_SECOND) * 1000;

/** A visit booked and checked in, with a ticket for each side. */
export interface BookedVisit {
  id: string;
  patient: Endpoint;
  doctor: Endpoint;
}

/**
 * One visit booked now through the API by the signed-in doctor (`cookie`),
 * the patient checked in, and both tickets taken, as browsers do.
 */
export async function bookVisit(
  url: string,
  cookie: string,
): Promise<BookedVisit> {
  const headers = { cookie, "content-type": "application/json" };
  const created = await okJson(
    await fetch(`${url}/api/appointments`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        patientName: "Bench",
        startsAt: new Date(Date.now() + 60_000).toISOString(),
        durationMinutes: 30,
      }),
    }),
    "booking",
  );
  const token = created.visitUrl.split("/visit/")[1];
  await checkIn(created.visitUrl);
  const patient = await okJson(
    await fetch(`${url}/api/visits/${token}/ticket`, { method: "POST" }),
    "patient ticket",
  );
  const doctor = await okJson(
    await fetch(`${url}/api/appointments/${created.id}/ticket`, {
      method: "POST",
      headers,
    }),
    "doctor ticket",
  );
  const endpoint = (
    t: { signalingUrl: string; roomId: string; ticket: string },
  ) => ({
    url: t.signalingUrl,
    join: { type: "join-room", roomId: t.roomId, ticket: t.ticket },
  });
  return {
    id: created.id,
    patient: endpoint(patient),
    doctor: endpoint(doctor),
  };
}

/** `rooms` visits booked now, the patient sending and the doctor receiving. */
export async function clinicPlan(server: Server, rooms: number): Promise<Plan> {
  const cookie = await signIn(server.url);
  const planRooms: Plan["rooms"] = [];
  for (let i = 0; i < rooms; i += 50) {
    planRooms.push(
      ...await Promise.all(
        Array.from({ length: Math.min(50, rooms - i) }, async () => {
          const visit = await bookVisit(server.url, cookie);
          return { sender: visit.patient, receiver: visit.doctor };
        }),
      ),
    );
  }
  return {
    kind: "clinic",
    rooms: planRooms,
    everyMs: everyMs(rooms),
    messageBytes: MESSAGE_BYTES,
    spreadMs: KEEPALIVE_MS,
  };
}

/** `rooms` pairs of PeerJS ids, one sending to the other. */
export function peerJsPlan(server: Server, rooms: number): Plan {
  const ws = server.url.replace("http", "ws");
  const endpoint = (id: string) => ({
    url: `${ws}/peerjs?key=peerjs&id=${id}&token=t${id}`,
    peerId: id,
  });
  return {
    kind: "peerjs",
    rooms: Array.from({ length: rooms }, (_, i) => ({
      sender: endpoint(`s${i}`),
      receiver: endpoint(`r${i}`),
    })),
    everyMs: everyMs(rooms),
    messageBytes: MESSAGE_BYTES,
    heartbeatMs: KEEPALIVE_MS,
  };
}

/** `rooms` rooms of the bare relay, named in the URL. */
export function rawPlan(server: Server, rooms: number): Plan {
  const ws = server.url.replace("http", "ws");
  const endpoint = (i: number) => ({ url: `${ws}/?room=${i}` });
  return {
    kind: "raw",
    rooms: Array.from({ length: rooms }, (_, i) => ({
      sender: endpoint(i),
      receiver: endpoint(i),
    })),
    everyMs: everyMs(rooms),
    messageBytes: MESSAGE_BYTES,
  };
}
