import { useComputed, useSignal, useSignalEffect } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { announcement, countdown } from "@/lib/clinic/countdown.ts";
import type { Language } from "@/lib/i18n/languages.ts";
import type { JoinCallText } from "@/lib/i18n/text/visit.ts";
import { fill } from "@/lib/i18n/translate.ts";

export interface JoinCallProps {
  startsAt: number;
  opensAt: number;
  closesAt: number;
  callUrl: string;
  /** The server's clock when the page was made, to correct a wrong phone clock. */
  serverNow: number;
  /** The start in the visit's zone and language, labelled with the zone. */
  when: string;
  /** The visit's zone: the device's clock is shown too if it is another. */
  timeZone: string;
  language: Language;
  text: JoinCallText;
}

/** The visit's time, the device's own if it differs, and "Join call". */
export default function JoinCall(props: JoinCallProps) {
  const { text } = props;
  const opensIn = text.opensIn.split("{countdown}");
  const now = useSignal(props.serverNow);
  const deviceTime = useSignal<string | null>(null);
  useEffect(() => {
    const skew = props.serverNow - Date.now();
    now.value = Date.now() + skew;
    // The device's zone is only known here; shown if it is not the visit's.
    const own = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (own !== props.timeZone) {
      deviceTime.value = new Intl.DateTimeFormat(props.language, {
        weekday: "long",
        day: "numeric",
        month: "long",
        hour: "numeric",
        minute: "2-digit",
        timeZoneName: "longGeneric",
      }).format(props.startsAt);
    }
    const timer = setInterval(() => (now.value = Date.now() + skew), 1000);
    return () => clearInterval(timer);
  }, []);
  const state = useComputed(() =>
    now.value < props.opensAt
      ? "early"
      : now.value >= props.closesAt
      ? "over"
      : "open"
  );
  useSignalEffect(() => {
    if (state.value === "open") document.title = text.open;
  });
  return (
    <div class="join-call">
      <p class="visit-time">
        <strong>{props.when}</strong>
      </p>
      {deviceTime.value && (
        <p class="device-time muted">
          {fill(text.onThisDevice, { time: deviceTime.value })}
        </p>
      )}
      {
        /* Spoken at steps only (each minute of the last ten, the opening);
           the countdown below changes every second and is not a live region. */
      }
      <p class="visually-hidden" aria-live="polite" data-announce>
        {announcement(props.opensAt - now.value, state.value, text)}
      </p>
      {state.value === "early" && (
        <p>
          {opensIn[0]}
          <span class="countdown">
            {countdown(props.opensAt - now.value, text)}
          </span>
          {opensIn[1]}
        </p>
      )}
      {state.value === "over" && <p>{text.over}</p>}
      {state.value === "open"
        ? <a class="button big" href={props.callUrl}>{text.joinCall}</a>
        : (
          <button type="button" class="button big" disabled>
            {text.joinCall}
          </button>
        )}
    </div>
  );
}
