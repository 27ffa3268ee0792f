/**
 * What a client may send, parsed with zod. Each schema is checked against
 * the shared type in `messages.ts` (`satisfies`), so the parser and the
 * browser cannot drift apart.
 *
 * @module
 */
import { z } from "zod";
import {
  type CandidateInit,
  type ClientMessage,
  MAX_CHAT_TEXT,
  MAX_SDP,
  type QualityReport,
} from "./messages.ts";

const candidateInit = z.strictObject({
  candidate: z.string().max(2048),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(255).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
}) satisfies z.ZodType<CandidateInit>;

const quality = {
  rttMs: z.number().min(0).max(600_000).nullable(),
  lossPercent: z.number().min(0).max(100).nullable(),
  jitterMs: z.number().min(0).max(600_000).nullable(),
  bitrateKbps: z.number().min(0).max(10_000_000).nullable(),
  relayed: z.boolean().nullable(),
  rating: z.enum(["good", "fair", "poor", "unknown"]),
} satisfies { [K in keyof QualityReport]: z.ZodType<QualityReport[K]> };

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
  z.strictObject({ type: z.literal("quality"), ...quality }),
  z.strictObject({ type: z.literal("end-session") }),
  z.strictObject({ type: z.literal("ping") }),
  z.strictObject({ type: z.literal("pong") }),
]) satisfies z.ZodType<ClientMessage>;

/** Every type a client may send, from the schema itself. */
export const CLIENT_TYPES: ReadonlySet<string> = new Set(
  clientMessage.options.map((option) => option.shape.type.value),
);

/**
 * And the other way: every message type the browser may send is one the
 * schema parses (the compiler rejects a type missing here).
 */
type Parsed = z.infer<typeof clientMessage>["type"];
const _everyTypeParsed: ClientMessage["type"] extends Parsed ? true : never =
  true;
