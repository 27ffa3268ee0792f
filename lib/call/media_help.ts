/**
 * Plain-language help for what can go wrong with the camera and microphone,
 * from the error `getUserMedia` throws.
 *
 * @module
 */

export interface MediaProblem {
  title: string;
  help: string;
}

export function explainMediaError(error: unknown, secure = true): MediaProblem {
  if (!secure) {
    return {
      title: "This page is not secure",
      help:
        "Browsers only allow the camera on secure pages. Open the link exactly as the clinic sent it (it starts with https://).",
    };
  }
  const name = (error as { name?: string } | null)?.name ?? "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return {
        title: "Camera or microphone blocked",
        help:
          "Your browser was told not to share the camera or microphone. Click the camera icon in the address bar (or your phone's site settings), choose Allow, then try again.",
      };
    case "NotFoundError":
    case "OverconstrainedError":
      return {
        title: "No camera or microphone found",
        help:
          "Connect a camera and microphone, or use a phone or laptop that has them, then try again.",
      };
    case "NotReadableError":
    case "AbortError":
      return {
        title: "Camera or microphone busy",
        help:
          "Another app (a video call, the camera app) is using them. Close it, then try again.",
      };
    default:
      return {
        title: "Camera or microphone not available",
        help:
          "Reload the page and try again. If it keeps failing, try another browser.",
      };
  }
}
