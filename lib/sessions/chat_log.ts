/**
 * A visit's chat, kept in Deno KV so that a participant who rejoins gets
 * the conversation so far, and (if the clinic keeps chat) so the session
 * report can include it. With `CHAT_KEPT=none` lines expire when the
 * visit window ends. A visit holds at most `CHAT_MAX_LINES` lines: the line
 * over it is refused (the sender is told), so the report never drops any.
 *
 * @module
 */
import { newId } from "@/lib/store/ids.ts";
import type { ChatLine, Role } from "@/lib/protocol/messages.ts";
import { keys } from "@/lib/store/keys.ts";

/** The most a clinic may set `CHAT_MAX_LINES` to; a read never needs more. */
export const CHAT_LINES_CEILING = 5000;

export interface ChatRules {
  /** When the line is deleted (chat not kept), or null to keep it. */
  expireAt: number | null;
  /** Lines a visit may hold. */
  maxLines: number;
}

/** Stores the line; null when the visit already holds `maxLines`. */
export async function appendChat(
  kv: Deno.Kv,
  roomId: string,
  from: Role,
  text: string,
  { expireAt, maxLines }: ChatRules,
  now = Date.now(),
): Promise<ChatLine | null> {
  const line: ChatLine = {
    id: newId(),
    from,
    text,
    at: new Date(now).toISOString(),
  };
  const expiry = expireAt !== null
    ? { expireIn: Math.max(expireAt - now, 60_000) }
    : {};
  // Lines are numbered in the order the server took them, whatever the
  // clock says, by a counter kept beside them.
  while (true) {
    const counter = await kv.get<number>(keys.roomChatCount(roomId));
    const next = (counter.value ?? 0) + 1;
    if (next > maxLines) return null;
    const result = await kv.atomic().check(counter)
      .set(keys.roomChatCount(roomId), next, expiry)
      .set(keys.roomChatLine(roomId, next), line, expiry)
      .commit();
    if (result.ok) return line;
  }
}

export async function readChat(
  kv: Deno.Kv,
  roomId: string,
): Promise<ChatLine[]> {
  const lines: ChatLine[] = [];
  for await (
    const entry of kv.list<ChatLine>({ prefix: keys.roomChat(roomId) }, {
      limit: CHAT_LINES_CEILING,
    })
  ) {
    lines.push(entry.value);
  }
  return lines;
}
