import { doctorsAppointment } from "@/lib/clinic/scheduling.ts";
import { defineDoctor } from "@/lib/define.ts";
import { readJson } from "@/lib/http/input.ts";
import {
  sendWaitingNote,
  waitingNoteInput,
} from "@/lib/signaling/waiting_note.ts";

/**
 * A short note from the visit's doctor to the waiting patient: `{ "preset":
 * "late10" }` (written in the patient's language) or `{ "text": "..." }`
 * (as typed, one line of at most 200 characters). Another doctor's visit is
 * 404, as everywhere.
 */
export const handler = defineDoctor.handlers({
  async POST(ctx) {
    const { clinic, doctor } = ctx.state;
    const { value } = await doctorsAppointment(clinic, doctor, ctx.params.id);
    const input = await readJson(ctx.req, waitingNoteInput);
    const note = await sendWaitingNote(
      clinic.signaling,
      doctor.id,
      value,
      input,
    );
    return Response.json(note, { status: 201 });
  },
});
