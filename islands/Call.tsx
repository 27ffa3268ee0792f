import { useRef } from "preact/hooks";
import type { Language } from "@/lib/i18n/languages.ts";
import type { Role } from "@/lib/protocol/messages.ts";
import type { CallText } from "@/lib/i18n/text/call.ts";
import { fill } from "@/lib/i18n/translate.ts";
import { useLeaveWarning } from "@/lib/call/leave_warning.ts";
import { CallTimer } from "@/lib/call/ui/call_timer.tsx";
import { ChatPanel } from "@/lib/call/ui/chat_panel.tsx";
import { Controls } from "@/lib/call/ui/controls.tsx";
import { DeviceCheck } from "@/lib/call/ui/device_check.tsx";
import { useFocusOnChange } from "@/lib/call/ui/focus.ts";
import { Stage } from "@/lib/call/ui/stage.tsx";
import { statusText } from "@/lib/call/ui/status_text.ts";
import { type CallState, useCall } from "@/lib/call/use_call.ts";
import {
  type WaitingInfo,
  WaitingNotes,
} from "@/lib/call/ui/waiting_notes.tsx";

export interface CallProps {
  role: Role;
  /** Where to POST for a join ticket. */
  ticketUrl: string;
  /** How to speak of the other participant: "Dr Ruiz", "Ada Lovelace". */
  peerLabel: string;
  /** The other participant's name alone, for their initials when their camera is off. */
  peerName: string;
  /** Where "Back" leads after the call. */
  doneUrl: string;
  /** The doctor's record of the visit, offered once the call is over. */
  reportUrl?: string;
  /** `globalThis.clinicCall` and `?relay=only`, for browser tests only (`CALL_TEST_HOOKS`). */
  testHooks?: boolean;
  /** The page's language, for times. */
  language: Language;
  /** The call's text in the page's one language. */
  text: CallText;
  /** The patient's waiting room: the clinic's message, the doctor's notes. */
  waiting?: WaitingInfo;
}

/** The call page: device check, waiting room, the call itself and its chat. */
export default function Call(props: CallProps) {
  const call = useCall(props);
  const { text } = props;
  const phase = call.phase.value;
  const peer = props.peerLabel;
  const heading = useRef<HTMLHeadingElement>(null);
  // Leaving the page in a call drops the other side: the browser asks first.
  useLeaveWarning(phase === "call");
  // Joined, or left: the new state's heading takes the focus.
  useFocusOnChange(heading, phase);
  if (phase === "check") return <DeviceCheck call={call} text={text} />;
  const status = statusText(
    text,
    call.status.value,
    props.role,
    peer,
    call.note.value,
  );
  const startedAt = call.startedAt.value;
  return (
    <section class="call" data-phase={phase} data-status={call.status.value}>
      <h1 ref={heading} tabIndex={-1} class="call-heading">
        {phase === "done" ? status : fill(text.callHeading, { peer })}
      </h1>
      {phase === "done" ? <CallOver call={call} {...props} /> : (
        <>
          <div class="call-bar">
            <p class="call-status" role="status" aria-live="polite">
              {status}
            </p>
            {startedAt !== null && (
              <CallTimer startedAt={startedAt} label={text.elapsed} />
            )}
          </div>
          {props.waiting && (
            <WaitingNotes
              info={props.waiting}
              note={call.waitingNote.value}
              waiting={call.status.value === "waiting" ||
                call.status.value === "peer-left"}
            />
          )}
          <Stage
            call={call}
            peer={peer}
            peerName={props.peerName}
            text={text}
          />
          <Controls call={call} peer={peer} text={text} />
          {call.chatOpen.value && (
            <ChatPanel
              call={call}
              peer={peer}
              language={props.language}
              text={text}
            />
          )}
        </>
      )}
    </section>
  );
}

/** After the call: a way back in for who left, the report, and back. */
function CallOver(props: CallProps & { call: CallState }) {
  const { call, text } = props;
  const left = call.note.value === "youLeft";
  return (
    <>
      {left && <p>{text.youLeftHelp}</p>}
      <p class="actions">
        {left && (
          <button type="button" class="button" onClick={call.rejoin}>
            {text.joinAgain}
          </button>
        )}
        {props.reportUrl && (
          <a
            class={left ? "button secondary" : "button"}
            href={props.reportUrl}
          >
            {text.report}
          </a>
        )}
        <a class="button secondary" href={props.doneUrl}>{text.back}</a>
      </p>
    </>
  );
}
