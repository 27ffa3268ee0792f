/**
 * The call's toolbar: microphone and camera, switching cameras, sharing the
 * screen, the chat with its unread count, leaving, and for the doctor,
 * ending the visit for both.
 *
 * @module
 */
import type { CallState } from "@/lib/call/use_call.ts";

export function Controls({ call }: { call: CallState }) {
  const unread = call.unread.value;
  return (
    <div class="controls" role="toolbar" aria-label="Call controls">
      <MediaToggle call={call} kind="audio" turnOff="Mute" turnOn="Unmute" />
      <MediaToggle
        call={call}
        kind="video"
        turnOff="Camera off"
        turnOn="Camera on"
      />
      {call.cameras.value.length > 1 && (
        <button
          type="button"
          class="button secondary"
          onClick={() => call.switchCamera()}
        >
          Switch camera
        </button>
      )}
      {call.canShare && (
        <button
          type="button"
          class="button secondary"
          aria-pressed={call.sharing.value}
          onClick={() => call.shareScreen()}
        >
          {call.sharing.value ? "Stop sharing" : "Share screen"}
        </button>
      )}
      <button
        type="button"
        class="button secondary"
        aria-expanded={call.chatOpen.value}
        onClick={call.toggleChat}
      >
        Chat{unread > 0 && (
          <span class="unread" aria-label={`${unread} unread`}>
            {unread}
          </span>
        )}
      </button>
      <button type="button" class="button secondary" onClick={call.leave}>
        Leave
      </button>
      {call.role === "doctor" && (
        <button type="button" class="button danger" onClick={call.endVisit}>
          End visit
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
