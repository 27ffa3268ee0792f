/**
 * What a participant in the call does to the visit: the session's record of
 * joins and leaves, the chat, the quality samples, the doctor's waiting
 * room and the end of the visit. This is why a call leaves a record; the
 * socket's place in the room is `room_member.ts`.
 *
 * @module
 */
import { windowEnd } from "@/lib/clinic/visit_window.ts";
import {
  keepLoginSessionAlive,
  touchEvery,
} from "@/lib/auth/login_sessions.ts";
import { log } from "@/lib/log.ts";
import { mailIfNobodyJoins } from "@/lib/mail/visit_events.ts";
import type {
  ChatLine,
  ErrorCode,
  LeaveReason,
  QualityReport,
  Role,
} from "@/lib/protocol/messages.ts";
import { recordQuality } from "@/lib/sessions/call_quality.ts";
import { appendChat, readChat } from "@/lib/sessions/chat_log.ts";
import { endByDoctor } from "@/lib/sessions/close.ts";
import { recordJoin, recordLeave } from "@/lib/sessions/session.ts";
import { type Appointment, getAppointment } from "@/lib/store/appointments.ts";
import { type CheckIn, getCheckIn } from "@/lib/store/check_ins.ts";
import type { SignalingHub } from "./hub.ts";
import type { Member } from "./presence.ts";
import { roomAdmits } from "./room_rule.ts";
import { redeemTicket } from "./tickets.ts";
import { clearWaitingNote, readWaitingNote } from "./waiting_note.ts";

/**
 * Lets a socket into a visit's room with a ticket for it, while the room
 * admits a join; or says why not. The ticket is used up either way.
 */
export async function admitToRoom(
  hub: SignalingHub,
  roomId: string,
  ticketText: string,
): Promise<VisitEffects | ErrorCode> {
  const { kv, config } = hub.options;
  const ticket = await redeemTicket(kv, ticketText);
  if (!ticket) return "bad_ticket";
  if (ticket.roomId !== roomId) return "wrong_room";
  const appointment = (await getAppointment(kv, roomId))?.value;
  if (
    !appointment ||
    await roomAdmits(kv, config, hub.presence, appointment) !== true
  ) {
    return "room_closed";
  }
  // Read once: the dashboard shows it with every update of the room.
  const checkIn = await getCheckIn(kv, appointment.id);
  return new VisitEffects(
    hub,
    appointment,
    ticket.role,
    checkIn && { name: checkIn.name, at: checkIn.at },
    ticket.role === "doctor" ? ticket.signIn : undefined,
  );
}

/** The patient's check-in, as the doctor's waiting room shows it. */
export type CheckedIn = Pick<CheckIn, "name" | "at">;

/**
 * A joined participant keeps this while the call lasts, once per socket:
 * only what the call needs of the visit, not the whole appointment.
 */
export class VisitEffects {
  readonly roomId: string;
  readonly doctorId: string;
  readonly patientName: string;
  /** When the visit's chat expires from the store, unless kept in the report. */
  readonly #windowEnd: number;
  /** The whole record, until the join is recorded and announced. */
  #appointment: Appointment | null;

  constructor(
    readonly hub: SignalingHub,
    appointment: Appointment,
    readonly role: Role,
    /** The patient's check-in (the ticket needed it). */
    readonly checkIn: CheckedIn | null = null,
    /** The doctor's sign-in (its id's hash) the call keeps alive. */
    readonly signIn?: string,
  ) {
    this.roomId = appointment.id;
    this.doctorId = appointment.doctorId;
    this.patientName = appointment.patientName;
    this.#windowEnd = windowEnd(appointment);
    this.#appointment = appointment;
  }

  /** When this call last kept the doctor's sign-in alive. */
  #signInKeptAt = -Infinity;

