/**
 * Join tickets: what a participant shows to enter a room. A ticket is
 * random (256 bits), kept in Deno KV only as a hash, good for one room and
 * one role, short-lived, and used up by the join it allows, so a copied
 * ticket cannot be replayed. A reconnecting client asks for a new one.
 *
 * @module
 */
import { z } from "zod";
import { randomToken, TOKEN_PATTERN } from "@/lib/auth/tokens.ts";
import { hashToken } from "@/lib/store/ids.ts";
import { type Role, ROLES } from "@/lib/protocol/messages.ts";
import { keys } from "@/lib/store/keys.ts";

export const TICKET_TTL_MS = 2 * 60_000;

const ticketSchema = z.object({
  roomId: z.string(),
  role: z.enum(ROLES),
  expiresAt: z.number(),
  /**
   * The doctor's sign-in (its id's hash) that asked for the ticket: the
   * call keeps that sign-in alive while it lasts.
   */
  signIn: z.string().optional(),
});
export type Ticket = z.infer<typeof ticketSchema>;

export async function issueTicket(
  kv: Deno.Kv,
  roomId: string,
  role: Role,
  now = Date.now(),
  signIn?: string,
): Promise<{ ticket: string; expiresAt: number }> {
  const ticket = randomToken();
  const value: Ticket = {
    roomId,
    role,
    expiresAt: now + TICKET_TTL_MS,
    ...(signIn ? { signIn } : {}),
  };
  await kv.set(keys.joinTicket(await hashToken(ticket)), value, {
    expireIn: TICKET_TTL_MS,
  });
  return { ticket, expiresAt: value.expiresAt };
}

/** Uses up the ticket; `null` if it is unknown, used or expired. */
export async function redeemTicket(
  kv: Deno.Kv,
  ticket: string,
  now = Date.now(),
): Promise<Ticket | null> {
  if (!TOKEN_PATTERN.test(ticket)) return null;
  const key = keys.joinTicket(await hashToken(ticket));
  const entry = await kv.get(key);
  const parsed = ticketSchema.safeParse(entry.value);
  if (!parsed.success || parsed.data.expiresAt <= now) return null;
  const used = await kv.atomic().check(entry).delete(key).commit();
  return used.ok ? parsed.data : null;
}
