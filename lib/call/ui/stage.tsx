/**
 * The call's stage: the other participant's video, the person's own, what
 * the other side has turned off, and a plain hint about the connection.
 * A camera that is off, or missing, shows the person's initials and name
 * instead of a black box.
 *
 * @module
 */
import type { CallState } from "@/lib/call/use_call.ts";
import type { CallText } from "@/lib/i18n/text/call.ts";
import { fill } from "@/lib/i18n/translate.ts";
import { initials } from "./formats.ts";
import { qualityHint } from "./quality_hint.ts";
import { Video } from "./video.tsx";

export function Stage(
  { call, peer, peerName, text }: {
    call: CallState;
    /** How the other side is spoken of: "Ada Lovelace, Family physician". */
    peer: string;
    /** Their name alone, for the initials. */
    peerName: string;
    text: CallText;
  },
) {
  const remote = call.remote.value;
  const peerMedia = call.peerMedia.value;
  const quality = call.quality.value;
  const hasCamera = (call.local.value?.getVideoTracks().length ?? 0) > 0;
  const ownVideo = hasCamera && call.media.value.video;
  // The other side's audio plays through its video element: it stays
  // mounted, and the name covers it.
  const peerHidden = remote !== null &&
    (!peerMedia.video || !call.remoteVideo.value);
  const hint = remote && quality
    ? qualityHint(quality.rating, call.media.value.video && hasCamera)
    : null;
  return (
    <div class={remote ? "stage" : "stage alone"}>
      <Video
        stream={remote}
        muted={false}
        label={fill(text.videoOf, { peer })}
        className="remote"
        startLabel={fill(text.startMedia, { peer })}
      />
      {peerHidden && (
        <div class="placeholder peer-placeholder" data-placeholder="peer">
          <span class="initials" aria-hidden="true">{initials(peerName)}</span>
          <span class="placeholder-name">{peer}</span>
          <span class="placeholder-note">{text.cameraIsOff}</span>
        </div>
      )}
      {ownVideo
        ? (
          <Video
            stream={call.local.value}
            muted
            label={text.yourCamera}
            className="self"
          />
        )
        : (
          <div class="placeholder self-placeholder" data-placeholder="self">
            <span class="placeholder-name">{text.you}</span>
            <span class="placeholder-note">
              {hasCamera ? text.yourCameraOff : text.audioOnly}
            </span>
          </div>
        )}
      <div class="peer-media" aria-live="polite">
        {!peerMedia.audio && (
          <span class="badge">{fill(text.peerMuted, { peer })}</span>
        )}
        {!peerMedia.video && (
          <span class="badge">{fill(text.peerCameraOff, { peer })}</span>
        )}
      </div>
      {hint && (
        <span class={`quality quality-${quality!.rating}`}>{text[hint]}</span>
      )}
    </div>
  );
}
