/**
 * The call's status in words, for the line at the top of the call page
 * (announced to screen readers as it changes), in the page's language.
 *
 * @module
 */
import type { Role } from "@/lib/protocol/messages.ts";
import type { CallNote, CallStatus } from "@/lib/call/call_events.ts";
import type { CallText } from "@/lib/i18n/text/call.ts";
import { fill } from "@/lib/i18n/translate.ts";

/** `peer` is how the other participant is spoken of: a name. */
export function statusText(
  text: CallText,
  status: CallStatus,
  role: Role,
  peer: string,
  note?: CallNote,
): string {
  switch (status) {
    case "connecting":
      return text.connecting;
    case "waiting":
      return role === "patient"
        ? text.waitingPatient
        : fill(text.waitingDoctor, { peer });
    case "joining-peer":
      return fill(text.joiningPeer, { peer });
    case "connected":
      return fill(text.connected, { peer });
    case "reconnecting":
      return text.reconnecting;
    case "poor":
      return text.poor;
    case "peer-left":
      return capitalised(fill(text.peerLeft, { peer }));
    case "ended":
      return note ? text[note] : text.ended;
    case "failed":
      return note ? text[note] : text.failed;
  }
}

function capitalised(line: string): string {
  return line.charAt(0).toUpperCase() + line.slice(1);
}
