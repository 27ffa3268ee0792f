/**
 * Whether a visit's call room is closed for good: its session has ended
 * (the doctor ended it, or everyone left and the grace period passed). An
 * ended room admits nobody again.
 *
 * @module
 */
import { keys } from "@/lib/store/keys.ts";
import type { Role } from "@/lib/protocol/messages.ts";

export interface RoomEnd {
  /** The role that ended it, or `null` if it closed by itself. */
  by: Role | null;
  at: number;
}

export async function roomEnded(
  kv: Deno.Kv,
  roomId: string,
): Promise<RoomEnd | null> {
  return (await kv.get<RoomEnd>(keys.roomEnded(roomId))).value;
}
