/**
 * A visit's chat, kept in Deno KV so that a participant who rejoins gets
 * the conversation so far, and (if the clinic keeps chat) so the session
 * report can include it. With `CHAT_KEPT=none` lines expire when the
 * visit window ends.
 *
 * @module
 */
import { newId } from "../auth/tokens.ts";
import type { ChatLine, Role } from "./protocol.ts";

const MAX_LINES = 500;
const chatKey = (roomId: string) => ["room_chat", roomId];
const counterKey = (roomId: string) => ["room_chat_count", roomId];

export async function appendChat(
  kv: Deno.Kv,
  roomId: string,
  from: Role,
  text: string,
  expireAt: number | null,
  now = Date.now(),
): Promise<ChatLine> {
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
    const counter = await kv.get<number>(counterKey(roomId));
    const next = (counter.value ?? 0) + 1;
    const result = await kv.atomic().check(counter)
      .set(counterKey(roomId), next, expiry)
      .set([...chatKey(roomId), next], line, expiry)
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
    const entry of kv.list<ChatLine>({ prefix: chatKey(roomId) }, {
      limit: MAX_LINES,
    })
  ) {
    lines.push(entry.value);
  }
  return lines;
}
