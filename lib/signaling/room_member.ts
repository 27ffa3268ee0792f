/**
 * One socket's place in a call room: it holds the role's place in the
 * room's presence, hears the room's channel on the relay, and passes what
 * its client sends to the other participant's socket, wherever that socket
 * lives. It keeps no record of the visit (`visit_effects.ts` does) and does
 * not decide when to join or leave (the connection does).
 *
 * @module
 */
import {
  type ChatLine,
  isPolite,
  type LeaveReason,
  otherRole,
  type Role,
  type ServerMessage,
} from "@/lib/protocol/messages.ts";
import type { Member, Presence } from "./presence.ts";
import { MessageOrder, type Numbered } from "./message_order.ts";
import type { Relay, RoomMessage, Subscription } from "./relay.ts";

/** Membership heartbeats are written at most this often. */
export const HEARTBEAT_MS = 10_000;

export const roomChannel = (roomId: string) => `room:${roomId}`;

/** A resync asked for by the peer within this long of our own is the same one. */
const RESYNC_SETTLE_MS = 2000;

/** A room message for the peer, before it is addressed and numbered. */
type PeerMessage = RoomMessage extends infer M
  ? M extends Numbered ? Omit<M, "to" | keyof Numbered> : never
  : never;

/** The member's way to its own client. */
export interface MemberOutput {
  send(message: ServerMessage): void;
  /** A relayed message, sent as the other client wrote it. */
  sendText(text: string): void;
  /** Tells the client to start the peer connection afresh (with the chat so far). */
  resync(): Promise<void>;
  /** What came on the room's channel for this socket's side (or for all). */
  hear(message: RoomMessage): void;
}

/** Where rooms are kept and their messages travel, and which isolate this is. */
export interface RoomPlaces {
  presence: Presence;
  relay: Relay;
  isolate: string;
}

export class RoomMember {
  readonly #order: MessageOrder;
  /** The room's channel, named once: every message is published on it. */
  readonly #channel: string;
  #subscription: Subscription | null = null;
  #resyncedAt = -Infinity;

  constructor(
    readonly places: RoomPlaces,
    readonly roomId: string,
    readonly role: Role,
    readonly connectionId: string,
    readonly out: MemberOutput,
  ) {
    this.#order = new MessageOrder(connectionId);
    this.#channel = roomChannel(roomId);
  }

  /** The other participant's socket, while this one knows it is there. */
  get peerConnection(): string | null {
    return this.#order.peer;
  }

  /** The other participant's role. */
  get peer(): Role {
    return otherRole(this.role);
  }

  /**
   * Hears the room's channel until `stop` (the output hears what comes);
   * settles once the relay listens, and rejects if it cannot.
   */
  listen(): Promise<void> {
    const subscription = this.places.relay.subscribe(
      this.#channel,
      (m) => {
        if (m.kind === "gap") void this.#resync();
        // What is addressed to the peer's role (this member's own messages,
        // heard back on the room's channel) stops here.
        else if ("to" in m && m.to !== this.peer) this.out.hear(m);
      },
    );
    this.#subscription = subscription;
    return subscription.ready;
  }

  stop() {
    this.#subscription?.stop();
    this.#subscription = null;
  }

  /** Takes the role's place; answers who held it before, if anyone. */
  claim(): Promise<Member | null> {
    const { presence, isolate } = this.places;
    return presence.claim(this.roomId, this.role, this.connectionId, isolate);
  }

  /** `false` if the place is no longer this socket's. */
  refresh(): Promise<boolean> {
    return this.places.presence.refresh(
      this.roomId,
      this.role,
      this.connectionId,
      this.#order.progress,
    );
  }

  /** Gives the place up; `false` if a newer socket had taken it. */
  release(): Promise<boolean> {
    return this.places.presence.release(
      this.roomId,
      this.role,
      this.connectionId,
    );
  }

  /**
   * Closes the socket that held the place before this one, if another did;
   * answers whether this is a rejoin.
   */
  replace(previous: Member | null): boolean {
    const rejoined = previous !== null &&
      previous.connectionId !== this.connectionId;
    if (rejoined) {
      this.#publish({ kind: "replaced", to: previous.connectionId });
    }
    return rejoined;
  }

