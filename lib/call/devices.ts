/**
 * Which camera and microphone to ask the browser for. One set of
 * constraints serves the first capture, a device picked in the check and a
 * camera switched during the call, so that they cannot drift apart.
 *
 * @module
 */

/** Which way a phone's camera looks: at the person, or away from them. */
export type Facing = "user" | "environment";

export interface DeviceChoice {
  /** A microphone by id; `false` when only the camera changes. */
  audioId?: string | false;
  /** A camera by id; without one, the camera facing `facing`. */
  videoId?: string;
  facing?: Facing;
}

/** `getUserMedia` constraints for a choice: the chosen devices, or the front camera in HD. */
export function mediaConstraints(
  { audioId, videoId, facing = "user" }: DeviceChoice,
): MediaStreamConstraints {
  return {
    audio: audioId === false
      ? false
      : audioId
      ? { deviceId: { exact: audioId } }
      : true,
    video: videoId ? { deviceId: { exact: videoId } } : {
      facingMode: facing,
      width: { ideal: 1280 },
      height: { ideal: 720 },
    },
  };
}

/** Asks the browser for the chosen camera and microphone. */
export async function captureMedia(choice: DeviceChoice): Promise<MediaStream> {
  return await navigator.mediaDevices.getUserMedia(mediaConstraints(choice));
}

/** What a capture got: the stream, and why the camera is missing from it. */
export interface Capture {
  stream: MediaStream;
  /** What `getUserMedia` threw for the camera; `null` when it works. */
  cameraError: unknown;
}

type GetUserMedia = (c: MediaStreamConstraints) => Promise<MediaStream>;

/**
 * The chosen camera and microphone, or the microphone alone when the camera
 * is refused, missing or busy: a visit by voice beats no visit. Only when
 * the microphone fails too does it throw, with the first error (the one
 * that says what went wrong with both).
 */
export async function captureWithFallback(
  choice: DeviceChoice,
  getUserMedia: GetUserMedia = (c) => navigator.mediaDevices.getUserMedia(c),
): Promise<Capture> {
  const constraints = mediaConstraints(choice);
  try {
    return { stream: await getUserMedia(constraints), cameraError: null };
  } catch (error) {
    if (constraints.audio === false) throw error;
    try {
      const stream = await getUserMedia({
        audio: constraints.audio,
        video: false,
      });
      return { stream, cameraError: error };
    } catch {
      throw error;
    }
  }
}

/** The camera after the current one, round the list, for "Switch camera". */
export function nextCamera(
  cameras: MediaDeviceInfo[],
  currentId: string | undefined,
): MediaDeviceInfo | undefined {
  return cameras[
    (cameras.findIndex((c) => c.deviceId === currentId) + 1) % cameras.length
  ];
}

/** Whether this browser can share a screen (most phones cannot). */
export function canShareScreen(): boolean {
  return typeof navigator !== "undefined" &&
    typeof navigator.mediaDevices?.getDisplayMedia === "function";
}
