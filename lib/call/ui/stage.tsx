/**
 * The call's stage: the other participant's video, the person's own, what
 * the other side has turned off, and the connection's quality.
 *
 * @module
 */
import type { CallState } from "@/lib/call/use_call.ts";
import type { CallText } from "@/lib/i18n/text/call.ts";
import { fill } from "@/lib/i18n/translate.ts";
import { Video } from "./video.tsx";

const RATINGS = {
  good: "qualityGood",
  fair: "qualityFair",
  poor: "qualityPoor",
} as const;

export function Stage(
  { call, peer, text }: { call: CallState; peer: string; text: CallText },
) {
  const remote = call.remote.value;
  const peerMedia = call.peerMedia.value;
  const quality = call.quality.value;
  return (
    <div class={remote ? "stage" : "stage alone"}>
      <Video
        stream={remote}
        muted={false}
        label={fill(text.videoOf, { peer })}
        className="remote"
      />
      <Video
        stream={call.local.value}
        muted
        label={text.yourCamera}
        className="self"
      />
      <div class="peer-media" aria-live="polite">
        {!peerMedia.audio && (
          <span class="badge">{fill(text.peerMuted, { peer })}</span>
        )}
        {!peerMedia.video && (
          <span class="badge">{fill(text.peerCameraOff, { peer })}</span>
        )}
      </div>
      {quality && (
        <span
          class={`quality quality-${quality.rating}`}
          title={text.quality}
        >
          {quality.rating === "unknown" ? "…" : text[RATINGS[quality.rating]]}
          {quality.rttMs !== null && ` · ${Math.round(quality.rttMs)} ms`}
          {quality.relayed !== null &&
            ` · ${quality.relayed ? text.relayed : text.direct}`}
        </span>
      )}
    </div>
  );
}
