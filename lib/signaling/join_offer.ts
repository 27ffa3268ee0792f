/**
 * What a participant gets to join a visit's call: a ticket for the visit's
 * room and role, the socket's address and the ICE servers. Only while the
 * room admits a join (`room_rule.ts`).
 *
 * @module
 */
import { HttpError } from "@/lib/http/errors.ts";
import type { ClinicWithCalls } from "@/lib/sessions/live_calls.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import { iceServersFor } from "./ice_servers.ts";
import type { JoinOffer, Role } from "@/lib/protocol/messages.ts";
import { roomAdmits } from "./room_rule.ts";
import { issueTicket } from "./tickets.ts";

export function signalingUrl(publicUrl: string): string {
  return `${publicUrl.replace(/^http/, "ws")}/api/signal`;
}

/**
 * A ticket and what goes with it, if the room admits a join now and then
 * `ready` (what this participant must have done first: the patient's
 * check-in) does not throw. The room's refusal comes first: a patient of
 * an ended visit is told that, not to check in. `signIn` is the doctor's
 * sign-in (its id's hash) asking for the ticket: their call then keeps it
 * alive.
 */
export async function joinOffer(
  clinic: ClinicWithCalls,
  appointment: Appointment,
  role: Role,
  ready: () => Promise<void> = () => Promise.resolve(),
  signIn?: string,
): Promise<JoinOffer> {
  const admits = await roomAdmits(
    clinic.kv,
    clinic.config,
    clinic.signaling.presence,
    appointment,
  );
  if (admits !== true) {
    throw new HttpError(409, admits.code, admits.message);
  }
  await ready();
  const { ticket, expiresAt } = await issueTicket(
    clinic.kv,
    appointment.id,
    role,
    undefined,
    signIn,
  );
  return {
    ticket,
    roomId: appointment.id,
    role,
    signalingUrl: signalingUrl(clinic.config.publicUrl),
    iceServers: await iceServersFor(clinic.config, `${appointment.id}-${role}`),
    expiresAt: new Date(expiresAt).toISOString(),
  };
}
