/**
 * Everything the doctor's report page and the report API show for one
 * session, read together; reading it is written to the audit trail.
 *
 * @module
 */
import { readChat } from "../signaling/chat_log.ts";
import type { ChatLine, Role } from "../signaling/protocol.ts";
import type { Clinic } from "../state.ts";
import { audit } from "../store/audit.ts";
import type { Doctor } from "../store/doctors.ts";
import { type QualitySummary, readQuality } from "./call_quality.ts";
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
}

export async function viewReport(
  clinic: Clinic,
  doctor: Doctor,
  id: string,
): Promise<ReportView> {
  const { kv } = clinic;
  const session = await doctorsSession(clinic, doctor, id);
  const report = session.status === "closed" ? await readReport(kv, id) : null;
  const chatKept = report?.chatKept ?? clinic.config.chatKept === "report";
  const [quality, chat, note, versions] = await Promise.all([
    report?.quality ?? readQuality(kv, id),
    chatKept ? readChat(kv, id) : null,
    readNote(kv, id),
    noteVersions(kv, id),
  ]);
  const actor = { kind: "doctor", id: doctor.id } as const;
  await audit(kv, { actor, action: "report.viewed", subject: id });
  if (note) await audit(kv, { actor, action: "note.viewed", subject: id });
  return {
    session: report?.session ?? session,
    report,
    quality,
    chat,
    note,
    versions,
  };
}
