/**
 * The signaling hub of one isolate: it accepts call sockets and runs each
 * through the protocol (parse, join with a ticket, relay to the peer,
 * keep-alive, leave). Rooms live in Deno KV and messages travel on the
 * relay, so the two participants may be on different isolates.
 *
 * @module
 */
import type { ClinicConfig } from "../config.ts";
import { newId } from "../store/ids.ts";
import { windowEnd } from "../clinic/visit_window.ts";
import { log } from "../log.ts";
import { type Appointment, getAppointment } from "../store/appointments.ts";
import { recordQuality } from "../sessions/call_quality.ts";
import { endByDoctor } from "../sessions/close.ts";
import { recordJoin, recordLeave } from "../sessions/session.ts";
import { appendChat, readChat } from "../sessions/chat_log.ts";
import { iceServersFor } from "./ice_servers.ts";
import { Presence } from "./presence.ts";
import { CLIENT_TYPES, clientMessage } from "../protocol/schema.ts";
import {
  type ClientMessage,
  CLOSE,
  ERROR_CODES,
  type ErrorCode,
  isPolite,
  type LeaveReason,
  otherRole,
  type Role,
  type ServerMessage,
} from "../protocol/messages.ts";
import type { Relay, RelayMessage } from "./relay.ts";
import { roomAdmits } from "./room_rule.ts";
import { type Refusal, SocketCounter, TokenBucket } from "./socket_guard.ts";
import { redeemTicket } from "./tickets.ts";
import { WaitingRoom } from "./waiting_room.ts";

/** Bytes in one message: an SDP with many candidates fits, a flood does not. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Messages per socket: a burst of this many, refilled at RATE_PER_S. */
export const RATE_BURST = 200;
export const RATE_PER_S = 50;
/** A keep-alive interval without any message from the client... */
const MISSED_PINGS = 3;
/** How long a refused socket stays open, unread, before it is closed. */
const REJECT_GRACE_MS = 100;
/** Membership heartbeats are written at most this often. */
const HEARTBEAT_MS = 10_000;

export interface HubOptions {
  config: ClinicConfig;
  kv: Deno.Kv;
  relay: Relay;
}

const roomChannel = (roomId: string) => `room:${roomId}`;

export class SignalingHub {
  readonly isolate = newId().slice(0, 8);
  readonly presence: Presence;
  readonly waitingRoom: WaitingRoom;
  readonly connections = new Set<RoomConnection>();
  /** Ends the open waiting-room event streams (they would hold a shutdown open). */
  readonly streamClosers = new Set<() => void>();

  /** Open call sockets by client address, within the configured limits. */
  readonly sockets: SocketCounter;

  constructor(readonly options: HubOptions) {
    this.sockets = new SocketCounter({
      perAddress: options.config.signalingMaxSocketsPerAddress,
      total: options.config.signalingMaxSockets,
    });
    const staleMs = Math.max(
      3 * HEARTBEAT_MS,
      MISSED_PINGS * options.config.keepaliveMs,
    );
    this.presence = new Presence(options.kv, staleMs);
    this.waitingRoom = new WaitingRoom(options.kv, options.relay, staleMs);
  }

  /** Tells everyone in the room that the visit has ended; they are closed. */
  announceEnd(roomId: string, by: Role, at: number) {
    this.options.relay.publish(roomChannel(roomId), {
      kind: "ended",
      to: "*",
      by,
      at,
    });
  }

  /**
   * A place for one more socket from `address`, or why there is none; ask
   * before upgrading, so that a refused client costs nothing.
   */
  admit(address: string): { release(): void } | Refusal {
    return this.sockets.admit(address);
  }

  /** Takes charge of an upgraded socket until it closes. */
  accept(
    socket: WebSocket,
    place: { release(): void } = { release() {} },
  ): RoomConnection {
    const connection = new RoomConnection(this, socket, place);
    this.connections.add(connection);
    return connection;
  }

  /** Closes every socket and waits until each has left its room. */
  async close() {
    for (const closeStream of [...this.streamClosers]) closeStream();
    await Promise.all(
      [...this.connections].map((c) => c.close(CLOSE.normal, "server closing")),
    );
  }
}

