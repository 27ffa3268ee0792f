/**
 * What a participant gets to join a visit's call: a ticket for the visit's
 * room and role, the socket's address and the ICE servers. Only while the
 * visit is scheduled and its join window is open.
 *
 * @module
 */
import { joinState } from "../clinic/visit_window.ts";
import { HttpError } from "../http/errors.ts";
import type { ClinicWithCalls } from "../sessions/live_calls.ts";
import type { Appointment } from "../store/appointments.ts";
import { iceServersFor } from "./ice_servers.ts";
import type { JoinOffer, Role } from "../protocol/messages.ts";
import { currentSession } from "../sessions/close.ts";
import { roomEnded } from "./room_end.ts";
import { issueTicket } from "./tickets.ts";

export function signalingUrl(publicUrl: string): string {
  return `${publicUrl.replace(/^http/, "ws")}/api/signal`;
}

export async function joinOffer(
  clinic: ClinicWithCalls,
  appointment: Appointment,
  role: Role,
): Promise<JoinOffer> {
  if (appointment.status !== "scheduled") {
    throw new HttpError(409, "room_closed", "This visit was cancelled.");
  }
  const session = await currentSession(
    clinic.kv,
    clinic.config,
    clinic.signaling.presence,
    appointment.id,
  );
  if (
    session?.status === "closed" || await roomEnded(clinic.kv, appointment.id)
  ) {
    throw new HttpError(409, "room_closed", "This visit has ended.");
  }
  const state = joinState(appointment, Date.now());
  if (state === "too-early") {
    throw new HttpError(
      409,
      "not_open",
      "The call opens 10 minutes before the visit.",
    );
  }
  if (state === "over") {
    throw new HttpError(409, "room_closed", "This visit's time is over.");
  }
  const { ticket, expiresAt } = await issueTicket(
    clinic.kv,
    appointment.id,
    role,
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
