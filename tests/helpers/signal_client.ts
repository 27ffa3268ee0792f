/**
 * A real WebSocket client of the signaling protocol for tests: it queues
 * what the server sends so a test can wait for the next message of a type.
 *
 * @module
 */
import type { TestServer } from "./server.ts";
import { Client } from "./server.ts";
import type { JoinOffer } from "@/lib/protocol/messages.ts";

// deno-lint-ignore no-explicit-any
export type Message = Record<string, any>;

/** How long a test waits for a message before it fails, so it never hangs. */
const WAIT_MS = 10_000;

export class SignalClient {
  readonly received: Message[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: (() => void)[] = [];
  /** Answer the server's keep-alive pings (tests of time-outs turn it off). */
  answerPings = true;

  constructor(readonly ws: WebSocket) {
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as Message;
      if (message.type === "ping") {
        if (this.answerPings && ws.readyState === WebSocket.OPEN) {
          ws.send(JSON.stringify({ type: "pong" }));
        }
        return;
      }
      this.received.push(message);
      for (const wake of this.#waiters.splice(0)) wake();
    };
    this.closed = new Promise((resolve) => {
      ws.onclose = (event) => {
        resolve({ code: event.code, reason: event.reason });
        for (const wake of this.#waiters.splice(0)) wake();
      };
    });
  }

  static async open(url: string, headers?: HeadersInit): Promise<SignalClient> {
    // Deno's WebSocket accepts headers (for Origin) as a second-argument option.
    const ws = headers
      ? new WebSocket(url, { headers } as unknown as string[])
      : new WebSocket(url);
    const client = new SignalClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = (e) =>
        reject(new Error(`socket failed: ${(e as ErrorEvent).message}`));
    });
    return client;
  }

  send(message: unknown) {
    this.ws.send(
      typeof message === "string" ? message : JSON.stringify(message),
    );
  }

  /** The next message not yet taken, of `type` if given (others before it are kept). */
  async next(type?: string): Promise<Message> {
    const deadline = Date.now() + WAIT_MS;
    while (true) {
      const index = this.received.findIndex((m) =>
        type === undefined || m.type === type
      );
      if (index !== -1) return this.received.splice(index, 1)[0];
      if (this.ws.readyState === WebSocket.CLOSED) {
        throw new Error(
          `socket closed while waiting for ${type ?? "a message"}`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(
          `no ${type ?? "message"} arrived; got ${
            JSON.stringify(this.received)
          }`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close() {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close();
    return this.closed;
  }
}

export interface Visit {
  id: string;
  visitUrl: string;
  doctor: Client;
}

/**
 * A visit open for joining now, scheduled by a signed-in doctor; its link
 * points at `server.patientUrl` when the patient is on another server.
 */
export async function openVisitNow(
  server: Pick<TestServer, "url"> & { patientUrl?: string },
  doctor?: Client,
): Promise<Visit> {
  doctor ??= await new Client(server.url).signIn();
  const res = await doctor.json("/api/appointments", {
    patientName: "Test Patient",
    startsAt: new Date(Date.now() + 60_000).toISOString(),
    durationMinutes: 30,
  });
  if (res.status !== 201) {
    throw new Error(`could not schedule: ${await res.text()}`);
  }
  const body = await res.json();
  const visitUrl = server.patientUrl
    ? body.visitUrl.replace(server.url, server.patientUrl)
    : body.visitUrl;
  return { id: body.id, visitUrl, doctor };
}

/**
 * The patient's check-in through the API (the name on the visit, the
 * consent shown), as a patient does before the first join; again is
 * harmless.
 */
export async function checkIn(visitUrl: string, name?: string) {
  const token = visitUrl.split("/visit/")[1];
  const base = visitUrl.split("/visit/")[0];
  const url = `${base}/api/visits/${token}/check-in`;
  const shown = await fetch(url);
  if (shown.status !== 200) {
    throw new Error(`check-in: ${shown.status} ${await shown.text()}`);
  }
  const { name: onVisit, consent } = await shown.json();
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      name: name ?? onVisit,
      consent: true,
      consentVersion: consent.version,
    }),
  });
  if (res.status !== 200) {
    throw new Error(`check-in: ${res.status} ${await res.text()}`);
  }
  await res.body?.cancel();
}

/** A patient's join ticket, checked in first. */
export async function patientTicket(visit: Visit): Promise<JoinOffer> {
  await checkIn(visit.visitUrl);
  const token = visit.visitUrl.split("/visit/")[1];
  const base = visit.visitUrl.split("/visit/")[0];
  const res = await fetch(`${base}/api/visits/${token}/ticket`, {
    method: "POST",
  });
  if (res.status !== 200) {
    throw new Error(`patient ticket: ${res.status} ${await res.text()}`);
  }
  return await res.json();
}

export async function doctorTicket(visit: Visit): Promise<JoinOffer> {
  const res = await visit.doctor.fetch(`/api/appointments/${visit.id}/ticket`, {
    method: "POST",
  });
  if (res.status !== 200) {
    throw new Error(`doctor ticket: ${res.status} ${await res.text()}`);
  }
  return await res.json();
}

/**
 * A visit held and ended: the patient waits, the doctor joins, the doctor
 * ends the visit, and both sockets are closed.
 */
export async function holdVisit(visit: Visit) {
  const patient = await join(await patientTicket(visit));
  await patient.next("waiting-for-peer");
  const doctor = await join(await doctorTicket(visit));
  await doctor.next("peer-joined");
  doctor.send({ type: "end-session" });
  await patient.next("session-ended");
  await doctor.next("session-ended");
  await patient.close();
  await doctor.close();
}

/** Opens a socket and joins with the offer; answers the client after `joined`. */
export async function join(offer: JoinOffer): Promise<SignalClient> {
  const client = await SignalClient.open(offer.signalingUrl);
  client.send({
    type: "join-room",
    roomId: offer.roomId,
    ticket: offer.ticket,
  });
  return client;
}
