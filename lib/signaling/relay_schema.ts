/**
 * What a relay over a shared broker or store accepts from it. Redis and the
 * KV log are written only by the clinic's servers, but a server takes
 * nothing from outside its own process on trust: a message that is not
 * exactly what a server would have sent is dropped (and logged) instead of
 * reaching a socket. A relayed signal's text goes out to the browser as it
 * is, so it is checked as strictly as when the other participant first sent
 * it.
 *
 * @module
 */
import { z } from "zod";
import {
  MAX_CHAT_TEXT,
  MAX_WAITING_NOTE,
  ROLES,
} from "@/lib/protocol/messages.ts";
import { singleLine } from "@/lib/http/text.ts";
import { clientMessage } from "@/lib/protocol/schema.ts";
import { MAX_MESSAGE_BYTES } from "./decode.ts";
import type { RelayMessage } from "./relay.ts";

const role = z.enum(ROLES);
const id = z.string().regex(/^[0-9a-f]{1,64}$/);
const numbered = {
  connectionId: id,
  for: id.nullable(),
  seq: z.number().int().positive(),
};
const RELAYED_TYPES = new Set([
  "offer",
  "answer",
  "ice-candidate",
  "media-state",
]);

/** A signal's text: a relayed client message with its sender's role added. */
const signalText = z.string().max(MAX_MESSAGE_BYTES + 64).refine((text) => {
  try {
    const { from, ...message } = JSON.parse(text);
    return ROLES.includes(from) && RELAYED_TYPES.has(message.type) &&
      clientMessage.safeParse(message).success;
  } catch {
    return false;
  }
});

const relayMessage = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("signal"),
    to: role,
    text: signalText,
    ...numbered,
  }),
  z.strictObject({
    kind: z.literal("chat"),
    to: role,
    line: z.strictObject({
      id,
      from: role,
      text: z.string().max(MAX_CHAT_TEXT),
      at: z.iso.datetime(),
    }),
    ...numbered,
  }),
  z.strictObject({
    kind: z.literal("peer-joined"),
    to: role,
    from: role,
    rejoined: z.boolean(),
    ...numbered,
  }),
  z.strictObject({
    kind: z.literal("peer-left"),
    to: role,
    from: role,
    reason: z.enum(["left", "disconnected", "timeout"]),
    ...numbered,
  }),
  z.strictObject({ kind: z.literal("resync"), to: role, ...numbered }),
  z.strictObject({ kind: z.literal("replaced"), to: id }),
  z.strictObject({
    kind: z.literal("waiting-note"),
    to: z.literal("patient"),
    text: singleLine({ min: 1, max: MAX_WAITING_NOTE }),
    at: z.number().int().min(0).max(8.64e15),
  }),
  z.strictObject({
    kind: z.literal("ended"),
    to: z.literal("*"),
    by: role,
    at: z.number().int().min(0).max(8.64e15),
  }),
  z.strictObject({
    kind: z.literal("waiting"),
    patient: z.strictObject({
      roomId: id,
      patientName: z.string().max(200),
      since: z.number().int().min(0).max(8.64e15),
      withDoctor: z.boolean(),
      checkIn: z.strictObject({
        name: z.string().max(200),
        at: z.number().int().min(0).max(8.64e15),
      }).nullable().default(null),
    }),
  }),
  z.strictObject({ kind: z.literal("gone"), roomId: id }),
]) satisfies z.ZodType<Exclude<RelayMessage, { kind: "gap" }>>;

/** The message, if it is one a clinic server could have sent; else `null`. */
export function parseRelayed(value: unknown): RelayMessage | null {
  const parsed = relayMessage.safeParse(value);
  return parsed.success ? parsed.data : null;
}
