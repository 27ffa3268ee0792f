/**
 * A doctor's notes on a session. Every save is a new version, kept beside
 * the current one, so earlier texts stay readable. A save names the version
 * it was based on: if someone saved in between (another tab), it is refused
 * with the text that is there now, and nothing is overwritten.
 *
 * @module
 */
import { z } from "zod";
import type { Actor } from "@/lib/store/audit.ts";
import { auditIn } from "@/lib/store/audit.ts";
import { keys } from "@/lib/store/keys.ts";

/** Characters in a note: several pages; stays well inside a KV value. */
export const MAX_NOTE_CHARS = 10_000;

export const noteSchema = z.object({
  sessionId: z.string(),
  /** 1 for the first save, then one more with each save. */
  version: z.number().int(),
  text: z.string(),
  /** Shown to the patient on their own page. */
  shared: z.boolean(),
  savedAt: z.number(),
  savedBy: z.string(),
});
export type Note = z.infer<typeof noteSchema>;

export interface NoteEdit {
  text: string;
  shared: boolean;
  /** The version the editor started from; 0 for a session without notes. */
  baseVersion: number;
}

export type SaveResult =
  | { saved: Note }
  /** What is there now (`null`: nothing yet, the base version was wrong). */
  | { conflict: Note | null };

export async function readNote(
  kv: Deno.Kv,
  sessionId: string,
): Promise<Note | null> {
  const entry = await kv.get(keys.note(sessionId));
  return entry.value === null ? null : noteSchema.parse(entry.value);
}

/** Every saved version, newest first. */
export async function noteVersions(
  kv: Deno.Kv,
  sessionId: string,
  limit = 100,
): Promise<Note[]> {
  const versions: Note[] = [];
  for await (
    const entry of kv.list({ prefix: keys.noteVersions(sessionId) }, {
      reverse: true,
      limit,
    })
  ) {
    versions.push(noteSchema.parse(entry.value));
  }
  return versions;
}

export async function saveNote(
  kv: Deno.Kv,
  sessionId: string,
  doctorId: string,
  edit: NoteEdit,
  now = Date.now(),
): Promise<SaveResult> {
  const actor: Actor = { kind: "doctor", id: doctorId };
  while (true) {
    const current = await kv.get(keys.note(sessionId));
    const note = current.value === null
      ? null
      : noteSchema.parse(current.value);
    if ((note?.version ?? 0) !== edit.baseVersion) return { conflict: note };
    const next: Note = {
      sessionId,
      version: edit.baseVersion + 1,
      text: edit.text,
      shared: edit.shared,
      savedAt: now,
      savedBy: doctorId,
    };
    const op = kv.atomic()
      .check(current)
      .check({
        key: keys.noteVersion(sessionId, next.version),
        versionstamp: null,
      })
      .set(keys.note(sessionId), next)
      .set(keys.noteVersion(sessionId, next.version), next);
    auditIn(op, {
      actor,
      action: "note.edited",
      subject: sessionId,
      detail: `version ${next.version}${next.shared ? ", shared" : ""}`,
      at: now,
    });
    const result = await op.commit();
    // A lost race means a save got in first: the loop then finds its
    // version and answers a conflict.
    if (result.ok) return { saved: next };
  }
}
