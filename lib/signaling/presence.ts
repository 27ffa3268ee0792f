/**
 * Who is in a room, as every isolate sees it: one Deno KV entry per role,
 * claimed atomically on join, refreshed by a heartbeat, released on leave.
 * An entry whose heartbeat is older than `staleMs` counts as gone, so the
 * members of a dead isolate time out even before KV expires their entry.
 *
 * @module
 */
import { type Role, ROLES } from "@/lib/protocol/messages.ts";
import { keys } from "@/lib/store/keys.ts";
import { getAll } from "@/lib/store/kv.ts";
import type { Progress } from "./message_order.ts";

export interface Member {
  connectionId: string;
  isolate: string;
  joinedAt: number;
  heartbeatAt: number;
  /** How far it had got with its peer at its last heartbeat. */
  progress?: Progress;
}

export class Presence {
  constructor(readonly kv: Deno.Kv, readonly staleMs: number) {}

  #fresh(member: Member | null, now: number): Member | null {
    return member && now - member.heartbeatAt <= this.staleMs ? member : null;
  }

  /** Takes the role's place in the room; answers who held it, if anyone. */
  async claim(
    roomId: string,
    role: Role,
    connectionId: string,
    isolate: string,
    now = Date.now(),
  ): Promise<Member | null> {
    const key = keys.roomMember(roomId, role);
    while (true) {
      const current = await this.kv.get<Member>(key);
      const member: Member = {
        connectionId,
        isolate,
        joinedAt: now,
        heartbeatAt: now,
      };
      const result = await this.kv.atomic().check(current)
        .set(key, member, { expireIn: this.staleMs * 2 }).commit();
      if (result.ok) return this.#fresh(current.value, now);
    }
  }

  /** Refreshes the heartbeat; `false` if the place is no longer this connection's. */
  async refresh(
    roomId: string,
    role: Role,
    connectionId: string,
    progress?: Progress,
    now = Date.now(),
  ) {
    const key = keys.roomMember(roomId, role);
    const current = await this.kv.get<Member>(key);
    if (current.value?.connectionId !== connectionId) return false;
    const result = await this.kv.atomic().check(current)
      .set(key, { ...current.value, heartbeatAt: now, progress }, {
        expireIn: this.staleMs * 2,
      })
      .commit();
    return result.ok;
  }

  /** Gives up the place if it is still this connection's. */
  async release(
    roomId: string,
    role: Role,
    connectionId: string,
  ): Promise<boolean> {
    const key = keys.roomMember(roomId, role);
    const current = await this.kv.get<Member>(key);
    if (current.value?.connectionId !== connectionId) return false;
    const result = await this.kv.atomic().check(current).delete(key).commit();
    return result.ok;
  }

  /** The role's current member, if present and alive. */
  async member(
    roomId: string,
    role: Role,
    now = Date.now(),
  ): Promise<Member | null> {
    return this.#fresh(
      (await this.kv.get<Member>(keys.roomMember(roomId, role))).value,
      now,
    );
  }

  /**
   * Both roles' members of these rooms, present and alive, read together
   * rather than one after another.
   */
  async inRooms(
    roomIds: string[],
    now = Date.now(),
  ): Promise<{ member(roomId: string, role: Role): Member | null }> {
    const entries = await getAll<Member>(
      this.kv,
      roomIds.flatMap((roomId) =>
        ROLES.map((role) => keys.roomMember(roomId, role))
      ),
    );
    const found = new Map<string, Member>();
    entries.forEach((entry, i) => {
      const member = this.#fresh(entry.value, now);
      const roomId = roomIds[Math.floor(i / ROLES.length)];
      if (member) found.set(`${roomId} ${ROLES[i % ROLES.length]}`, member);
    });
    return { member: (roomId, role) => found.get(`${roomId} ${role}`) ?? null };
  }
}
