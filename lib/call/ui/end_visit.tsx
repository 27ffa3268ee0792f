/**
 * "End visit" and its confirmation: ending closes the visit for both and
 * cannot be undone, so one stray click must not do it. A modal `<dialog>`
 * takes focus (on the safe choice), Escape keeps the visit going, and focus
 * returns to the button when the dialog closes.
 *
 * @module
 */
import { useRef } from "preact/hooks";
import type { CallState } from "@/lib/call/use_call.ts";
import type { CallText } from "@/lib/i18n/text/call.ts";
import { fill } from "@/lib/i18n/translate.ts";

export function EndVisit(
  { call, peer, text }: { call: CallState; peer: string; text: CallText },
) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const open = () => {
    dialog.current?.showModal();
    keep.current?.focus();
  };
  const close = () => dialog.current?.close();
  return (
    <>
      <button
        ref={opener}
        type="button"
        class="button danger"
        aria-haspopup="dialog"
        onClick={open}
      >
        {text.endVisit}
      </button>
      <dialog
        ref={dialog}
        class="confirm"
        aria-labelledby="end-visit-title"
        aria-describedby="end-visit-help"
        onClose={() => opener.current?.focus()}
      >
        <h2 id="end-visit-title">{text.endConfirmTitle}</h2>
        <p id="end-visit-help">{fill(text.endConfirmHelp, { peer })}</p>
        <p class="actions">
          <button
            ref={keep}
            type="button"
            class="button secondary"
            onClick={close}
          >
            {text.keepGoing}
          </button>
          <button
            type="button"
            class="button danger"
            onClick={() => {
              close();
              call.endVisit();
            }}
          >
            {text.endConfirm}
          </button>
        </p>
      </dialog>
    </>
  );
}
