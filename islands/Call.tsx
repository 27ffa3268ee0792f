import type { Role } from "@/lib/protocol/messages.ts";
import type { CallText } from "@/lib/i18n/text/call.ts";
import { ChatPanel } from "@/lib/call/ui/chat_panel.tsx";
import { Controls } from "@/lib/call/ui/controls.tsx";
import { DeviceCheck } from "@/lib/call/ui/device_check.tsx";
import { Stage } from "@/lib/call/ui/stage.tsx";
import { statusText } from "@/lib/call/ui/status_text.ts";
import { useCall } from "@/lib/call/use_call.ts";

export interface CallProps {
  role: Role;
  /** Where to POST for a join ticket. */
  ticketUrl: string;
  /** How to speak of the other participant: "Dr Ruiz", "Ada Lovelace". */
  peerLabel: string;
  /** Where "Back" leads after the call. */
  doneUrl: string;
  /** The doctor's record of the visit, offered once the call is over. */
  reportUrl?: string;
  /** `globalThis.clinicCall` and `?relay=only`, for browser tests only (`CALL_TEST_HOOKS`). */
  testHooks?: boolean;
  /** The call's text in the page's one language. */
  text: CallText;
}

/** The call page: device check, waiting room, the call itself and its chat. */
export default function Call(props: CallProps) {
  const call = useCall(props);
  const { text } = props;
  const phase = call.phase.value;
  const peer = props.peerLabel;
  if (phase === "check") return <DeviceCheck call={call} text={text} />;
  return (
    <section class="call" data-phase={phase} data-status={call.status.value}>
      <p class="call-status" role="status" aria-live="polite">
        {statusText(text, call.status.value, props.role, peer, call.note.value)}
      </p>
      {phase === "done"
        ? (
          <p class="actions">
            {props.reportUrl && (
              <a class="button" href={props.reportUrl}>{text.report}</a>
            )}
            <a class="button secondary" href={props.doneUrl}>{text.back}</a>
          </p>
        )
        : (
          <>
            <Stage call={call} peer={peer} text={text} />
            <Controls call={call} text={text} />
            {call.chatOpen.value && (
              <ChatPanel call={call} peer={peer} text={text} />
            )}
          </>
        )}
    </section>
  );
}
