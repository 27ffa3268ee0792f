/**
 * The call's status in words, for the line at the top of the call page
 * (announced to screen readers as it changes).
 *
 * @module
 */
import type { Role } from "@/lib/protocol/messages.ts";
import type { CallStatus } from "@/lib/call/call_events.ts";

/** `peer` is how the other participant is spoken of: "the doctor", a name. */
export function statusText(
  status: CallStatus,
  role: Role,
  peer: string,
  detail?: string,
): string {
  switch (status) {
    case "connecting":
      return "Connecting…";
    case "waiting":
      return role === "patient"
        ? "You are in the waiting room. The doctor will join you shortly."
        : `Waiting for ${peer} to join.`;
    case "joining-peer":
      return `Connecting to ${peer}…`;
    case "connected":
      return `Connected with ${peer}.`;
    case "reconnecting":
      return "Reconnecting…";
    case "poor":
      return "Poor connection: the picture may freeze.";
    case "peer-left":
      return `${peer[0].toUpperCase()}${peer.slice(1)} left the call.`;
    case "ended":
      return detail ?? "The visit has ended.";
    case "failed":
      return detail ?? "The call could not connect.";
  }
}
