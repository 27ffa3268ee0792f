import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import {
  captureMedia,
  type DeviceChoice,
  mediaConstraints,
} from "@/lib/call/devices.ts";
import { explainMediaError } from "@/lib/call/media_help.ts";
import { DeviceSelect } from "@/lib/call/ui/device_check.tsx";
import { MicLevel, Video } from "@/lib/call/ui/video.tsx";
import type { CallText } from "@/lib/i18n/text/call.ts";
import type { DeviceTestText } from "@/lib/i18n/text/device_page.ts";
import { fill } from "@/lib/i18n/translate.ts";

/** The call's words this page shares with the device check. */
export type DeviceWords = Pick<
  CallText,
  | "yourCamera"
  | "micLevel"
  | "camera"
  | "microphone"
  | "cameraNumber"
  | "microphoneNumber"
>;

export interface DeviceTestProps {
  text: DeviceTestText;
  words: DeviceWords;
}

/** Why a device cannot be used, as a key of this page's text. */
type Failure = "blocked" | "notFound" | "busy" | "unavailable" | "insecure";
type Outcome = "works" | Failure;

const FAILURES = {
  blockedTitle: "blocked",
  notFoundTitle: "notFound",
  busyTitle: "busy",
  unavailableTitle: "unavailable",
  insecureTitle: "insecure",
} as const;

function failure(error: unknown, secure = true): Failure {
  const title = explainMediaError(error, secure).title;
  return FAILURES[title as keyof typeof FAILURES] ?? "unavailable";
}

/**
 * "Test my camera and microphone", from the visit link at any time: the
 * camera's picture, the microphone's level, a test sound, and a plain
 * result for each. Nothing here asks for a join ticket or opens the call's
 * socket: it is only the browser and its devices.
 */
export default function DeviceTest({ text, words }: DeviceTestProps) {
  const stream = useSignal<MediaStream | null>(null);
  const camera = useSignal<Outcome | null>(null);
  const microphone = useSignal<Outcome | null>(null);
  const devices = useSignal<MediaDeviceInfo[]>([]);
  const speaker = useSignal<"asked" | "works" | "failed" | null>(null);
  const results = useRef<HTMLHeadingElement>(null);

  useEffect(() => () => stop(), []);

  function stop() {
    stream.value?.getTracks().forEach((t) => t.stop());
  }

  /** One device on its own, to tell which of the two fails. */
  async function tryAlone(kind: "audio" | "video"): Promise<Outcome> {
    const all = mediaConstraints({});
    try {
      const alone = await navigator.mediaDevices.getUserMedia(
        kind === "audio"
          ? { audio: all.audio, video: false }
          : { audio: false, video: all.video },
      );
      stop();
      stream.value = alone;
      return "works";
    } catch (error) {
      return failure(error);
    }
  }

  async function start(choice: DeviceChoice = {}) {
    if (!globalThis.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      camera.value = microphone.value = failure(null, false);
    } else {
      try {
        const both = await captureMedia(choice);
        stop();
        stream.value = both;
        camera.value = both.getVideoTracks().length > 0 ? "works" : "notFound";
        microphone.value = both.getAudioTracks().length > 0
          ? "works"
          : "notFound";
      } catch {
        // Which one failed? Each on its own; the microphone's stream stays
        // for its level if only the camera failed.
        camera.value = await tryAlone("video");
        microphone.value = await tryAlone("audio");
      }
      devices.value = await navigator.mediaDevices.enumerateDevices()
        .catch(() => []);
    }
    results.current?.focus();
  }

  function playSound() {
    try {
      const context = new AudioContext();
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.frequency.value = 523;
      gain.gain.setValueAtTime(0.0001, context.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.3, context.currentTime + 0.05);
      gain.gain.setValueAtTime(0.3, context.currentTime + 0.9);
      gain.gain.exponentialRampToValueAtTime(0.0001, context.currentTime + 1);
      osc.connect(gain).connect(context.destination);
      osc.start();
      osc.stop(context.currentTime + 1.05);
      setTimeout(() => context.close(), 1500);
    } catch {
      // No sound here: the question tells the person what to do.
    }
    speaker.value = "asked";
  }

  const local = stream.value;
  const tested = camera.value !== null;
  const cameras = devices.value.filter((d) => d.kind === "videoinput");
  const microphones = devices.value.filter((d) => d.kind === "audioinput");
  const line = (
    outcome: Outcome | null,
    works: string,
    failed: string,
    kind: string,
  ) =>
    outcome && (
      <li
        class={outcome === "works" ? "result ok" : "result problem"}
        data-device={kind}
        data-outcome={outcome}
      >
        {outcome === "works" ? works : fill(failed, { help: text[outcome] })}
      </li>
    );
  return (
    <div class="device-test">
      {local && local.getVideoTracks().length > 0 && (
        <Video
          stream={local}
          muted
          label={words.yourCamera}
          className="preview"
        />
      )}
      {local && local.getAudioTracks().length > 0 && (
        <>
          <MicLevel stream={local} label={words.micLevel} />
          <p class="muted">{text.speak}</p>
        </>
      )}
      <p>
        <button
          type="button"
          class="button big"
          onClick={() => start()}
        >
          {tested ? text.again : text.start}
        </button>
      </p>
      <h2 ref={results} tabIndex={-1}>{text.results}</h2>
      <ul class="test-results" aria-live="polite">
        {line(camera.value, text.cameraWorks, text.cameraFailed, "camera")}
        {line(
          microphone.value,
          text.microphoneWorks,
          text.microphoneFailed,
          "microphone",
        )}
        {speaker.value === "works" && (
          <li class="result ok" data-device="speaker">{text.speakerWorks}</li>
        )}
        {speaker.value === "failed" && (
          <li class="result problem" data-device="speaker">
            {text.speakerFailed}
          </li>
        )}
      </ul>
      {tested && (cameras.length > 1 || microphones.length > 1) && (
        <div class="device-choice">
          {cameras.length > 1 && (
            <DeviceSelect
              label={words.camera}
              numbered={words.cameraNumber}
              devices={cameras}
              pick={(videoId) => start({ videoId })}
            />
          )}
          {microphones.length > 1 && (
            <DeviceSelect
              label={words.microphone}
              numbered={words.microphoneNumber}
              devices={microphones}
              pick={(audioId) => start({ audioId })}
            />
          )}
        </div>
      )}
      <h2>{text.speakerHeading}</h2>
      <p>
        <button type="button" class="button secondary" onClick={playSound}>
          {text.playSound}
        </button>
      </p>
      {speaker.value === "asked" && (
        <p class="speaker-question">
          {text.heardSound}{" "}
          <button
            type="button"
            class="button secondary"
            onClick={() => speaker.value = "works"}
          >
            {text.yes}
          </button>{" "}
          <button
            type="button"
            class="button secondary"
            onClick={() => speaker.value = "failed"}
          >
            {text.no}
          </button>
        </p>
      )}
    </div>
  );
}