  /**
   * Tells the client whether the other participant is here, and the other
   * participant that this socket is; answers the other's member, if any.
   */
  async greet(rejoined: boolean): Promise<Member | null> {
    const peer = await this.places.presence.member(this.roomId, this.peer);
    if (peer) {
      this.#order.meet(peer.connectionId);
      this.out.send({
        type: "peer-joined",
        peer: this.peer,
        polite: isPolite(this.role),
        rejoined: false,
      });
    } else {
      this.out.send({ type: "waiting-for-peer" });
    }
    this.#toPeer({ kind: "peer-joined", from: this.role, rejoined });
    return peer;
  }

  /** Passes an offer, answer, candidate or media state to the other side. */
  relaySignal(text: string) {
    const { connectionId, for: to, seq } = this.#order.stamp();
    // Written out whole (not through #toPeer's spreads): most of what a
    // call relays goes this way.
    this.#publish({
      kind: "signal",
      to: this.peer,
      // The validated text with `from` added: the fields go out unchanged,
      // and a large SDP is not serialised again.
      text: `${text.trimEnd().slice(0, -1)},"from":"${this.role}"}`,
      connectionId,
      for: to,
      seq,
    });
  }

  relayChat(line: ChatLine) {
    this.#toPeer({ kind: "chat", line: { ...line } });
  }

  announceLeave(reason: LeaveReason) {
    this.#toPeer({ kind: "peer-left", from: this.role, reason });
  }

  /**
   * Tells the client what the other participant's socket said. Messages
   * arrive numbered (`message_order.ts`); one that shows a gap starts the
   * call afresh instead.
   */
  deliver(m: RoomMessage) {
    if (m.to !== this.role || m.kind === "replaced") return;
    if (m.kind === "waiting-note") {
      return this.out.send({
        type: "waiting-note",
        text: m.text,
        at: new Date(m.at).toISOString(),
      });
    }
    if (m.kind === "peer-joined") {
      if (this.#order.arrived(m) === "drop") return;
      return this.out.send({
        type: "peer-joined",
        peer: this.peer,
        polite: isPolite(this.role),
        rejoined: m.rejoined,
      });
    }
    if (m.kind === "peer-left") {
      if (m.connectionId !== this.peerConnection) return; // an earlier socket
      this.#order.meet(null);
      return this.out.send({
        type: "peer-left",
        peer: this.peer,
        reason: m.reason,
      });
    }
    const arrival = this.#order.receive(m);
    if (arrival === "drop") return;
    // Just after a fresh start, what arrives belongs to it, even after a
    // gap (the peer's own resync may be what was lost): it goes through.
    if (arrival === "gap" && !this.#settling()) return void this.#resync();
    switch (m.kind) {
      case "signal":
        return this.out.sendText(m.text);
      case "chat":
        return this.out.send({ type: "chat", ...m.line });
      case "resync":
        if (this.#settling()) return;
        this.#resyncedAt = Date.now();
        return void this.out.resync();
    }
  }

  /**
   * Something from the peer was lost: this client and the peer's both start
   * the peer connection afresh (the peer is asked to on the relay).
   */
  async #resync() {
    if (!this.peerConnection || this.#settling()) return;
    this.#resyncedAt = Date.now();
    this.#toPeer({ kind: "resync" });
    await this.out.resync();
  }

  /**
   * Notices a peer whose server died without saying so, and messages of the
   * peer's that never came (a lost last message shows no gap by itself).
   */
  async checkPeer() {
    if (!this.peerConnection) return;
    const peer = await this.places.presence.member(this.roomId, this.peer);
    if (!peer) {
      this.#order.meet(null);
      this.out.send({ type: "peer-left", peer: this.peer, reason: "timeout" });
      return;
    }
    if (
      peer.connectionId === this.peerConnection &&
      this.#order.missing(peer.progress)
    ) {
      await this.#resync();
    }
  }

  /**
   * Both sides often notice the same loss (a broker restart cuts off both
   * servers), and more numbers go missing while the fresh start begins:
   * one fresh start covers them all.
   */
  #settling(): boolean {
    return Date.now() - this.#resyncedAt < RESYNC_SETTLE_MS;
  }

  /** A message for the other participant, addressed and numbered. */
  #toPeer(message: PeerMessage) {
    this.#publish(
      { ...message, to: this.peer, ...this.#order.stamp() } as RoomMessage,
    );
  }

  #publish(message: RoomMessage) {
    this.places.relay.publish(this.#channel, message);
  }
}
