/**
 * Everything the doctor's report page and the report API show for one
 * session, read together; showing it is written to the audit trail.
 *
 * @module
 */
import type { ChatLine, Role } from "@/lib/protocol/messages.ts";
import {
  type PatientContact,
  patientContact,
} from "@/lib/clinic/patient_contact.ts";
import type { ClinicWithCalls } from "./live_calls.ts";
import { auditIn } from "@/lib/store/audit.ts";
import type { Doctor } from "@/lib/store/doctors.ts";
import { type QualitySummary, readQuality } from "./call_quality.ts";
import { readChat } from "./chat_log.ts";
import { readReport, type SessionReport } from "./close.ts";
import { doctorsSession } from "./history.ts";
import { type Note, noteVersions, readNote } from "./notes.ts";
import type { Session } from "./session.ts";

export interface ReportView {
  session: Session;
  /** Written when the session closed; `null` while it is open. */
  report: SessionReport | null;
  quality: Record<Role, QualitySummary | null>;
  /** `null` when the clinic does not keep chat. */
  chat: ChatLine[] | null;
  note: Note | null;
  versions: Note[];
  /** The patient's email and phone as their record holds them now. */
  contact: PatientContact;
}

export async function viewReport(
  clinic: ClinicWithCalls,
  doctor: Doctor,
  id: string,
): Promise<ReportView> {
  const { kv } = clinic;
  const session = await doctorsSession(clinic, doctor, id);
  const report = session.status === "closed" ? await readReport(kv, id) : null;
  const chatKept = report?.chatKept ?? clinic.config.chatKept === "report";
  const [quality, chat, note, versions, contact] = await Promise.all([
    report?.quality ?? readQuality(kv, id),
    chatKept ? readChat(kv, id) : null,
    readNote(kv, id),
    noteVersions(kv, id),
    // Read as this doctor's patient: the session is theirs, checked above.
    patientContact(kv, doctor.id, session.patientId),
  ]);
  return {
    session: report?.session ?? session,
    report,
    quality,
    chat,
    note,
    versions,
    contact,
  };
}

/**
 * Records that a doctor was shown a report (and its note, if it has one).
 * Called once the answer is certain, so a refused request writes nothing.
 */
export async function recordReportShown(
  clinic: ClinicWithCalls,
  doctor: Doctor,
  view: ReportView,
) {
  const actor = { kind: "doctor", id: doctor.id } as const;
  const subject = view.session.id;
  const op = clinic.kv.atomic();
  auditIn(op, { actor, action: "report.viewed", subject });
  if (view.note) auditIn(op, { actor, action: "note.viewed", subject });
  await op.commit();
}
