/**
 * The call's signaling protocol: the messages a client may send, parsed
 * with zod, and the messages the server sends. `docs/protocol.md` is the
 * contract; the names are the seed's (`join-room`, `waiting-for-peer`,
 * `peer-joined`, `offer`, `answer`, `ice-candidate`, `leave-room`,
 * `peer-left`).
 *
 * @module
 */
import { z } from "zod";

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
const MAX_SDP = 32 * 1024;
export const MAX_CHAT_TEXT = 2000;

const candidateInit = z.strictObject({
  candidate: z.string().max(2048),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(255).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

export const clientMessage = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("join-room"),
    roomId: z.string().regex(/^[0-9a-f]{32}$/, "roomId is 32 hex digits"),
    ticket: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "ticket is malformed"),
  }),
  z.strictObject({
    type: z.literal("offer"),
    sdp: z.string().min(1).max(MAX_SDP),
  }),
  z.strictObject({
    type: z.literal("answer"),
    sdp: z.string().min(1).max(MAX_SDP),
  }),
  z.strictObject({
    type: z.literal("ice-candidate"),
    candidate: candidateInit.nullable(),
  }),
  z.strictObject({
    type: z.literal("chat"),
    text: z.string().trim().min(1, "chat text is empty").max(MAX_CHAT_TEXT),
  }),
  z.strictObject({ type: z.literal("leave-room") }),
  z.strictObject({
    type: z.literal("media-state"),
    audio: z.boolean(),
    video: z.boolean(),
  }),
  z.strictObject({
    type: z.literal("quality"),
    rttMs: z.number().min(0).max(600_000).nullable(),
    lossPercent: z.number().min(0).max(100).nullable(),
    jitterMs: z.number().min(0).max(600_000).nullable(),
    bitrateKbps: z.number().min(0).max(10_000_000).nullable(),
    relayed: z.boolean().nullable(),
    rating: z.enum(["good", "fair", "poor", "unknown"]),
  }),
  z.strictObject({ type: z.literal("end-session") }),
  z.strictObject({ type: z.literal("ping") }),
  z.strictObject({ type: z.literal("pong") }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

/** Every type a client may send, from the schema itself. */
export const CLIENT_TYPES: ReadonlySet<string> = new Set(
  clientMessage.options.map((option) => option.shape.type.value),
);

/** The messages relayed from one peer to the other, fields unchanged. */
export type RelayedMessage = Extract<
  ClientMessage,
  { type: "offer" | "answer" | "ice-candidate" | "media-state" }
>;

export type QualityReport = Omit<
  Extract<ClientMessage, { type: "quality" }>,
  "type"
>;

export interface ChatLine {
  id: string;
  from: Role;
  text: string;
  /** Server time, ISO 8601. */
  at: string;
}

export type LeaveReason = "left" | "disconnected" | "timeout";

/** Every message the server sends. */
export type ServerMessage =
  | {
    type: "joined";
    roomId: string;
    role: Role;
    polite: boolean;
    iceServers: unknown[];
    chat: ChatLine[];
    /** Which server isolate holds this socket, for diagnostics. */
    server: string;
  }
  | { type: "waiting-for-peer" }
  | { type: "peer-joined"; peer: Role; polite: boolean; rejoined: boolean }
  | (RelayedMessage & { from: Role })
  | ({ type: "chat" } & ChatLine)
  | { type: "peer-left"; peer: Role; reason: LeaveReason }
  | { type: "session-ended"; by: Role; at: string }
  | { type: "ping" }
  | { type: "pong" }
  | { type: "error"; code: ErrorCode; message: string };

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
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** Close codes (4000-4999 are the application's own). */
export const CLOSE = {
  normal: 1000,
  unsupported: 1003,
  policy: 1008,
  tooLarge: 1009,
  rejected: 4001,
  replaced: 4002,
  timeout: 4003,
} as const;
