/**
 * The call's toolbar: microphone and camera, switching cameras, sharing the
 * screen, the chat with its unread count, leaving, and for the doctor,
 * ending the visit for both.
 *
 * @module
 */
import type { CallState } from "@/lib/call/use_call.ts";
import type { CallText } from "@/lib/i18n/text/call.ts";
import { fill } from "@/lib/i18n/translate.ts";

export function Controls(
  { call, text }: { call: CallState; text: CallText },
) {
  const unread = call.unread.value;
  return (
    <div class="controls" role="toolbar" aria-label={text.controls}>
      <MediaToggle
        call={call}
        kind="audio"
        turnOff={text.mute}
        turnOn={text.unmute}
      />
      <MediaToggle
        call={call}
        kind="video"
        turnOff={text.cameraOff}
        turnOn={text.cameraOn}
      />
      {call.cameras.value.length > 1 && (
        <button
          type="button"
          class="button secondary"
          onClick={() => call.switchCamera()}
        >
          {text.switchCamera}
        </button>
      )}
      {call.canShare && (
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
        <button type="button" class="button danger" onClick={call.endVisit}>
          {text.endVisit}
        </button>
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
