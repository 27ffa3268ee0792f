/**
 * A socket's part in a visit's call once its ticket is accepted: its place
 * in the room (`room_member.ts`) and what it does to the visit
 * (`visit_effects.ts`), taken in the order the protocol needs: the place
 * before the record on the way in, the record before the peer hears of it
 * on the way out.
 *
 * @module
 */
import { log } from "@/lib/log.ts";
import {
  type ClientMessage,
  type ErrorCode,
  isPolite,
  type LeaveReason,
  type Role,
  type ServerMessage,
} from "@/lib/protocol/messages.ts";
import type { SignalingHub } from "./hub.ts";
import { iceServersFor } from "./ice_servers.ts";
import { within } from "@/lib/time_limit.ts";
import type { RoomMessage } from "./relay.ts";
import { type MemberOutput, RoomMember } from "./room_member.ts";
import type { VisitEffects } from "./visit_effects.ts";

/** How long a join waits for the relay to listen before it is refused. */
const RELAY_WAIT_MS = 3000;

/** What a joined client may send that acts on the visit's record. */
export type StoredMessage = Extract<
  ClientMessage,
  { type: "quality" | "end-session" | "chat" }
>;

/**
 * The participant is also its member's way to the client (`MemberOutput`),
 * so that a joined socket keeps no closures for it.
 */
export class Participant implements MemberOutput {
  readonly member: RoomMember;
  joinedAt = 0;
  #rejoined = false;

  constructor(
    readonly hub: SignalingHub,
    readonly visit: VisitEffects,
    connectionId: string,
    readonly out: Omit<MemberOutput, "resync">,
  ) {
    this.member = new RoomMember(
      hub,
      visit.roomId,
      visit.role,
      connectionId,
      this,
    );
  }

  send(message: ServerMessage) {
    this.out.send(message);
  }

  sendText(text: string) {
    this.out.sendText(text);
  }

  hear(message: RoomMessage) {
    this.out.hear(message);
  }

  get role(): Role {
    return this.visit.role;
  }

  /**
   * Takes the place and records the join. The socket may close meanwhile
   * (`joining()` turns false): then all is given back. Answers `in`, `gone`
   * or the error the socket is refused with.
   */
  async enter(
    joining: () => boolean,
  ): Promise<"in" | "gone" | "room_closed" | "relay_unavailable"> {
    try {
      await within(this.member.listen(), RELAY_WAIT_MS, "no answer");
    } catch (error) {
      log.warn("signaling.relay_unavailable", {
        room: this.member.roomId,
        server: this.hub.isolate,
        error: String(error),
      });
      return "relay_unavailable";
    }
    const previous = await this.member.claim();
    if (!joining()) {
      await this.member.release();
      return "gone";
    }
    const recorded = await this.visit.arrive();
    if (!recorded || !joining()) {
      await this.member.release();
      if (recorded) await this.visit.depart("disconnected");
      return recorded ? "gone" : "room_closed";
    }
    this.#rejoined = this.member.replace(previous);
    return "in";
  }

  /** Messages were lost: the client starts afresh, with the chat so far. */
  async resync() {
    const { roomId, role } = this.member;
    log.info("signaling.resync", {
      room: roomId,
      role,
      server: this.hub.isolate,
    });
    this.out.send({
      type: "resync",
      peer: this.member.peer,
      polite: isPolite(role),
      chat: await this.visit.chatSoFar(),
    });
  }

  /** Tells the client it is in, and who else is; tells the room and the doctor. */
  async welcome() {
    const { roomId, role } = this.member;
    const { config } = this.hub.options;
    this.joinedAt = Date.now();
    this.out.send({
      type: "joined",
      roomId,
      role,
      polite: isPolite(role),
      iceServers: await iceServersFor(config, `${roomId}-${role}`),
      chat: await this.visit.chatSoFar(),
      server: this.hub.isolate,
    });
    log.info("signaling.join", {
      room: roomId,
      role,
      server: this.hub.isolate,
      rejoined: this.#rejoined,
    });
    const peer = await this.member.greet(this.#rejoined);
    const note = await this.visit.waitingNote(peer);
    if (note) this.out.send({ type: "waiting-note", ...note });
    await this.visit.arrived(this.joinedAt, peer);
    await this.visit.keepSignInAlive();
  }

  /**
   * Passes an offer, answer, candidate or media state (`text`, as the
   * client wrote it) to the other participant; answers the error to tell
   * the client, if any.
   */
  relay(text: string): ErrorCode | null {
    if (!this.member.peerConnection) return "no_peer";
    this.member.relaySignal(text);
    return null;
  }

  /** Acts on a joined client's message; answers the error to tell it, if any. */
  async handle(message: StoredMessage): Promise<ErrorCode | null> {
    switch (message.type) {
      case "quality": {
        const { type: _, ...sample } = message;
        await this.visit.quality(sample);
        return null;
      }
      case "end-session":
        return await this.visit.end();
      case "chat": {
        if (!this.member.peerConnection) return "no_peer";
        const line = await this.visit.chat(message.text);
        if (!line) return "chat_full";
        this.member.relayChat(line);
        return null;
      }
    }
  }

  /** Refreshes the place, and notices a peer whose isolate has died. */
  async heartbeat() {
    if (!await this.member.refresh()) return;
    await this.visit.keepSignInAlive();
    await this.member.checkPeer();
    if (this.role === "patient") {
      await this.visit.patientIn(
        this.joinedAt,
        this.member.peerConnection !== null,
      );
    }
  }

  /** Leaves the room; nobody left if a newer socket had taken the place. */
  async leave(reason: LeaveReason) {
    const released = await this.member.release();
    if (!released) return;
    await this.visit.depart(reason);
    log.info("signaling.leave", {
      room: this.member.roomId,
      role: this.role,
      reason,
      server: this.hub.isolate,
    });
    this.member.announceLeave(reason);
    await this.visit.left();
  }

  /** The visit ended for both: the place is given up, nobody "left". */
  async ended() {
    await this.member.release();
    await this.visit.ended();
  }
}
