/**
 * What a waiting patient reads besides the status line: the clinic's
 * waiting-room message and the doctor's latest note, in a live region so a
 * note that arrives while the patient waits is read out.
 *
 * @module
 */
import type { WaitingNote } from "@/lib/protocol/messages.ts";
import { fill } from "@/lib/i18n/translate.ts";

/** The waiting room's text, prepared by the page in the patient's language. */
export interface WaitingInfo {
  /** The clinic's message for every waiting patient, if it set one. */
  clinicMessage?: { heading: string; text: string };
  /** "Message from Dr Ruiz at {time}": the doctor filled in, the time not. */
  noteFrom: string;
}

export function WaitingNotes(
  { info, note, waiting }: {
    info: WaitingInfo;
    note: WaitingNote | null;
    /** Whether the patient is waiting now (nobody else is in the call). */
    waiting: boolean;
  },
) {
  return (
    <div class="waiting-notes">
      {waiting && info.clinicMessage && (
        <div class="clinic-message">
          <h2>{info.clinicMessage.heading}</h2>
          {info.clinicMessage.text.split("\n").map((line, i) => (
            <p key={i}>{line}</p>
          ))}
        </div>
      )}
      {/* Always rendered, so that a note arriving later is announced. */}
      <div class="waiting-note" aria-live="polite" aria-atomic="true">
        {waiting && note && (
          <p>
            <strong>
              {fill(info.noteFrom, {
                time: new Date(note.at).toLocaleTimeString([], {
                  hour: "2-digit",
                  minute: "2-digit",
                }),
              })}:
            </strong>{" "}
            <span class="waiting-note-text">{note.text}</span>
          </p>
        )}
      </div>
    </div>
  );
}
