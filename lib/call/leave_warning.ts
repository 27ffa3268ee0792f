/**
 * The browser's "Leave site?" question while a call is on: closing the tab,
 * a stray back swipe or a link elsewhere would otherwise drop the patient
 * out of the visit with one touch. Off again once the call is over.
 *
 * @module
 */
import { useEffect } from "preact/hooks";

function warn(event: BeforeUnloadEvent) {
  event.preventDefault();
  // Older browsers ask only when returnValue is set.
  event.returnValue = "";
}

export function useLeaveWarning(active: boolean) {
  useEffect(() => {
    if (!active) return;
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [active]);
}
