/**
 * What a call tells the page as it goes: its status, the other side's video
 * and media state, chat, quality and its end. The call client and its parts
 * report through these; the Call island turns them into signals.
 *
 * @module
 */
import type { ChatLine } from "@/lib/protocol/messages.ts";
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

/** Whether a participant's microphone and camera are on. */
export interface PeerMedia {
  audio: boolean;
  video: boolean;
}

export interface CallEvents {
  status(status: CallStatus, detail?: string): void;
  remoteStream(stream: MediaStream | null): void;
  chat(line: ChatLine): void;
  /** The whole conversation so far, on every (re)join. */
  chatHistory(lines: ChatLine[]): void;
  /** The server refused the last line sent (the visit's chat is full). */
  chatRefused(message: string): void;
  peerMedia(media: PeerMedia): void;
  quality(summary: QualitySummary): void;
  ended(by: "doctor" | "me"): void;
}
