/**
 * What a call tells the page as it goes: its status, the other side's video
 * and media state, chat, quality and its end. The call client and its parts
 * report through these; the Call island turns them into signals.
 *
 * @module
 */
import type { ChatLine, WaitingNote } from "@/lib/protocol/messages.ts";
import type { QualitySummary } from "./quality.ts";

export type CallStatus =
  | "connecting"
  | "waiting"
  | "joining-peer"
  | "connected"
  | "reconnecting"
  | "poor"
  | "peer-left"
  | "ended"
  | "failed";

/**
 * Why a call ended or could not start, as a key of the call's text
 * (`lib/i18n/text/call.ts`), so that the page says it in its own language.
 */
export type CallNote =
  | "doctorEnded"
  | "youEnded"
  | "youLeft"
  | "replaced"
  | "roomClosed"
  | "notOpen"
  | "linkClosed"
  | "checkInNeeded";

/** Whether a participant's microphone and camera are on. */
export interface PeerMedia {
  audio: boolean;
  video: boolean;
}

export interface CallEvents {
  status(status: CallStatus, note?: CallNote): void;
  remoteStream(stream: MediaStream | null): void;
  chat(line: ChatLine): void;
  /** The whole conversation so far, on every (re)join. */
  chatHistory(lines: ChatLine[]): void;
  /** The server refused the last line sent (the visit's chat is full). */
  chatRefused(): void;
  peerMedia(media: PeerMedia): void;
  quality(summary: QualitySummary): void;
  /** The call is over for this side: who ended it, or that this side left. */
  ended(how: "doctorEnded" | "youEnded" | "youLeft"): void;
  /** The doctor's note to the waiting patient. */
  waitingNote(note: WaitingNote): void;
}
