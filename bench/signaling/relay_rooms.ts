/**
 * Call rooms for the relay benchmark: a visit booked, both participants
 * joined with tickets (possibly on two servers, or two isolates), and
 * ping-pong between them with offer-sized messages, timed one way on this
 * process's one clock.
 *
 * @module
 */
import type WebSocket from "ws";
import type { JoinOffer } from "@/lib/protocol/messages.ts";
import type { Client } from "@/tests/helpers/server.ts";
import {
  doctorTicket,
  openVisitNow,
  patientTicket,
} from "@/tests/helpers/signal_client.ts";
import { open, waitFor } from "./load.ts";

/** About the size of a video call's SDP offer. */
const PADDING = "a=x-padding:" + "x".repeat(2950);
/** A message that has not arrived by then is lost: the benchmark stops. */
const WAIT_MS = 10_000;

/** A room with both participants joined, possibly on two servers. */
export interface Room {
  patient: WebSocket;
  doctor: WebSocket;
}

/** A socket of a joined participant: it answers the server's keep-alive. */
async function connect(offer: JoinOffer): Promise<WebSocket> {
  const ws = await open(offer.signalingUrl);
  ws.addEventListener("message", (event: { data: unknown }) => {
    if (String(event.data) === '{"type":"ping"}') ws.send('{"type":"pong"}');
  });
  return ws;
}

function sendJoin(ws: WebSocket, offer: JoinOffer) {
  ws.send(JSON.stringify({
    type: "join-room",
    roomId: offer.roomId,
    ticket: offer.ticket,
  }));
}

/**
 * A visit booked by the doctor signed in at `doctor`, the patient joined
 * through `patientUrl` and the doctor through the doctor's server. With
 * `apart`, doctor sockets are opened until one lands on another isolate
 * than the patient's (each needs a ticket; the later replaces the earlier).
 */
async function openRoom(
  doctor: Client,
  patientUrl: string,
  apart = false,
): Promise<Room> {
  const visit = await openVisitNow({ url: doctor.base, patientUrl }, doctor);
  const patientOffer = await patientTicket(visit);
  const patient = await connect(patientOffer);
  const patientJoined = waitFor(patient, (m) => m.type === "joined");
  const waiting = waitFor(patient, (m) => m.type === "waiting-for-peer");
  sendJoin(patient, patientOffer);
  const patientServer = (await patientJoined).server;
  await waiting;
  const giveUpAt = Date.now() + 30_000;
  while (Date.now() < giveUpAt) {
    const offer = await doctorTicket(visit);
    const ws = await connect(offer);
    const joined = waitFor(ws, (m) => m.type === "joined");
    const met = Promise.all([
      waitFor(ws, (m) => m.type === "peer-joined"),
      waitFor(patient, (m) => m.type === "peer-joined"),
    ]);
    sendJoin(ws, offer);
    const server = (await joined).server;
    await met;
    if (!apart || server !== patientServer) return { patient, doctor: ws };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no doctor socket reached another isolate than the patient");
}

export async function openRooms(
  count: number,
  doctor: Client,
  patientUrl: string,
  apart = false,
): Promise<Room[]> {
  const rooms: Room[] = [];
  for (let i = 0; i < count; i++) {
    rooms.push(await openRoom(doctor, patientUrl, apart));
  }
  return rooms;
}

/**
 * Ping-pong in one room: `count` messages, each sent as soon as the one
 * before it arrived (or after a random pause up to `pauseMs`); answers
 * each one's time from send to receipt, in ms.
 */
export function exchange(
  room: Room,
  count: number,
  pauseMs = 0,
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const send = (ws: WebSocket, type: "offer" | "answer") => {
      if (pauseMs > 0) {
        timer = setTimeout(() => sendNow(ws, type), Math.random() * pauseMs);
      } else sendNow(ws, type);
    };
    const sendNow = (ws: WebSocket, type: "offer" | "answer") => {
      timer = setTimeout(
        () =>
          finish(
            new Error(`message ${latencies.length + 1} of ${count} was lost`),
          ),
        WAIT_MS,
      );
      const sdp = `v=0 t=${performance.now().toFixed(3)} ${PADDING}`;
      ws.send(JSON.stringify({ type, sdp }));
    };
    const onto = (ws: WebSocket, reply: "offer" | "answer") =>
    (
      event: { data: unknown },
    ) => {
      const m = JSON.parse(String(event.data));
      if (m.type === "error") {
        return finish(new Error(`the server refused: ${m.code}`));
      }
      if (m.type !== "offer" && m.type !== "answer") return;
      clearTimeout(timer);
      const at = Number(/^v=0 t=([0-9.]+) /.exec(m.sdp)![1]);
      latencies.push(performance.now() - at);
      if (latencies.length === count) return finish();
      send(ws, reply);
    };
    const atPatient = onto(room.patient, "offer");
    const atDoctor = onto(room.doctor, "answer");
    room.patient.addEventListener("message", atPatient);
    room.doctor.addEventListener("message", atDoctor);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      room.patient.removeEventListener("message", atPatient);
      room.doctor.removeEventListener("message", atDoctor);
      if (error) reject(error);
      else resolve(latencies);
    };
    send(room.patient, "offer");
  });
}
