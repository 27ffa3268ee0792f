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

type Cause = "blocked" | "notFound" | "busy" | "unavailable";

function cause(error: unknown): Cause {
  switch ((error as { name?: string } | null)?.name ?? "") {
    case "NotAllowedError":
    case "SecurityError":
      return "blocked";
    case "NotFoundError":
    case "OverconstrainedError":
      return "notFound";
    case "NotReadableError":
    case "AbortError":
      return "busy";
    default:
      return "unavailable";
  }
}

/** Why neither the camera nor the microphone could be used. */
export function explainMediaError(error: unknown, secure = true): MediaProblem {
  if (!secure) return { title: "insecureTitle", help: "insecureHelp" };
  const why = cause(error);
  return { title: `${why}Title`, help: `${why}Help` };
}

const CAMERA_TITLES = {
  blocked: "cameraBlocked",
  notFound: "cameraNotFound",
  busy: "cameraBusy",
  unavailable: "cameraUnavailable",
} as const;

/**
 * Why the camera alone failed while the microphone works: its own title,
 * and the same help as for both, to set the camera right if they wish.
 */
export function explainCameraError(error: unknown): MediaProblem {
  const why = cause(error);
  return { title: CAMERA_TITLES[why], help: `${why}Help` };
}
