/**
 * How long the visit has lasted since both were connected, mm:ss. A timer
 * is not a live region: it is read when the person looks for it, never
 * announced every second.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { elapsed } from "./formats.ts";

export function CallTimer(
  { startedAt, label }: { startedAt: number; label: string },
) {
  const now = useSignal(Date.now());
  useEffect(() => {
    const timer = setInterval(() => (now.value = Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <p class="call-timer" role="timer" aria-live="off">
      <span class="call-timer-label">{label}</span>{" "}
      <span class="call-elapsed">{elapsed(now.value - startedAt)}</span>
    </p>
  );
}
