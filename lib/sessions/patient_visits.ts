/**
 * A patient's own past visits, for their personal page and its API: the
 * date, the doctor, how long it lasted, and only the notes the doctor
 * shared. Nothing else of the record leaves the clinic this way.
 *
 * @module
 */
import type { ClinicWithCalls } from "./live_calls.ts";
import { audit } from "@/lib/store/audit.ts";
import { getDoctor } from "@/lib/store/doctors.ts";
import { labelOf } from "@/lib/clinic/doctor_label.ts";
import { keys } from "@/lib/store/keys.ts";
import { getAll } from "@/lib/store/kv.ts";
import { patientHistory } from "./history.ts";
import {
  NOBODY_LIVE,
  type VisitLifecycle,
  visitLifecycle,
} from "@/lib/clinic/visit_lifecycle.ts";
import { callRecordOf } from "./visit_state.ts";
import { type Note, noteSchema } from "./notes.ts";

export interface PastVisit {
  id: string;
  /** Where it stands: over, with or without the patient. */
  lifecycle: VisitLifecycle;
  /** When the call began (or was first opened, if the two never met). */
  at: number;
  doctorName: string;
  durationSeconds: number;
  sharedNote: { text: string; savedAt: number } | null;
}

export async function pastVisits(
  clinic: ClinicWithCalls,
  patient: { id: string; doctorId: string },
  page: { limit: number; cursor?: string },
): Promise<{ items: PastVisit[]; cursor?: string }> {
  const { kv } = clinic;
  const patientId = patient.id;
  const sessions = await patientHistory(clinic, patientId, page);
  // Only the patient's own doctor's visits: nothing another doctor wrote.
  const closed = sessions.items.filter((s) =>
    s.status === "closed" && s.doctorId === patient.doctorId
  );
  const notes = await getAll(kv, closed.map((s) => keys.note(s.id)));
  const doctorNames = new Map<string, string>();
  const items: PastVisit[] = [];
  for (const [i, s] of closed.entries()) {
    if (!doctorNames.has(s.doctorId)) {
      doctorNames.set(
        s.doctorId,
        labelOf(await getDoctor(kv, s.doctorId)) ?? "Your doctor",
      );
    }
    const raw = notes[i].value;
    const note: Note | null = raw === null ? null : noteSchema.parse(raw);
    const shared = note?.shared ? note : null;
    if (shared) {
      await audit(kv, {
        actor: { kind: "patient", id: patientId },
        action: "note.viewed",
        subject: s.id,
      });
    }
    items.push({
      id: s.id,
      // The record is closed: the rule decides from it alone.
      lifecycle: visitLifecycle(
        {
          status: "scheduled",
          startsAt: s.scheduledStart,
          durationMinutes: s.scheduledMinutes,
        },
        callRecordOf(s),
        NOBODY_LIVE,
        Date.now(),
      ),
      at: s.startedAt ?? s.openedAt,
      doctorName: doctorNames.get(s.doctorId)!,
      durationSeconds: s.durationSeconds ?? 0,
      sharedNote: shared && { text: shared.text, savedAt: shared.savedAt },
    });
  }
  return { items, ...(sessions.cursor ? { cursor: sessions.cursor } : {}) };
}
