/**
 * The call's vocabulary, shared by the browser and the server: roles, the
 * messages each side sends, error and close codes, the join offer and the
 * waiting room's entries. Plain types and tables, no library, so that an
 * island can import it without pulling the server's validation into the
 * page; `schema.ts` beside it parses what clients send and is checked
 * against these types. `docs/protocol.md` is the contract in prose.
 *
 * @module
 */

export const ROLES = ["doctor", "patient"] as const;
export type Role = typeof ROLES[number];

/** The patient is the polite peer in perfect negotiation; the doctor is not. */
export function isPolite(role: Role): boolean {
  return role === "patient";
}

export function otherRole(role: Role): Role {
  return role === "doctor" ? "patient" : "doctor";
}

/** SDP is text of a few kilobytes; this leaves room and stops abuse. */
export const MAX_SDP = 32 * 1024;
/** The longest chat line, in characters, after trimming. */
export const MAX_CHAT_TEXT = 2000;
/** The longest note a doctor sends a waiting patient, in characters. */
export const MAX_WAITING_NOTE = 200;

/** An ICE server as `RTCPeerConnection` takes it. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** What a participant gets with a ticket (`POST …/ticket`). */
export interface JoinOffer {
  ticket: string;
  roomId: string;
  role: Role;
  signalingUrl: string;
  iceServers: IceServer[];
  /** ISO 8601. */
  expiresAt: string;
}

export interface CandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

export type QualityRating = "good" | "fair" | "poor" | "unknown";

/** One participant's view of the connection, sent every few seconds. */
export interface QualityReport {
  rttMs: number | null;
  lossPercent: number | null;
  jitterMs: number | null;
  bitrateKbps: number | null;
  relayed: boolean | null;
  rating: QualityRating;
}

/** The messages relayed from one peer to the other, fields unchanged. */
export type RelayedMessage =
  | { type: "offer"; sdp: string }
  | { type: "answer"; sdp: string }
  | { type: "ice-candidate"; candidate: CandidateInit | null }
  | { type: "media-state"; audio: boolean; video: boolean };

/** Every message a client may send. */
export type ClientMessage =
  | { type: "join-room"; roomId: string; ticket: string }
  | RelayedMessage
  | { type: "chat"; text: string }
  | { type: "leave-room" }
  | ({ type: "quality" } & QualityReport)
  | { type: "end-session" }
  | { type: "ping" }
  | { type: "pong" };

export interface ChatLine {
  id: string;
  from: Role;
  text: string;
  /** Server time, ISO 8601. */
  at: string;
}

export type LeaveReason = "left" | "disconnected" | "timeout";

export const ERROR_CODES = {
  invalid_json: "The message is not valid JSON.",
  unknown_type: "The message type is unknown.",
  invalid_message: "The message's fields are missing or invalid.",
  not_joined: "Send join-room first.",
  already_joined: "This socket has already joined a room.",
  bad_ticket: "The ticket is unknown, used or expired. Ask for a new one.",
  wrong_room: "The ticket is for another room.",
  room_closed: "This visit is cancelled or its time is over.",
  no_peer: "The other participant is not in the room.",
  forbidden: "Only the doctor can end the visit.",
  too_large: "The message is too large.",
  rate_limited: "Too many messages; slow down.",
  replaced: "You joined this room from another tab or device.",
  keepalive_timeout: "No answer to keep-alive pings.",
  join_timeout: "Send join-room within a few seconds of connecting.",
  binary_frame: "Messages are JSON text, not binary.",
  chat_full:
    "This visit's chat is full; your message was not sent. Talk, or call the clinic.",
  relay_unavailable:
    "The call service cannot pass messages right now; trying again shortly.",
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every message the server sends. */
export type ServerMessage =
  | {
    type: "joined";
    roomId: string;
    role: Role;
    polite: boolean;
    iceServers: IceServer[];
    chat: ChatLine[];
    /** Which server isolate holds this socket, for diagnostics. */
    server: string;
  }
  | { type: "waiting-for-peer" }
  | { type: "peer-joined"; peer: Role; polite: boolean; rejoined: boolean }
  /**
   * Messages between the servers may have been lost: start a fresh peer
   * connection as on `peer-joined`, and show `chat` (the conversation so far).
   */
  | { type: "resync"; peer: Role; polite: boolean; chat: ChatLine[] }
  | (RelayedMessage & { from: Role })
  | ({ type: "chat" } & ChatLine)
  | { type: "peer-left"; peer: Role; reason: LeaveReason }
  | { type: "session-ended"; by: Role; at: string }
  /** The doctor's short note to the waiting patient (patients only). */
  | ({ type: "waiting-note" } & WaitingNote)
  | { type: "ping" }
  | { type: "pong" }
  | { type: "error"; code: ErrorCode; message: string };

/** Close codes (4000-4999 are the application's own). */
export const CLOSE = {
  normal: 1000,
  unsupported: 1003,
  policy: 1008,
  tooLarge: 1009,
  rejected: 4001,
  replaced: 4002,
  timeout: 4003,
  /** The server is going away (how `deno serve` closes sockets at shutdown). */
  goingAway: 1001,
  /** The server is shutting down: reconnect at once (to another server). */
  restart: 1012,
  /** The server cannot serve the call right now: reconnect after a wait. */
  tryLater: 1013,
} as const;

/** A note from the doctor to the waiting patient, as the patient reads it. */
export interface WaitingNote {
  text: string;
  /** Server time, ISO 8601. */
  at: string;
}

/** A patient in the doctor's waiting room, as the dashboard shows them. */
export interface WaitingPatient {
  roomId: string;
  patientName: string;
  /** When the patient entered, ms. */
  since: number;
  /** Whether the doctor is in the room too. */
  withDoctor: boolean;
  /**
   * The patient's check-in: the name they confirmed and when (ms); the
   * consent was accepted with it. `null` only for a patient let in before
   * check-ins existed.
   */
  checkIn: { name: string; at: number } | null;
}

/** The waiting room's live events (`/api/waiting-room/events`). */
export type WaitingRoomEvent =
  | { kind: "waiting"; patient: WaitingPatient }
  | { kind: "gone"; roomId: string };
