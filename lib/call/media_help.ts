/**
 * Plain-language help for what can go wrong with the camera and microphone,
 * from the error `getUserMedia` throws: keys of the call's text, which the
 * page shows in its own language.
 *
 * @module
 */
import type { CallText } from "@/lib/i18n/text/call.ts";

export interface MediaProblem {
  title: keyof CallText;
  help: keyof CallText;
}

export function explainMediaError(error: unknown, secure = true): MediaProblem {
  if (!secure) return { title: "insecureTitle", help: "insecureHelp" };
  const name = (error as { name?: string } | null)?.name ?? "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return { title: "blockedTitle", help: "blockedHelp" };
    case "NotFoundError":
    case "OverconstrainedError":
      return { title: "notFoundTitle", help: "notFoundHelp" };
    case "NotReadableError":
    case "AbortError":
      return { title: "busyTitle", help: "busyHelp" };
    default:
      return { title: "unavailableTitle", help: "unavailableHelp" };
  }
}
