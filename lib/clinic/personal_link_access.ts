/**
 * What the holder of a patient's personal link may see: that patient's own
 * page, while the link is the newest one and has not expired. Otherwise the
 * patient is told why (`link_problem.ts`); a guessed or malformed link
 * learns nothing about anyone.
 *
 * @module
 */
import { TOKEN_PATTERN } from "@/lib/auth/tokens.ts";
import type { Clinic } from "@/lib/config.ts";
import {
  findPatientLink,
  type Patient,
  type PatientLinkEntry,
} from "@/lib/store/patients.ts";
import { type LinkProblem, PatientLinkError } from "./link_problem.ts";

/** The rule, from the link's shape and its kept entry. */
export function personalLinkVerdict(
  wellFormed: boolean,
  entry: PatientLinkEntry | null,
  now: number,
): "open" | LinkProblem {
  if (!wellFormed) return "malformed";
  // A record without an owning doctor opens nothing: its visits may be
  // several doctors'.
  if (!entry || entry.patient.doctorId === undefined) return "unknown";
  if (!entry.current) return "replaced";
  const ends = entry.patient.linkExpiresAt;
  if (ends === undefined || now >= ends) return "expired";
  return "open";
}

/** The patient a personal link opens, or a `PatientLinkError`. */
export async function openPersonalPage(
  clinic: Clinic,
  token: string,
  now = Date.now(),
): Promise<Patient & { doctorId: string }> {
  const wellFormed = TOKEN_PATTERN.test(token);
  const entry = wellFormed ? await findPatientLink(clinic.kv, token) : null;
  const verdict = personalLinkVerdict(wellFormed, entry, now);
  if (verdict !== "open") {
    const known = verdict === "replaced" || verdict === "expired";
    throw new PatientLinkError(
      verdict,
      "personal",
      (known ? entry?.patient.language : undefined) ?? clinic.config.language,
    );
  }
  const patient = entry!.patient;
  return { ...patient, doctorId: patient.doctorId! };
}
