/**
 * The end of a visit's call, as the doctor declares it with `end-session`.
 * Recorded once in Deno KV (a second `end-session` finds it and changes
 * nothing); an ended room admits nobody again. Connection-quality reports
 * are kept beside it for the session report.
 *
 * @module
 */
import type { QualityReport, Role } from "./protocol.ts";

export interface RoomEnd {
  by: Role;
  at: number;
}

const endKey = (roomId: string) => ["room_ended", roomId];
const qualityKey = (
  roomId: string,
  role: Role,
) => ["call_quality", roomId, role];

/** Records the end; answers the end that holds (an earlier one wins). */
export async function endRoom(
  kv: Deno.Kv,
  roomId: string,
  by: Role,
  now = Date.now(),
) {
  const end: RoomEnd = { by, at: now };
  const result = await kv.atomic()
    .check({ key: endKey(roomId), versionstamp: null })
    .set(endKey(roomId), end)
    .commit();
  if (result.ok) return { end, first: true };
  const existing = await kv.get<RoomEnd>(endKey(roomId));
  return { end: existing.value ?? end, first: false };
}

export async function roomEnded(
  kv: Deno.Kv,
  roomId: string,
): Promise<RoomEnd | null> {
  return (await kv.get<RoomEnd>(endKey(roomId))).value;
}

export async function saveQuality(
  kv: Deno.Kv,
  roomId: string,
  role: Role,
  report: QualityReport,
  now = Date.now(),
) {
  await kv.set(qualityKey(roomId, role), { ...report, at: now });
}

export async function readQuality(kv: Deno.Kv, roomId: string, role: Role) {
  return (await kv.get<QualityReport & { at: number }>(
    qualityKey(roomId, role),
  )).value;
}
