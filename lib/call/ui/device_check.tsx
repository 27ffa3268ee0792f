/**
 * The device check before a call: the person sees themselves and the
 * microphone's level, may pick another camera or microphone, and joins.
 *
 * @module
 */
import type { CallState } from "@/lib/call/use_call.ts";
import { MicLevel, Video } from "./video.tsx";

export function DeviceCheck({ call }: { call: CallState }) {
  const local = call.local.value;
  const cameras = call.cameras.value;
  const microphones = call.microphones.value;
  const problem = call.problem.value;
  return (
    <section class="call-check" data-phase="check">
      <h1>Check your camera and microphone</h1>
      {local
        ? (
          <>
            <Video
              stream={local}
              muted
              label="Your camera"
              className="preview"
            />
            <MicLevel stream={local} />
            <div class="device-choice">
              {cameras.length > 1 && (
                <DeviceSelect
                  label="Camera"
                  devices={cameras}
                  pick={(videoId) => call.startDevices({ videoId })}
                />
              )}
              {microphones.length > 1 && (
                <DeviceSelect
                  label="Microphone"
                  devices={microphones}
                  pick={(audioId) => call.startDevices({ audioId })}
                />
              )}
            </div>
            <p>
              If you can see yourself and the bar moves when you speak, you are
              ready.
            </p>
            <button type="button" class="button big" onClick={call.join}>
              Join the visit
            </button>
          </>
        )
        : (
          <button
            type="button"
            class="button big"
            onClick={() => call.startDevices()}
          >
            Start camera and microphone
          </button>
        )}
      {problem && (
        <div class="alert alert-error" role="alert">
          <strong>{problem.title}.</strong> {problem.help}
        </div>
      )}
    </section>
  );
}

/** A list of cameras or microphones; unnamed ones are numbered. */
function DeviceSelect(
  { label, devices, pick }: {
    label: "Camera" | "Microphone";
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
            {d.label || `${label} ${i + 1}`}
          </option>
        ))}
      </select>
    </label>
  );
}
