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
import type { Relay, RoomMessage } from "./relay.ts";

/** Membership heartbeats are written at most this often. */
export const HEARTBEAT_MS = 10_000;

export const roomChannel = (roomId: string) => `room:${roomId}`;

/** The member's way to its own client. */
export interface MemberOutput {
  send(message: ServerMessage): void;
  /** A relayed message, sent as the other client wrote it. */
  sendText(text: string): void;
}

/** Where rooms are kept and their messages travel, and which isolate this is. */
export interface RoomPlaces {
  presence: Presence;
  relay: Relay;
  isolate: string;
}

export class RoomMember {
  /** The other participant's socket, while this one knows it is there. */
  peerConnection: string | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(
    readonly places: RoomPlaces,
    readonly roomId: string,
    readonly role: Role,
    readonly connectionId: string,
    readonly out: MemberOutput,
  ) {}

  /** The other participant's role. */
  get peer(): Role {
    return otherRole(this.role);
  }

  /** Hears the room's channel until `stop`. */
  listen(onMessage: (message: RoomMessage) => void) {
    this.#unsubscribe = this.places.relay.subscribe(
      roomChannel(this.roomId),
      (m) => {
        if ("to" in m) onMessage(m);
      },
    );
  }

  stop() {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
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
      this.peerConnection = peer.connectionId;
      this.out.send({
        type: "peer-joined",
        peer: this.peer,
        polite: isPolite(this.role),
        rejoined: false,
      });
    } else {
      this.out.send({ type: "waiting-for-peer" });
    }
    this.#publish({
      kind: "peer-joined",
      to: this.peer,
      from: this.role,
      connectionId: this.connectionId,
      rejoined,
    });
    return peer;
  }

  /** Passes an offer, answer, candidate or media state to the other side. */
  relaySignal(text: string) {
    this.#publish({
      kind: "signal",
      to: this.peer,
      // The validated text with `from` added: the fields go out unchanged,
      // and a large SDP is not serialised again.
      text: `${text.trimEnd().slice(0, -1)},"from":"${this.role}"}`,
    });
  }

  relayChat(line: ChatLine) {
    this.#publish({ kind: "chat", to: this.peer, line: { ...line } });
  }

  announceLeave(reason: LeaveReason) {
    this.#publish({
      kind: "peer-left",
      to: this.peer,
      from: this.role,
      connectionId: this.connectionId,
      reason,
    });
  }

  /** Tells the client what the other participant's socket said. */
  deliver(m: RoomMessage) {
    if (m.to !== this.role) return;
    switch (m.kind) {
      case "signal":
        return this.out.sendText(m.text);
      case "chat":
        return this.out.send({ type: "chat", ...m.line });
      case "peer-joined":
        if (m.connectionId === this.peerConnection) return;
        this.peerConnection = m.connectionId;
        return this.out.send({
          type: "peer-joined",
          peer: this.peer,
          polite: isPolite(this.role),
          rejoined: m.rejoined,
        });
      case "peer-left":
        if (m.connectionId !== this.peerConnection) return;
        this.peerConnection = null;
        return this.out.send({
          type: "peer-left",
          peer: this.peer,
          reason: m.reason,
        });
    }
  }

  /** Notices a peer whose isolate died without saying so. */
  async checkPeer() {
    if (!this.peerConnection) return;
    const peer = await this.places.presence.member(this.roomId, this.peer);
    if (!peer) {
      this.peerConnection = null;
      this.out.send({ type: "peer-left", peer: this.peer, reason: "timeout" });
    }
  }

  #publish(message: RoomMessage) {
    this.places.relay.publish(roomChannel(this.roomId), message);
  }
}
