/**
 * Past and current sessions, as the doctor and the patient see them: one
 * page of an index, newest first, read in one range read whatever the
 * clinic's size. Open sessions on the page are settled first, so a call
 * everyone left long ago shows as ended.
 *
 * @module
 */
import { ID_PATTERN } from "@/lib/store/ids.ts";
import { notFound } from "@/lib/http/errors.ts";
import type { ClinicWithCalls } from "./live_calls.ts";
import { audit } from "@/lib/store/audit.ts";
import type { Doctor } from "@/lib/store/doctors.ts";
import { keys } from "@/lib/store/keys.ts";
import { listPage, type Page } from "@/lib/store/kv.ts";
import { currentSession, settle } from "./close.ts";
import {
  type Session,
  type SessionSummary,
  sessionSummarySchema,
  summaryOf,
} from "./session.ts";

export interface HistoryFilter {
  patientId?: string;
  /** First-join times from here (inclusive), ms. */
  from?: number;
  /** First-join times before here (exclusive), ms. */
  to?: number;
  limit: number;
  cursor?: string;
}

async function settled(
  clinic: ClinicWithCalls,
  page: Page<SessionSummary>,
): Promise<Page<SessionSummary>> {
  const items = await Promise.all(page.items.map(async (s) => {
    if (s.status === "closed") return s;
    const now = await settle(
      clinic.kv,
      clinic.config,
      clinic.signaling.presence,
      s,
    );
    // A session closed just now comes back whole; the listing holds summaries.
    return "timeline" in now ? summaryOf(now) : now;
  }));
  return { ...page, items };
}

const parse = (entry: Deno.KvEntry<unknown>) =>
  sessionSummarySchema.parse(entry.value);

/** A doctor's sessions, optionally with one patient only, newest first. */
export async function doctorHistory(
  clinic: ClinicWithCalls,
  doctorId: string,
  filter: HistoryFilter,
) {
  const prefix = filter.patientId
    ? keys.sessionsByDoctorPatient(doctorId, filter.patientId)
    : keys.sessionsByDoctor(doctorId);
  return await settled(
    clinic,
    await listPage(clinic.kv, prefix, { ...filter, reverse: true }, parse),
  );
}

/** A patient's own sessions, newest first. */
export async function patientHistory(
  clinic: ClinicWithCalls,
  patientId: string,
  filter: Omit<HistoryFilter, "patientId">,
) {
  return await settled(
    clinic,
    await listPage(
      clinic.kv,
      keys.sessionsByPatient(patientId),
      { ...filter, reverse: true },
      parse,
    ),
  );
}

/** The doctor's own session, settled; a 404 for anyone else's or none. */
export async function doctorsSession(
  clinic: ClinicWithCalls,
  doctor: Doctor,
  id: string,
): Promise<Session> {
  const session = ID_PATTERN.test(id)
    ? await currentSession(
      clinic.kv,
      clinic.config,
      clinic.signaling.presence,
      id,
    )
    : null;
  if (!session || session.doctorId !== doctor.id) {
    throw notFound("That session");
  }
  return session;
}

/**
 * Records that a doctor read (or exported) a listing of visits, with the
 * filter in ids and dates only: the audit trail holds no patient's name.
 */
export async function recordHistoryRead(
  clinic: ClinicWithCalls,
  doctor: Doctor,
  action: "sessions.listed" | "history.exported",
  filter: { patientId?: string; from?: number; to?: number },
) {
  const parts = [
    filter.patientId ? `patient ${filter.patientId}` : "all patients",
    ...(filter.from !== undefined
      ? [`from ${new Date(filter.from).toISOString()}`]
      : []),
    ...(filter.to !== undefined
      ? [`to ${new Date(filter.to).toISOString()}`]
      : []),
  ];
  await audit(clinic.kv, {
    actor: { kind: "doctor", id: doctor.id },
    action,
    subject: doctor.id,
    detail: parts.join(", "),
  });
}
