/**
 * One frame from a call socket, read: a client message, or the error the
 * client is told. Pure, so every way a frame can be wrong is tested without
 * a socket; what the socket then does (answer, or close) is the
 * connection's business.
 *
 * @module
 */
import {
  type ClientMessage,
  CLOSE,
  type ErrorCode,
  MAX_SDP,
} from "@/lib/protocol/messages.ts";
import { CLIENT_TYPES, clientMessage } from "@/lib/protocol/schema.ts";

/** Bytes in one message: an SDP with many candidates fits, a flood does not. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export type Decoded =
  /** `text` is the frame as sent, which holds exactly `message`. */
  | { kind: "message"; message: ClientMessage; text: string }
  /** Not a frame this protocol reads at all: the socket is closed. */
  | { kind: "refused"; code: ErrorCode; close: number }
  /** A message the client got wrong: it is told, and may go on. */
  | { kind: "invalid"; code: ErrorCode; detail?: string };

export function decodeFrame(data: unknown): Decoded {
  if (typeof data !== "string") {
    const size = data instanceof ArrayBuffer
      ? data.byteLength
      : data instanceof Blob
      ? data.size
      : 0;
    return size > MAX_MESSAGE_BYTES
      ? { kind: "refused", code: "too_large", close: CLOSE.tooLarge }
      : { kind: "refused", code: "binary_frame", close: CLOSE.unsupported };
  }
  if (data.length > MAX_MESSAGE_BYTES) {
    return { kind: "refused", code: "too_large", close: CLOSE.tooLarge };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return { kind: "invalid", code: "invalid_json" };
  }
  const type = typeof raw === "object" && raw !== null && "type" in raw
    ? raw.type
    : undefined;
  if (typeof type !== "string" || !CLIENT_TYPES.has(type)) {
    return { kind: "invalid", code: "unknown_type" };
  }
  if ((type === "offer" || type === "answer") && isPlainSdp(raw as object)) {
    return { kind: "message", message: raw as ClientMessage, text: data };
  }
  const parsed = clientMessage.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: "invalid",
      code: "invalid_message",
      detail: `${issue.path.join(".") || "message"}: ${issue.message}`,
    };
  }
  return { kind: "message", message: parsed.data, text: data };
}

/**
 * An offer or answer as the schema takes it (a `type` and an `sdp` of 1 to
 * `MAX_SDP` characters, nothing else), checked directly rather than by
 * zod's general walk: they are most of the bytes a call relays. Anything
 * else, or anything wrong, goes to the schema, which has the last word and
 * the error to tell; decode_test holds the two to the same answers.
 */
function isPlainSdp(raw: object): boolean {
  const sdp = (raw as { sdp?: unknown }).sdp;
  return typeof sdp === "string" && sdp.length >= 1 &&
    sdp.length <= MAX_SDP && Object.keys(raw).length === 2;
}
