/**
 * One call socket, from upgrade to close: it holds the socket to its limits
 * (rate, size, keep-alive, a join within a few seconds), reads each frame
 * (`decode.ts`), and takes the client through the protocol's states: new,
 * joining with a ticket, joined, closed, and leaves once. What a joined
 * socket does in the call is `participant.ts`.
 *
 * @module
 */
import { newId } from "@/lib/store/ids.ts";
import { log } from "@/lib/log.ts";
import {
  type ClientMessage,
  CLOSE,
  ERROR_CODES,
  type ErrorCode,
  type LeaveReason,
  type Role,
  type ServerMessage,
} from "@/lib/protocol/messages.ts";
import { decodeFrame } from "./decode.ts";
import type { SignalingHub } from "./hub.ts";
import { Participant, type StoredMessage } from "./participant.ts";
import type { RoomMessage } from "./relay.ts";
import { HEARTBEAT_MS } from "./room_member.ts";
import {
  MISSED_PINGS,
  RATE_BURST,
  RATE_PER_S,
  TokenBucket,
} from "./socket_guard.ts";
import { admitToRoom } from "./visit_effects.ts";

/**
 * Whether a joined socket's membership heartbeat (its place in KV, its
 * peer's, the doctor's waiting room: a few store writes and reads) is due
 * `sinceLast` ms after the last one: on every other keep-alive tick, which
 * is every HEARTBEAT_MS at the default 5 s, or on every tick when two
 * would be further apart than that. Half a tick of slack, so that a late
 * timer does not skip a turn.
 */
export function heartbeatDue(sinceLast: number, keepaliveMs: number): boolean {
  return 2 * keepaliveMs > HEARTBEAT_MS || sinceLast >= 1.5 * keepaliveMs;
}

/** How long a refused socket stays open, unread, before it is closed. */
const REJECT_GRACE_MS = 100;

export class RoomConnection {
  readonly id = newId();
  #state: "new" | "joining" | "joined" | "closed" = "new";
  #in: Participant | null = null;
  #queue: Promise<void> = Promise.resolve();
  /** Messages taken in and not yet handled to the end. */
  #waiting = 0;
  #lastHeard = Date.now();
  #lastHeartbeat = Date.now();
  #bucket = new TokenBucket(RATE_BURST, RATE_PER_S);
  /** Until the socket asks to join; the keep-alive is the hub's, for all sockets. */
  #joinDeadline: ReturnType<typeof setTimeout> | undefined;
  #opened = false;
  #left: Promise<void> | null = null;
  #replacedWhileJoining = false;

  constructor(
    readonly hub: SignalingHub,
    readonly socket: WebSocket,
    readonly place: { release(): void },
  ) {
    // The connection is the socket's listener: no closure is kept per
    // socket. (An "error" is always followed by "close"; nobody listens.)
    for (const type of ["open", "message", "close"]) {
      socket.addEventListener(type, this);
    }
    // Answering pings is not enough to stay: a socket joins a room or goes.
    this.#joinDeadline = setTimeout(() => {
      this.#joinDeadline = undefined;
      // An upgrade the client dropped never opens and never fires close.
      if (!this.#opened) this.place.release();
      if (this.#state === "new") this.#reject("join_timeout", CLOSE.timeout);
    }, hub.options.config.signalingJoinMs);
  }

  /** The socket's events (the connection listens to them itself). */
  handleEvent(event: Event) {
    switch (event.type) {
      case "message":
        return this.#receive((event as MessageEvent).data);
      case "open":
        this.#opened = true;
        return;
      case "close":
        // The place is given back when Deno says the connection is gone,
        // not when the app asks to close: a client may ignore the close
        // frame and keep the connection (and Deno's buffers) open.
        this.place.release();
        void this.#leave("disconnected");
    }
  }

  /** Who this socket is in its room, once joined. */
  get role(): Role | null {
    return this.#state === "joined" ? this.#in!.role : null;
  }

  send(message: ServerMessage) {
    this.sendText(JSON.stringify(message));
  }

