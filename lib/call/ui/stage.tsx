/**
 * The call's stage: the other participant's video, the person's own, what
 * the other side has turned off, and the connection's quality.
 *
 * @module
 */
import type { CallState } from "@/lib/call/use_call.ts";
import { Video } from "./video.tsx";

export function Stage({ call, peer }: { call: CallState; peer: string }) {
  const remote = call.remote.value;
  const peerMedia = call.peerMedia.value;
  const quality = call.quality.value;
  return (
    <div class={remote ? "stage" : "stage alone"}>
      <Video
        stream={remote}
        muted={false}
        label={`Video of ${peer}`}
        className="remote"
      />
      <Video
        stream={call.local.value}
        muted
        label="Your camera"
        className="self"
      />
      <div class="peer-media" aria-live="polite">
        {!peerMedia.audio && <span class="badge">{peer} is muted</span>}
        {!peerMedia.video && <span class="badge">{peer}'s camera is off</span>}
      </div>
      {quality && (
        <span
          class={`quality quality-${quality.rating}`}
          title="Connection quality"
        >
          {quality.rating === "unknown" ? "…" : quality.rating}
          {quality.rttMs !== null && ` · ${Math.round(quality.rttMs)} ms`}
          {quality.relayed !== null &&
            (quality.relayed ? " · relayed" : " · direct")}
        </span>
      )}
    </div>
  );
}