  /**
   * The doctor's call counts as use of their sign-in, so a call longer
   * than the idle time does not sign them out; it never outlives the
   * sign-in's maximum lifetime (`keepLoginSessionAlive`).
   */
  async keepSignInAlive(): Promise<void> {
    if (!this.signIn) return;
    const { kv, config } = this.hub.options;
    const policy = { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs };
    const now = Date.now();
    // Heartbeats come every few seconds; the sign-in needs a touch only
    // every `touchEvery` (at most a quarter of the idle time), so the store
    // is not read on every one of them.
    if (now - this.#signInKeptAt < touchEvery(policy)) return;
    try {
      if (await keepLoginSessionAlive(kv, this.signIn, policy, now)) {
        this.#signInKeptAt = now;
      }
    } catch (error) {
      // The call goes on; only the sign-in may lapse.
      log.warn("signaling.keep_sign_in", { error: String(error) });
    }
  }

  get #kv() {
    return this.hub.options.kv;
  }

  /** Records the join; `false` if the session closed meanwhile. */
  async arrive(): Promise<boolean> {
    const appointment = this.#appointment;
    if (!appointment) return false; // recorded already: a socket joins once
    return await recordJoin(this.#kv, appointment, this.role) !== null;
  }

  /** Records that this participant left the call, and why. */
  depart(reason: LeaveReason): Promise<void> {
    return recordLeave(this.#kv, this.roomId, this.role, reason);
  }

  /** The conversation so far, for a participant who (re)joins. */
  chatSoFar(): Promise<ChatLine[]> {
    return readChat(this.#kv, this.roomId);
  }

  /** Stores a chat line; `null` when the visit's chat is full. */
  chat(text: string): Promise<ChatLine | null> {
    const { config } = this.hub.options;
    const kept = config.chatKept === "report";
    return appendChat(this.#kv, this.roomId, this.role, text, {
      expireAt: kept ? null : this.#windowEnd,
      maxLines: config.chatMaxLines,
    });
  }

  quality(sample: QualityReport): Promise<void> {
    return recordQuality(this.#kv, this.roomId, this.role, sample);
  }

  /** The doctor ends the visit for both; the error to answer, if any. */
  async end(): Promise<ErrorCode | null> {
    if (this.role !== "doctor") return "forbidden";
    const closed = await endByDoctor(
      this.#kv,
      this.hub.options.config,
      this.roomId,
      this.doctorId,
    );
    if (!closed) return "room_closed";
    if (closed.first) {
      log.info("signaling.end", {
        room: this.roomId,
        server: this.hub.isolate,
      });
    }
    this.hub.announceEnd(this.roomId, "doctor", closed.session.endedAt!);
    return null;
  }

  /** The doctor's latest note, for a patient who arrives to wait. */
  async waitingNote(peer: Member | null) {
    if (this.role !== "patient" || peer) return null;
    return await readWaitingNote(this.#kv, this.roomId);
  }

  /**
   * Shows the doctor's dashboard who is in the room, once joined. The
   * appointment's record is not needed after this.
   */
  async arrived(joinedAt: number, peer: Member | null) {
    const appointment = this.#appointment;
    this.#appointment = null;
    if (this.role === "patient") await this.patientIn(joinedAt, peer !== null);
    else if (peer) await this.patientIn(peer.joinedAt, true);
    if (this.role === "doctor") await clearWaitingNote(this.#kv, this.roomId);
    if (this.role === "patient" && peer === null && appointment) {
      try {
        const { kv, config } = this.hub.options;
        await mailIfNobodyJoins(kv, config, appointment, joinedAt);
      } catch (error) {
        // The call goes on; only the doctor's notice is missing.
        log.warn("mail.waiting_notice", { error: String(error) });
      }
    }
  }

  /** Tells the doctor's dashboard that the patient is in the room. */
  async patientIn(since: number, withDoctor: boolean) {
    await this.hub.waitingRoom.update(this.doctorId, {
      roomId: this.roomId,
      patientName: this.patientName,
      since,
      withDoctor,
      checkIn: this.checkIn
        ? { name: this.checkIn.name, at: this.checkIn.at }
        : null,
    });
  }

  /** The doctor's dashboard after this participant left the room. */
  async left() {
    if (this.role === "patient") {
      await this.hub.waitingRoom.remove(this.doctorId, this.roomId);
    } else {
      const patient = await this.hub.presence.member(this.roomId, "patient");
      if (patient) await this.patientIn(patient.joinedAt, false);
    }
  }

  /** The doctor's dashboard once the visit has ended for both. */
  async ended() {
    if (this.role === "patient") {
      await this.hub.waitingRoom.remove(this.doctorId, this.roomId);
    }
  }
}