  /** A message already written out (a relayed one, as its sender wrote it). */
  sendText(text: string) {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
  }

  #error(code: ErrorCode, detail?: string) {
    this.send({ type: "error", code, message: detail ?? ERROR_CODES[code] });
    log.info("signaling.error", { code, server: this.hub.isolate });
  }

  /** Closes the socket; resolves once the connection has left its room. */
  close(code: number, reason: string): Promise<void> {
    const left = this.#leave("disconnected");
    try {
      this.socket.close(code, reason);
    } catch {
      // already closing
    }
    return left;
  }

  /**
   * One message at a time, so a chat (which is stored first) is never
   * overtaken by the offer sent after it. A message with none before it
   * still being handled is handled at once: an offer, answer or candidate
   * is relayed within this turn, with no chain of promises to make and
   * settle for what a call sends most; what has to wait for the store
   * holds up the messages after it.
   */
  #receive(data: unknown) {
    if (this.#waiting > 0) {
      return this.#await(this.#queue.then(() => this.#onMessage(data)));
    }
    try {
      const work = this.#onMessage(data);
      if (work) this.#await(work);
    } catch (error) {
      this.#failed(error);
    }
  }

  #await(work: Promise<void>) {
    this.#waiting++;
    this.#queue = work.catch((error) => this.#failed(error))
      .finally(() => this.#waiting--);
  }

  #failed(error: unknown) {
    log.error("signaling.failure", { error: String(error) });
    void this.close(CLOSE.policy, "server error");
  }

  /** Answers the work still to do, if the message needs the store. */
  #onMessage(data: unknown): Promise<void> | void {
    if (this.#state === "closed") return;
    const now = this.#lastHeard = Date.now();
    // Every frame counts against the rate, whatever it holds.
    if (!this.#bucket.take(now)) {
      return this.#reject("rate_limited", CLOSE.policy);
    }
    const frame = decodeFrame(data);
    if (frame.kind === "refused") return this.#reject(frame.code, frame.close);
    if (frame.kind === "invalid") return this.#error(frame.code, frame.detail);
    return this.#handle(frame.message, frame.text);
  }

  /** `text` is the message as sent, already checked to be exactly `message`. */
  #handle(message: ClientMessage, text: string): Promise<void> | void {
    switch (message.type) {
      case "ping":
        return this.send({ type: "pong" });
      case "pong":
        return;
      case "join-room":
        if (this.#state !== "new") return this.#error("already_joined");
        return this.#join(message.roomId, message.ticket);
    }
    if (this.#state !== "joined") return this.#error("not_joined");
    switch (message.type) {
      case "leave-room":
        return this.#leaveRoom();
      case "offer":
      case "answer":
      case "ice-candidate":
      case "media-state": {
        const refused = this.#in!.relay(text);
        if (refused) this.#error(refused);
        return;
      }
    }
    return this.#act(message);
  }

  async #act(message: StoredMessage) {
    const refused = await this.#in!.handle(message);
    if (refused) this.#error(refused);
  }

  async #leaveRoom() {
    await this.#leave("left");
    this.socket.close(CLOSE.normal, "left");
  }

  #reject(code: ErrorCode, closeCode: number = CLOSE.rejected) {
    this.#error(code);
    void this.#leave("disconnected");
    // Closing while the client is still sending can reset the connection
    // and lose the error; the rest of its messages drain (ignored) first.
    setTimeout(() => {
      try {
        this.socket.close(closeCode, code);
      } catch {
        // already closed by the client
      }
    }, REJECT_GRACE_MS);
  }

  async #join(roomId: string, ticket: string) {
    this.#state = "joining";
    // The socket asked in time: the deadline has done its work.
    clearTimeout(this.#joinDeadline);
    this.#joinDeadline = undefined;
    if (!this.hub.options.relay.available()) {
      log.warn("signaling.relay_unavailable", { server: this.hub.isolate });
      return this.#reject("relay_unavailable", CLOSE.tryLater);
    }
    const visit = await admitToRoom(this.hub, roomId, ticket);
    if (typeof visit === "string") return this.#reject(visit);
    if (this.#state !== "joining") return; // closed while the ticket was checked
    const participant = this.#in = new Participant(
      this.hub,
      visit,
      this.id,
      this,
    );
    const entered = await participant.enter(() => this.#state === "joining");
    if (entered !== "in") {
      this.#stop();
      if (entered === "room_closed") this.#reject(entered);
      if (entered === "relay_unavailable") {
        this.#reject(entered, CLOSE.tryLater);
      }
      return;
    }
    this.#state = "joined";
    // Its place was just written. The first heartbeat comes on the first
    // or the second tick, at random: sockets that joined together (every
    // browser back at once after a restart) do not all write on one.
    this.#lastHeartbeat = Date.now() -
      Math.random() * this.hub.options.config.keepaliveMs;
    if (this.#replacedWhileJoining) return this.#onReplaced();
    await participant.welcome();
  }

  /** What came on the room's channel for this socket (`MemberOutput`). */
  hear(m: RoomMessage) {
    if (m.kind === "replaced") {
      if (m.to !== this.id) return;
      // Two sockets of one participant joining at once (on two servers,
      // say): the newer may take the place before this one has finished
      // joining. It is replaced all the same, once its join is through.
      if (this.#state === "joining") this.#replacedWhileJoining = true;
      if (this.#state === "joined") this.#onReplaced();
      return;
    }
    if (this.#state !== "joined") return;
    if (m.kind === "ended") return this.#onEnded(m.by, m.at);
    this.#in!.member.deliver(m);
  }

  /** The place is the newer socket's now: close without leaving the room. */
  #onReplaced() {
    this.#error("replaced");
    this.#state = "closed";
    this.#left = Promise.resolve();
    this.#stop();
    this.socket.close(CLOSE.replaced, "replaced");
  }

  /** The visit is over for both: nobody "left", so no peer-left follows. */
  #onEnded(by: Role, at: number) {
    this.send({ type: "session-ended", by, at: new Date(at).toISOString() });
    this.#state = "closed";
    this.hub.keepAlive.delete(this);
    this.#left = this.#in!.ended()
      .catch((error) =>
        log.warn("signaling.leave_failed", { error: String(error) })
      )
      .finally(() => this.#stop());
    this.socket.close(CLOSE.normal, "visit ended");
  }

  /** The keep-alive's turn (`keepalive.ts`), once an interval. */
  async tick() {
    try {
      await this.#tick();
    } catch (error) {
      // A store that fails a heartbeat fails this turn, not the server.
      log.warn("signaling.keepalive_failed", { error: String(error) });
    }
  }

  async #tick() {
    if (this.#state === "closed") return;
    const now = Date.now();
    const keepalive = this.hub.options.config.keepaliveMs;
    if (now - this.#lastHeard > MISSED_PINGS * keepalive) {
      this.#error("keepalive_timeout");
      await this.#leave("timeout");
      this.socket.close(CLOSE.timeout, "keepalive timeout");
      return;
    }
    this.send({ type: "ping" });
    if (
      this.#state === "joined" &&
      heartbeatDue(now - this.#lastHeartbeat, keepalive)
    ) {
      this.#lastHeartbeat = now;
      await this.#in!.heartbeat();
    }
  }

  #stop() {
    clearTimeout(this.#joinDeadline);
    this.#joinDeadline = undefined;
    this.#in?.member.stop();
    this.hub.forget(this);
  }

  /** Leaves once, whatever asked first (leave-room, close, time-out). */
  #leave(reason: LeaveReason): Promise<void> {
    const wasJoined = this.#state === "joined";
    this.#state = "closed";
    this.hub.keepAlive.delete(this);
    this.#left ??= (wasJoined ? this.#in!.leave(reason) : Promise.resolve())
      .catch((error) =>
        log.warn("signaling.leave_failed", { error: String(error) })
      )
      .finally(() => this.#stop());
    return this.#left;
  }
}
