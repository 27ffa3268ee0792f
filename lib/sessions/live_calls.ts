/**
 * What the visit records need to know of the calls going on: who is still
 * connected (a session with someone in its call is not over) and how to tell
 * the call that its visit ended. The signaling hub provides both; naming
 * them here keeps the records from depending on signaling.
 *
 * @module
 */
import type { Clinic } from "@/lib/config.ts";
import type { Role } from "@/lib/protocol/messages.ts";
import type { Liveness } from "./close.ts";

/** Who was live in some rooms, read together. */
export interface RoomsLive {
  member(roomId: string, role: Role): unknown | null;
}

export interface LiveCalls {
  presence: Liveness & {
    /**
     * Who is live in each of these rooms, read at once: a page listing many
     * visits asks the store once, not once or twice a visit.
     */
    inRooms(roomIds: string[]): Promise<RoomsLive>;
  };
  /** Tells everyone still in the room, on whichever server, that it ended. */
  announceEnd(roomId: string, by: Role, at: number): void;
}

export interface ClinicWithCalls extends Clinic {
  signaling: LiveCalls;
}
