import { useComputed, useSignal, useSignalEffect } from "@preact/signals";
import { useEffect } from "preact/hooks";

export interface JoinCallProps {
  startsAt: number;
  opensAt: number;
  closesAt: number;
  callUrl: string;
  /** The server's clock when the page was made, to correct a wrong phone clock. */
  serverNow: number;
  /** The start in the clinic's zone, shown until the browser's own zone is known. */
  clinicTime: string;
}

function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

/** The patient's visit time in their own zone, and the "Join call" button. */
export default function JoinCall(props: JoinCallProps) {
  const now = useSignal(props.serverNow);
  const localTime = useSignal(props.clinicTime);
  useEffect(() => {
    const skew = props.serverNow - Date.now();
    now.value = Date.now() + skew;
    localTime.value = new Intl.DateTimeFormat(undefined, {
      dateStyle: "full",
      timeStyle: "short",
    }).format(props.startsAt);
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
    if (state.value === "open") document.title = "Your visit is open";
  });
  return (
    <div class="join-call">
      <p class="visit-time">
        <strong>{localTime}</strong>
      </p>
      {state.value === "early" && (
        <p aria-live="polite">
          You can join from 10 minutes before the start. The call opens in{" "}
          <span class="countdown">{countdown(props.opensAt - now.value)}</span>.
        </p>
      )}
      {state.value === "over" && <p>This visit's time has passed.</p>}
      {state.value === "open"
        ? <a class="button big" href={props.callUrl}>Join call</a>
        : (
          <button type="button" class="button big" disabled>
            Join call
          </button>
        )}
    </div>
  );
}
