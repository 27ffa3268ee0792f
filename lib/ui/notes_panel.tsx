/**
 * The doctor's notes on a visit report: the saved text, the form to save a
 * new version (with both texts side by side when another save came first)
 * and the earlier versions.
 *
 * @module
 */
import { formatDateTime } from "@/lib/clinic/time.ts";
import type { Note } from "@/lib/sessions/notes.ts";

export function NotesPanel(
  { note, versions, timeZone, error, conflict }: {
    note: Note | null;
    versions: Note[];
    timeZone: string;
    /** Why the last save was refused. */
    error?: string;
    /** A save refused because another came first: what this tab typed, beside what is saved. */
    conflict?: { mine: string; theirs: Note | null };
  },
) {
  const baseVersion = note?.version ?? 0;
  return (
    <section class="panel" aria-labelledby="notes-title">
      <h2 id="notes-title">Doctor's notes</h2>
      {note
        ? (
          <>
            <p class="muted">
              Version {note.version}, saved{" "}
              {formatDateTime(note.savedAt, timeZone)}
              {note.shared
                ? ". Shared with the patient."
                : ". Not shared with the patient."}
            </p>
            <div class="note-text">{note.text}</div>
          </>
        )
        : <p>No notes yet.</p>}
      {error && <div class="alert alert-error" role="alert">{error}</div>}
      {conflict && (
        <div class="alert alert-error conflict" role="alert">
          <p>
            These notes were saved from somewhere else while you were editing,
            so your save was not made. Both texts are below: copy what you need
            into the box and save again.
          </p>
          <h3>Saved now</h3>
          <div class="note-text">{conflict.theirs?.text ?? ""}</div>
          <h3>Yours, not saved</h3>
          <div class="note-text" data-unsaved>{conflict.mine}</div>
        </div>
      )}
      <form method="post" class="note-form">
        <input type="hidden" name="action" value="save-note" />
        <input type="hidden" name="baseVersion" value={String(baseVersion)} />
        <div class="field">
          <label for="note-text">Notes</label>
          <textarea id="note-text" name="text" rows={8} maxLength={10_000}>
            {conflict?.mine ?? note?.text ?? ""}
          </textarea>
        </div>
        <div class="field checkbox">
          <input
            id="note-shared"
            type="checkbox"
            name="shared"
            value="on"
            checked={note?.shared ?? false}
          />
          <label for="note-shared">Share these notes with the patient</label>
        </div>
        <button type="submit" class="button">Save notes</button>
      </form>
      {versions.length > 1 && (
        <details>
          <summary>Earlier versions ({versions.length - 1})</summary>
          <ol class="versions">
            {versions.slice(1).map((v) => (
              <li key={v.version}>
                <p class="muted">
                  Version {v.version}, {formatDateTime(v.savedAt, timeZone)}
                  {v.shared ? ", shared" : ""}
                </p>
                <div class="note-text">{v.text}</div>
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}
