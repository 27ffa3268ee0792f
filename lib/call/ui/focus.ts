/**
 * Focus after a change the person caused (Start camera, Join, Leave): the
 * part that replaced the button they pressed would otherwise leave focus on
 * the page's top, and a screen reader user lost.
 *
 * @module
 */
import { type RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";

/** Focuses `target` each time `key` changes, not on the first render. */
export function useFocusOnChange(
  target: RefObject<HTMLElement | null>,
  key: unknown,
) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    target.current?.focus();
  }, [key]);
}
