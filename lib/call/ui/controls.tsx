/**
 * The call's toolbar: microphone and camera, switching cameras, sharing the
 * screen, the chat with its unread count, leaving, and for the doctor,
 * ending the visit for both. Without a camera (joined by voice) the camera's
 * buttons are not offered.
 *
 * @module
 */
import type { CallState } from "@/lib/call/use_call.ts";
import type { CallText } from "@/lib/i18n/text/call.ts";
import { fill } from "@/lib/i18n/translate.ts";
import { EndVisit } from "./end_visit.tsx";

export function Controls(
  { call, peer, text }: { call: CallState; peer: string; text: CallText },
) {
  const unread = call.unread.value;
  const hasCamera = (call.local.value?.getVideoTracks().length ?? 0) > 0;
  return (
    <div class="controls" role="toolbar" aria-label={text.controls}>
      <MediaToggle
        call={call}
        kind="audio"
        turnOff={text.mute}
        turnOn={text.unmute}
      />
      {hasCamera && (
        <MediaToggle
          call={call}
          kind="video"
          turnOff={text.cameraOff}
          turnOn={text.cameraOn}
        />
      )}
      {hasCamera && call.cameras.value.length > 1 && (
        <button
          type="button"
          class="button secondary"
          onClick={() => call.switchCamera()}
        >
          {text.switchCamera}
        </button>
      )}
      {hasCamera && call.canShare && (
        <button
          type="button"
          class="button secondary"
          aria-pressed={call.sharing.value}
          onClick={() => call.shareScreen()}
        >
          {call.sharing.value ? text.stopSharing : text.shareScreen}
        </button>
      )}
      <button
        type="button"
        class="button secondary"
        aria-expanded={call.chatOpen.value}
        onClick={call.toggleChat}
      >
        {text.chat}
        {unread > 0 && (
          <span class="unread" aria-label={fill(text.unread, { n: unread })}>
            {unread}
          </span>
        )}
      </button>
      <button type="button" class="button secondary" onClick={call.leave}>
        {text.leave}
      </button>
      {call.role === "doctor" && (
        <EndVisit call={call} peer={peer} text={text} />
      )}
    </div>
  );
}

/** The microphone or camera button, pressed while that one is off. */
function MediaToggle(
  { call, kind, turnOff, turnOn }: {
    call: CallState;
    kind: "audio" | "video";
    turnOff: string;
    turnOn: string;
  },
) {
  const on = call.media.value[kind];
  return (
    <button
      type="button"
      class="button secondary"
      aria-pressed={!on}
      onClick={() => call.toggleMedia(kind)}
    >
      {on ? turnOff : turnOn}
    </button>
  );
}
