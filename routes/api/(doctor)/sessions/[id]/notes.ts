import { defineDoctor } from "@/lib/define.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { readJson } from "@/lib/http/input.ts";
import { doctorsSession } from "@/lib/sessions/history.ts";
import { noteJsonInput } from "@/lib/sessions/note_input.ts";
import { noteVersions, readNote, saveNote } from "@/lib/sessions/notes.ts";
import { noteJson } from "@/lib/sessions/views.ts";
import { audit } from "@/lib/store/audit.ts";

export const handler = defineDoctor.handlers({
  /** The current note and every earlier version, newest first. */
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    const session = await doctorsSession(clinic, doctor, ctx.params.id);
    const [note, versions] = await Promise.all([
      readNote(clinic.kv, session.id),
      noteVersions(clinic.kv, session.id),
    ]);
    await audit(clinic.kv, {
      actor: { kind: "doctor", id: doctor.id },
      action: "note.viewed",
      subject: session.id,
    });
    return Response.json({
      note: noteJson(note),
      versions: versions.map(noteJson),
    });
  },
  /** Saves a new version; a stale `baseVersion` is a 409 with the saved text. */
  async PUT(ctx) {
    const { clinic, doctor } = ctx.state;
    const edit = await readJson(ctx.req, noteJsonInput);
    const session = await doctorsSession(clinic, doctor, ctx.params.id);
    const result = await saveNote(clinic.kv, session.id, doctor.id, edit);
    if ("saved" in result) {
      return Response.json({ note: noteJson(result.saved) });
    }
    const error = new HttpError(
      409,
      "conflict",
      "The notes were saved by someone else since your version; nothing was changed.",
    );
    return Response.json({
      ...error.toJSON(),
      current: noteJson(result.conflict),
      yours: { text: edit.text, shared: edit.shared },
    }, { status: 409 });
  },
});
