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

export interface LiveCalls {
  presence: Liveness;
  /** Tells everyone still in the room, on whichever server, that it ended. */
  announceEnd(roomId: string, by: Role, at: number): void;
}

export interface ClinicWithCalls extends Clinic {
  signaling: LiveCalls;
}
