/**
 * The connection's quality as a plain hint a patient can act on ("Weak
 * connection: try turning video off"), instead of round-trip times and
 * candidate types, which mean nothing to them.
 *
 * @module
 */
import type { QualitySummary } from "@/lib/call/quality.ts";

export type QualityHint =
  | "qualityGood"
  | "qualityFair"
  | "qualityPoorVideo"
  | "qualityPoorAudio";

/**
 * The hint for a rating, or `null` while nothing is measured yet. On a weak
 * connection, turning video off is the one thing that helps; a person
 * without video is told what to expect instead.
 */
export function qualityHint(
  rating: QualitySummary["rating"],
  sendingVideo: boolean,
): QualityHint | null {
  switch (rating) {
    case "good":
      return "qualityGood";
    case "fair":
      return "qualityFair";
    case "poor":
      return sendingVideo ? "qualityPoorVideo" : "qualityPoorAudio";
    default:
      return null;
  }
}
