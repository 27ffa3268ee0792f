import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";

export interface CopyLinkProps {
  /** The link to copy. */
  url: string;
  /** The read-only input showing the link, selected if copying is refused. */
  inputId: string;
  /** What the link is, for the button's name: "Copy visit link". */
  what: string;
}

/** A "Copy" button beside a link shown to the doctor, with its status. */
export default function CopyLink({ url, inputId, what }: CopyLinkProps) {
  // Until the script runs the button could do nothing: it waits disabled.
  const ready = useSignal(false);
  const status = useSignal("");
  useEffect(() => {
    ready.value = true;
  }, []);
  async function copy() {
    // Emptied first, so a second copy is announced again.
    status.value = "";
    try {
      await navigator.clipboard.writeText(url);
      status.value = "Copied";
    } catch {
      // No clipboard (refused, or not a secure page): select it to copy by hand.
      const input = document.getElementById(inputId);
      if (input instanceof HTMLInputElement) {
        input.focus();
        input.select();
      }
      status.value =
        "Copying was refused: the link is selected, press Ctrl+C (⌘C on a Mac).";
    }
  }
  return (
    <span class="copy-link">
      <button
        type="button"
        class="button secondary"
        disabled={!ready.value}
        onClick={copy}
      >
        {/* Named in its text, not aria-label, so the link's label stays the only one. */}
        Copy<span class="visually-hidden">{` ${what}`}</span>
      </button>
      <span class="copy-status" role="status" aria-live="polite">
        {status}
      </span>
    </span>
  );
}
