/**
 * When a visit's call room is open to a join: the visit is scheduled, its
 * call has not ended and its join window is open. A ticket is issued and a
 * socket joins by this same rule, so the two can never disagree about
 * whether a visit may be joined.
 *
 * @module
 */
import type { ClinicConfig } from "@/lib/config.ts";
import { type JoinState, joinState } from "@/lib/clinic/visit_window.ts";
import { currentSession, type Liveness } from "@/lib/sessions/close.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import { roomEnded } from "./room_end.ts";

/** Why the room admits nobody now, in the words the ticket API answers. */
export interface RoomRefusal {
  code: "room_closed" | "not_open";
  message: string;
}

export const REFUSALS = {
  cancelled: { code: "room_closed", message: "This visit was cancelled." },
  ended: { code: "room_closed", message: "This visit has ended." },
  tooEarly: {
    code: "not_open",
    message: "The call opens 10 minutes before the visit.",
  },
  over: { code: "room_closed", message: "This visit's time is over." },
} as const satisfies Record<string, RoomRefusal>;

/** The facts the rule reads about a visit. */
export interface RoomFacts {
  scheduled: boolean;
  /** The doctor ended the call, or everyone left and did not come back. */
  ended: boolean;
  join: JoinState;
}

/**
 * The rule itself. A cancelled visit says so first; a call that has ended
 * says so before the clock does, since that is what the participant knows.
 */
export function roomRule(facts: RoomFacts): true | RoomRefusal {
  if (!facts.scheduled) return REFUSALS.cancelled;
  if (facts.ended) return REFUSALS.ended;
  if (facts.join === "too-early") return REFUSALS.tooEarly;
  if (facts.join === "over") return REFUSALS.over;
  return true;
}

/**
 * Reads the facts and applies the rule. The session is settled first, as
 * every read of it is, so a call everyone left long enough ago counts as
 * ended; a cancelled visit's call is not read at all.
 */
export async function roomAdmits(
  kv: Deno.Kv,
  config: ClinicConfig,
  live: Liveness,
  appointment: Appointment,
  now = Date.now(),
): Promise<true | RoomRefusal> {
  const scheduled = appointment.status === "scheduled";
  const ended = scheduled && (
    await roomEnded(kv, appointment.id) !== null ||
    (await currentSession(kv, config, live, appointment.id, now))?.status ===
      "closed"
  );
  return roomRule({ scheduled, ended, join: joinState(appointment, now) });
}