class RoomConnection {
  readonly id = newId();
  #state: "new" | "joining" | "joined" | "closed" = "new";
  #role: Role | null = null;
  #appointment: Appointment | null = null;
  #peerConnection: string | null = null;
  #joinedAt = 0;
  #queue: Promise<void> = Promise.resolve();
  #lastHeard = Date.now();
  #lastHeartbeat = Date.now();
  #bucket = new TokenBucket(RATE_BURST, RATE_PER_S);
  #timer: ReturnType<typeof setInterval> | undefined;
  #joinDeadline: ReturnType<typeof setTimeout> | undefined;
  #opened = false;
  #unsubscribe: (() => void) | null = null;

  constructor(
    readonly hub: SignalingHub,
    readonly socket: WebSocket,
    readonly place: { release(): void },
  ) {
    socket.onmessage = (event) => {
      // One message at a time, so a chat (which is stored first) is never
      // overtaken by the offer sent after it.
      this.#queue = this.#queue.then(() => this.#onMessage(event.data)).catch(
        (error) => {
          log.error("signaling.failure", { error: String(error) });
          void this.close(CLOSE.policy, "server error");
        },
      );
    };
    // The place is given back when Deno says the connection is gone, not
    // when the app asks to close: a client may ignore the close frame and
    // keep the connection (and Deno's buffers) open.
    socket.onclose = () => {
      this.place.release();
      void this.#leave("disconnected");
    };
    socket.addEventListener("open", () => this.#opened = true);
    socket.onerror = () => {};
    this.#timer = setInterval(
      () => void this.#tick(),
      hub.options.config.keepaliveMs,
    );
    // Answering pings is not enough to stay: a socket joins a room or goes.
    this.#joinDeadline = setTimeout(() => {
      // An upgrade the client dropped never opens and never fires close.
      if (!this.#opened) this.place.release();
      if (this.#state === "new") this.#reject("join_timeout", CLOSE.timeout);
    }, hub.options.config.signalingJoinMs);
  }

  /** Who this socket is in its room, once joined. */
  get role(): Role | null {
    return this.#state === "joined" ? this.#role : null;
  }

  get #kv() {
    return this.hub.options.kv;
  }

  get #relay() {
    return this.hub.options.relay;
  }

  send(message: ServerMessage) {
    if (this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
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

  async #onMessage(data: unknown) {
    if (this.#state === "closed") return;
    this.#lastHeard = Date.now();
    // Every frame counts against the rate, whatever it holds.
    if (!this.#bucket.take()) return this.#reject("rate_limited", CLOSE.policy);
    if (typeof data !== "string") {
      const size = data instanceof ArrayBuffer
        ? data.byteLength
        : data instanceof Blob
        ? data.size
        : 0;
      if (size > MAX_MESSAGE_BYTES) {
        return this.#reject("too_large", CLOSE.tooLarge);
      }
      return this.#reject("binary_frame", CLOSE.unsupported);
    }
    if (data.length > MAX_MESSAGE_BYTES) {
      return this.#reject("too_large", CLOSE.tooLarge);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return this.#error("invalid_json");
    }
    const type = (raw as { type?: unknown } | null)?.type;
    if (typeof type !== "string" || !CLIENT_TYPES.has(type)) {
      return this.#error("unknown_type");
    }
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.#error(
        "invalid_message",
        `${issue.path.join(".") || "message"}: ${issue.message}`,
      );
    }
    await this.#handle(parsed.data, data);
  }

  /** `raw` is the message's text, already checked to be exactly `message`. */
  async #handle(message: ClientMessage, raw: string) {
    switch (message.type) {
      case "ping":
        return this.send({ type: "pong" });
      case "pong":
        return;
      case "join-room":
        if (this.#state !== "new") return this.#error("already_joined");
        return await this.#join(message.roomId, message.ticket);
    }
    if (this.#state !== "joined") return this.#error("not_joined");
    const role = this.#role!;
    const roomId = this.#appointment!.id;
    switch (message.type) {
      case "leave-room":
        await this.#leave("left");
        this.socket.close(CLOSE.normal, "left");
        return;
      case "quality": {
        const { type: _, ...sample } = message;
        await recordQuality(this.#kv, roomId, role, sample);
        return;
      }
      case "end-session": {
        if (role !== "doctor") return this.#error("forbidden");
        const closed = await endByDoctor(
          this.#kv,
          this.hub.options.config,
          roomId,
          this.#appointment!.doctorId,
        );
        if (!closed) return this.#error("room_closed");
        if (closed.first) {
          log.info("signaling.end", { room: roomId, server: this.hub.isolate });
        }
        this.hub.announceEnd(roomId, "doctor", closed.session.endedAt!);
        return;
      }
      case "offer":
      case "answer":
      case "ice-candidate":
      case "media-state":
        if (!this.#peerConnection) return this.#error("no_peer");
        this.#relay.publish(roomChannel(roomId), {
          kind: "signal",
          to: otherRole(role),
          // The validated text with `from` added: the fields go out unchanged,
          // and a large SDP is not serialised again.
          text: `${raw.trimEnd().slice(0, -1)},"from":"${role}"}`,
        });
        return;
      case "chat": {
        if (!this.#peerConnection) return this.#error("no_peer");
        const kept = this.hub.options.config.chatKept === "report";
        const line = await appendChat(
          this.#kv,
          roomId,
          role,
          message.text,
          {
            expireAt: kept ? null : windowEnd(this.#appointment!),
            maxLines: this.hub.options.config.chatMaxLines,
          },
        );
        if (!line) return this.#error("chat_full");
        this.#relay.publish(roomChannel(roomId), {
          kind: "chat",
          to: otherRole(role),
          line: { ...line },
        });
        return;
      }
    }
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

  async #join(roomId: string, ticketText: string) {
    this.#state = "joining";
    const ticket = await redeemTicket(this.#kv, ticketText);
    if (!ticket) return this.#reject("bad_ticket");
    if (ticket.roomId !== roomId) return this.#reject("wrong_room");
    const found = await getAppointment(this.#kv, roomId);
    const appointment = found?.value;
    if (
      !appointment ||
      await roomAdmits(
          this.#kv,
          this.hub.options.config,
          this.hub.presence,
          appointment,
        ) !== true
    ) {
      return this.#reject("room_closed");
    }
    if (this.#state !== "joining") return; // closed while the ticket was checked
    const role = ticket.role;
    this.#role = role;
    this.#appointment = appointment;
    this.#unsubscribe = this.#relay.subscribe(
      roomChannel(roomId),
      (m) => this.#onRelay(m),
    );
    const previous = await this.hub.presence.claim(
      roomId,
      role,
      this.id,
      this.hub.isolate,
    );
    if (this.#state !== "joining") {
      // The socket closed while joining: give the place back.
      await this.hub.presence.release(roomId, role, this.id);
      this.#stop();
      return;
    }
    const recorded = await recordJoin(this.#kv, appointment, role);
    if (!recorded || this.#state !== "joining") {
      await this.hub.presence.release(roomId, role, this.id);
      if (recorded) await recordLeave(this.#kv, roomId, role, "disconnected");
      this.#stop();
      if (!recorded) this.#reject("room_closed");
      return;
    }
    const rejoined = previous !== null && previous.connectionId !== this.id;
    if (rejoined) {
      this.#relay.publish(roomChannel(roomId), {
        kind: "replaced",
        to: previous.connectionId,
      });
    }
    this.#state = "joined";
    this.#joinedAt = Date.now();
    this.send({
      type: "joined",
      roomId,
      role,
      polite: isPolite(role),
      iceServers: await iceServersFor(
        this.hub.options.config,
        `${roomId}-${role}`,
      ),
      chat: await readChat(this.#kv, roomId),
      server: this.hub.isolate,
    });
    log.info("signaling.join", {
      room: roomId,
      role,
      server: this.hub.isolate,
      rejoined,
    });
    const peer = await this.hub.presence.member(roomId, otherRole(role));
    if (peer) {
      this.#peerConnection = peer.connectionId;
      this.send({
        type: "peer-joined",
        peer: otherRole(role),
        polite: isPolite(role),
        rejoined: false,
      });
    } else {
      this.send({ type: "waiting-for-peer" });
    }
    this.#relay.publish(roomChannel(roomId), {
      kind: "peer-joined",
      to: otherRole(role),
      from: role,
      connectionId: this.id,
      rejoined,
    });
    if (role === "patient") {
      await this.#announcePatient(this.#joinedAt, peer !== null);
    } else if (peer) await this.#announcePatient(peer.joinedAt, true);
  }

  /** Tells the doctor's dashboard that the patient is in the room. */
  async #announcePatient(since: number, withDoctor: boolean) {
    const a = this.#appointment!;
    await this.hub.waitingRoom.update(a.doctorId, {
      roomId: a.id,
      patientName: a.patientName,
      since,
      withDoctor,
    });
  }

  #onRelay(m: RelayMessage) {
    if (this.#state !== "joined") return;
    const role = this.#role!;
    if (m.kind === "replaced") {
      if (m.to !== this.id) return;
      this.#error("replaced");
      // The place is the newer socket's now: close without leaving the room.
      this.#state = "closed";
      this.#left = Promise.resolve();
      this.#stop();
      this.socket.close(CLOSE.replaced, "replaced");
      return;
    }
    if (m.kind === "ended") return this.#onEnded(m.by as Role, m.at as number);
    if (m.to !== role) return;
    switch (m.kind) {
      case "signal":
        if (this.socket.readyState === WebSocket.OPEN) {
          this.socket.send(m.text as string);
        }
        return;
      case "chat":
        return this.send({
          type: "chat",
          ...(m.line as Omit<Extract<ServerMessage, { type: "chat" }>, "type">),
        });
      case "peer-joined": {
        const connectionId = m.connectionId as string;
        if (connectionId === this.#peerConnection) return;
        this.#peerConnection = connectionId;
        this.send({
          type: "peer-joined",
          peer: otherRole(role),
          polite: isPolite(role),
          rejoined: Boolean(m.rejoined),
        });
        return;
      }
      case "peer-left":
        if (m.connectionId !== this.#peerConnection) return;
        this.#peerConnection = null;
        this.send({
          type: "peer-left",
          peer: otherRole(role),
          reason: m.reason as LeaveReason,
        });
        return;
    }
  }

  /** The visit is over for both: nobody "left", so no peer-left follows. */
  #onEnded(by: Role, at: number) {
    const a = this.#appointment!;
    const role = this.#role!;
    this.send({ type: "session-ended", by, at: new Date(at).toISOString() });
    this.#state = "closed";
    clearInterval(this.#timer);
    this.#left = this.hub.presence.release(a.id, role, this.id)
      .then(async () => {
        if (role === "patient") {
          await this.hub.waitingRoom.remove(a.doctorId, a.id);
        }
      })
      .catch((error) =>
        log.warn("signaling.leave_failed", { error: String(error) })
      )
      .finally(() => this.#stop());
    this.socket.close(CLOSE.normal, "visit ended");
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
      now - this.#lastHeartbeat >= Math.min(HEARTBEAT_MS, keepalive)
    ) {
      this.#lastHeartbeat = now;
      await this.#heartbeat();
    }
  }

  /** Refreshes this member, and notices a peer whose isolate has died. */
  async #heartbeat() {
    const roomId = this.#appointment!.id;
    const role = this.#role!;
    const stillMine = await this.hub.presence.refresh(roomId, role, this.id);
    if (!stillMine) return;
    if (this.#peerConnection) {
      const peer = await this.hub.presence.member(roomId, otherRole(role));
      if (!peer) {
        this.#peerConnection = null;
        this.send({
          type: "peer-left",
          peer: otherRole(role),
          reason: "timeout",
        });
      }
    }
    if (role === "patient") {
      await this.#announcePatient(
        this.#joinedAt,
        this.#peerConnection !== null,
      );
    }
  }

  #stop() {
    clearInterval(this.#timer);
    clearTimeout(this.#joinDeadline);
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.hub.connections.delete(this);
  }

  #left: Promise<void> | null = null;

  /** Leaves once, whatever asked first (leave-room, close, time-out). */
  #leave(reason: LeaveReason): Promise<void> {
    const wasJoined = this.#state === "joined";
    this.#state = "closed";
    clearInterval(this.#timer);
    this.#left ??= (wasJoined ? this.#leaveRoom(reason) : Promise.resolve())
      .catch((error) =>
        log.warn("signaling.leave_failed", { error: String(error) })
      )
      .finally(() => this.#stop());
    return this.#left;
  }

  async #leaveRoom(reason: LeaveReason) {
    const a = this.#appointment!;
    const role = this.#role!;
    const released = await this.hub.presence.release(a.id, role, this.id);
    if (!released) return; // replaced by a newer socket: nobody left
    await recordLeave(this.#kv, a.id, role, reason);
    log.info("signaling.leave", {
      room: a.id,
      role,
      reason,
      server: this.hub.isolate,
    });
    this.#relay.publish(roomChannel(a.id), {
      kind: "peer-left",
      to: otherRole(role),
      from: role,
      connectionId: this.id,
      reason,
    });
    if (role === "patient") {
      await this.hub.waitingRoom.remove(a.doctorId, a.id);
    } else {
      const patient = await this.hub.presence.member(a.id, "patient");
      if (patient) await this.#announcePatient(patient.joinedAt, false);
    }
  }
}
