/**
 * The call's signaling socket, kept open for the whole visit: it takes a
 * join ticket (or the early one), joins the room, answers the server's
 * pings, hands on messages one at a time in order, and comes back after a
 * drop with a growing, jittered wait, so that a phone changing network
 * rejoins by itself without every client hammering the server at once.
 *
 * @module
 */
import {
  type ClientMessage,
  CLOSE,
  type JoinOffer,
  type ServerMessage,
} from "@/lib/protocol/messages.ts";
import type { CallNote, CallStatus } from "./call_events.ts";
import { type EarlyStart, freshEarly } from "./early_connection.ts";

/** Waits before each new attempt; the last one repeats. */
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
/**
 * After a server's shutdown notice: soon, but spread out, so that a
 * server's calls do not all land on the next one in the same instant.
 */
const RESTART_MS = 300;

export interface SocketOptions {
  /** POST here for a join ticket (the visit's or the appointment's). */
  ticketUrl: string;
  /** A ticket and socket made ready during the device check. */
  early?: EarlyStart;
  /** Connecting, reconnecting, or ended because the visit is not open. */
  status(status: CallStatus, note?: CallNote): void;
  /**
   * Each ticket taken, once its `join-room` is sent (or waits for the
   * socket to open): who this participant is and which relays to use.
   */
  offer(offer: JoinOffer): void;
  /** Each message from the server after the last one has been handled. */
  message(message: ServerMessage): Promise<void> | void;
}

export class SignalingSocket {
  #ws: WebSocket | null = null;
  #attempt = 0;
  #stopped = false;
  #queue: Promise<void> = Promise.resolve();

  constructor(readonly options: SocketOptions) {}

  async start() {
    this.#stopped = false;
    await this.#connect();
  }

  /** Sends if the socket is open; a message sent during a drop is lost. */
  send(message: ClientMessage) {
    if (this.#ws?.readyState === WebSocket.OPEN) {
      this.#ws.send(JSON.stringify(message));
    }
  }

  /** Closes for good: the call is over, nothing reconnects. */
  close() {
    this.#stopped = true;
    this.#ws?.close(1000, "done");
    this.#ws = null;
  }

  async #connect() {
    if (this.#stopped) return;
    this.options.status(this.#attempt === 0 ? "connecting" : "reconnecting");
    // The early connection, once; ready since the device check as a rule,
    // and then taken at once: `join-room` leaves before the page redraws.
    const start = this.options.early;
    this.options.early = undefined;
    const early = freshEarly(
      start?.settled !== undefined
        ? start.settled
        : (await start?.ready) ?? null,
    );
    if (early) return this.#useSocket(early.offer, early.ws);
    let offer: JoinOffer;
    try {
      const res = await fetch(this.options.ticketUrl, { method: "POST" });
      if (res.status === 409 || res.status === 404 || res.status === 410) {
        const body = await res.json().catch(() => ({}));
        this.#stopped = true;
        // 409: the room's rule refused; 404 and 410: the link itself did.
        this.options.status(
          "ended",
          res.status !== 409
            ? "linkClosed"
            : body?.error?.code === "not_open"
            ? "notOpen"
            : body?.error?.code === "check_in_needed"
            ? "checkInNeeded"
            : "roomClosed",
        );
        return;
      }
      if (!res.ok) throw new Error(`ticket ${res.status}`);
      offer = await res.json();
    } catch {
      return this.#retry();
    }
    this.#useSocket(offer, new WebSocket(offer.signalingUrl));
  }

  /** Joins the room on the socket, at once if it is already open. */
  #useSocket(offer: JoinOffer, ws: WebSocket) {
    this.#ws = ws;
    const joinRoom = () =>
      ws.send(
        JSON.stringify({
          type: "join-room",
          roomId: offer.roomId,
          ticket: offer.ticket,
        }),
      );
    if (ws.readyState === WebSocket.OPEN) joinRoom();
    else ws.onopen = joinRoom;
    // After `join-room` is on its way, so that the server's checks and
    // whatever the call does with the ticket happen at the same time.
    this.options.offer(offer);
    ws.onerror = null;
    ws.onmessage = (event) => {
      const message: ServerMessage = JSON.parse(String(event.data));
      // One message at a time, in order: an offer must be applied before
      // the candidates that follow it.
      this.#queue = this.#queue
        .then(() => this.#onMessage(message))
        .catch((error) => console.error("call message failed", error));
    };
    ws.onclose = (event) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      if (this.#stopped || event.code === CLOSE.replaced) return; // ended, or replaced by another tab
      // A server shutting down (1012 from the app, 1001 from `deno serve`
      // itself): another one takes over at once.
      const restart = event.code === CLOSE.restart ||
        event.code === CLOSE.goingAway;
      if (restart) this.#attempt = 0;
      this.#retry(restart ? RESTART_MS : undefined);
    };
  }

  async #onMessage(message: ServerMessage) {
    if (message.type === "ping") return this.send({ type: "pong" });
    // Back in the room: the next drop starts again from the shortest wait.
    if (message.type === "joined") this.#attempt = 0;
    await this.options.message(message);
  }

  #retry(delay = BACKOFF_MS[Math.min(this.#attempt, BACKOFF_MS.length - 1)]) {
    if (this.#stopped) return;
    this.#attempt++;
    this.options.status("reconnecting");
    setTimeout(() => void this.#connect(), delay * (0.75 + Math.random() / 2));
  }
}
