/**
 * The device check before a call: the person sees themselves and the
 * microphone's level, may pick another camera or microphone, and joins.
 * When the camera fails but the microphone works, they are told why in
 * plain words and may join by voice, or try the camera again.
 *
 * @module
 */
import { useRef } from "preact/hooks";
import type { CallState } from "@/lib/call/use_call.ts";
import type { CallText } from "@/lib/i18n/text/call.ts";
import { fill } from "@/lib/i18n/translate.ts";
import { useFocusOnChange } from "./focus.ts";
import { MicLevel, Video } from "./video.tsx";

export function DeviceCheck(
  { call, text }: { call: CallState; text: CallText },
) {
  const local = call.local.value;
  const cameras = call.cameras.value;
  const microphones = call.microphones.value;
  const problem = call.problem.value;
  const cameraProblem = call.cameraProblem.value;
  const audioOnly = local !== null && local.getVideoTracks().length === 0;
  const joinButton = useRef<HTMLButtonElement>(null);
  // Once the devices start (or the camera drops out or comes back), the
  // next thing to do is to join.
  useFocusOnChange(joinButton, local ? (audioOnly ? "audio" : "video") : "");
  return (
    <section class="call-check" data-phase="check">
      <h1>{text.checkTitle}</h1>
      {local
        ? (
          <>
            {audioOnly
              ? (
                <div class="placeholder preview" data-placeholder="self">
                  <span class="placeholder-name">{text.you}</span>
                  <span class="placeholder-note">{text.audioOnly}</span>
                </div>
              )
              : (
                <Video
                  stream={local}
                  muted
                  label={text.yourCamera}
                  className="preview"
                />
              )}
            <MicLevel stream={local} label={text.micLevel} />
            <div class="device-choice">
              {cameras.length > 1 && (
                <DeviceSelect
                  label={text.camera}
                  numbered={text.cameraNumber}
                  devices={cameras}
                  pick={(videoId) => call.startDevices({ videoId })}
                />
              )}
              {microphones.length > 1 && (
                <DeviceSelect
                  label={text.microphone}
                  numbered={text.microphoneNumber}
                  devices={microphones}
                  pick={(audioId) => call.startDevices({ audioId })}
                />
              )}
            </div>
            {audioOnly && cameraProblem
              ? (
                <div class="alert alert-info audio-only" role="status">
                  <p>
                    <strong>{text[cameraProblem.title]}.</strong>{" "}
                    {text.audioOnlyHelp}
                  </p>
                  <p>{text[cameraProblem.help]}</p>
                  <button
                    type="button"
                    class="button secondary"
                    onClick={() => call.startDevices()}
                  >
                    {text.retryCamera}
                  </button>
                </div>
              )
              : <p>{text.ready}</p>}
            <button
              ref={joinButton}
              type="button"
              class="button big"
              onClick={call.join}
            >
              {audioOnly ? text.joinAudioOnly : text.joinVisit}
            </button>
          </>
        )
        : (
          <button
            type="button"
            class="button big"
            onClick={() => call.startDevices()}
          >
            {text.startDevices}
          </button>
        )}
      {problem && (
        <div class="alert alert-error" role="alert">
          <strong>{text[problem.title]}.</strong> {text[problem.help]}
        </div>
      )}
    </section>
  );
}

/** A list of cameras or microphones; unnamed ones are numbered. */
export function DeviceSelect(
  { label, numbered, devices, pick }: {
    label: string;
    /** An unnamed device's name: "Camera {n}". */
    numbered: string;
    devices: MediaDeviceInfo[];
    pick(deviceId: string): void;
  },
) {
  return (
    <label>
      {label}
      <select onChange={(e) => pick((e.target as HTMLSelectElement).value)}>
        {devices.map((d, i) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label || fill(numbered, { n: i + 1 })}
          </option>
        ))}
      </select>
    </label>
  );
}
