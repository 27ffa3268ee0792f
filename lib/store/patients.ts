/**
 * Patient records. A patient belongs to the doctor who created the record:
 * nobody is ever matched on an email (it is not verified, and a typo would
 * join two people). A doctor books a returning patient by choosing the
 * record explicitly, so a patient's personal page only ever shows the visits
 * and notes of that one doctor.
 *
 * @module
 */
import { z } from "zod";
import { hashToken } from "./ids.ts";
import { type Actor, auditIn } from "./audit.ts";
import { keys } from "./keys.ts";
import { type Language, LANGUAGES } from "@/lib/i18n/languages.ts";

export const patientSchema = z.object({
  id: z.string(),
  /** The doctor whose patient this is; missing only on records made before. */
  doctorId: z.string().optional(),
  name: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  linkTokenHash: z.string(),
  /** When the personal link stops working; missing on records made before. */
  linkExpiresAt: z.number().optional(),
  /** The language the patient chose on their personal page. */
  language: z.enum(LANGUAGES).optional(),
  createdAt: z.number(),
});
export type Patient = z.infer<typeof patientSchema>;

/**
 * A personal link's entry outlives the link by this long, so that its
 * holder can be told it expired or was replaced rather than that it never
 * existed. Whether it opens the page is decided from the record.
 */
export const PATIENT_LINK_ENTRY_KEPT_MS = 30 * 24 * 3_600_000;

/** The patient as a doctor's listing holds it. */
export type PatientSummary = Pick<Patient, "id" | "name" | "email">;

/**
 * Adds a new patient record, its personal link and the doctor's index to an
 * atomic operation.
 */
export function addPatient(
  op: Deno.AtomicOperation,
  patient: Patient & { doctorId: string; linkExpiresAt: number },
  now: number,
) {
  return op
    .check({ key: keys.patient(patient.id), versionstamp: null })
    .set(keys.patient(patient.id), patient)
    .set(keys.patientLink(patient.linkTokenHash), patient.id, {
      expireIn: Math.max(
        patient.linkExpiresAt + PATIENT_LINK_ENTRY_KEPT_MS - now,
        1,
      ),
    })
    .set(keys.patientByDoctor(patient.doctorId, patient.id), summary(patient));
}

function summary(p: Patient): PatientSummary {
  return { id: p.id, name: p.name, ...(p.email ? { email: p.email } : {}) };
}

export async function getPatient(
  kv: Deno.Kv,
  id: string,
): Promise<Patient | null> {
  const entry = await kv.get(keys.patient(id));
  return entry.value === null ? null : patientSchema.parse(entry.value);
}

/** The doctor's own patient, or null (also for another doctor's patient). */
export async function getDoctorsPatient(
  kv: Deno.Kv,
  doctorId: string,
  patientId: string,
): Promise<Deno.KvEntry<Patient> | null> {
  const entry = await kv.get(keys.patient(patientId));
  if (entry.value === null) return null;
  const patient = patientSchema.parse(entry.value);
  if (patient.doctorId !== doctorId) return null;
  return { ...entry, value: patient };
}

/**
 * The patient whose personal link this is, while the link is valid. A record
 * without an owning doctor opens nothing: its visits may be several doctors'.
 */
export async function findPatientByLink(
  kv: Deno.Kv,
  token: string,
  now = Date.now(),
): Promise<(Patient & { doctorId: string }) | null> {
  const tokenHash = await hashToken(token);
  const id = await kv.get<string>(keys.patientLink(tokenHash));
  if (id.value === null) return null;
  const patient = await getPatient(kv, id.value);
  if (!patient || patient.linkTokenHash !== tokenHash) return null;
  if (patient.doctorId === undefined) return null;
  if (patient.linkExpiresAt === undefined || now >= patient.linkExpiresAt) {
    return null;
  }
  return { ...patient, doctorId: patient.doctorId };
}

/** What a personal link's entry leads to, whether or not it still opens it. */
export interface PatientLinkEntry {
  patient: Patient;
  /** The patient's current link: a newer one has not replaced it. */
  current: boolean;
}

/**
 * The patient a personal link was issued to, as long as its entry is kept
 * (`PATIENT_LINK_ENTRY_KEPT_MS` past the link's end). Whether it still opens
 * the page is `findPatientByLink`'s rule.
 */
export async function findPatientLink(
  kv: Deno.Kv,
  token: string,
): Promise<PatientLinkEntry | null> {
  const tokenHash = await hashToken(token);
  const id = await kv.get<string>(keys.patientLink(tokenHash));
  if (id.value === null) return null;
  const patient = await getPatient(kv, id.value);
  if (!patient) return null;
  return { patient, current: patient.linkTokenHash === tokenHash };
}

/**
 * Records the language the holder of the patient's current personal link
 * chose, and nothing else; audited with the patient as the actor. The
 * language already chosen writes nothing. Answers false if the record
 * changed meanwhile, or its link was replaced since `opened` was read.
 */
export async function setPatientLanguage(
  kv: Deno.Kv,
  opened: Pick<Patient, "id" | "linkTokenHash">,
  language: Language,
  now = Date.now(),
  alsoWrite?: (op: Deno.AtomicOperation) => Promise<void>,
): Promise<boolean> {
  const entry = await kv.get(keys.patient(opened.id));
  if (entry.value === null) return false;
  const patient = patientSchema.parse(entry.value);
  // A link replaced since its page was opened authorises nothing.
  if (patient.linkTokenHash !== opened.linkTokenHash) return false;
  if (patient.language === language) return true;
  const op = kv.atomic()
    .check(entry)
    .set(keys.patient(patient.id), { ...patient, language });
  await alsoWrite?.(op);
  auditIn(op, {
    actor: { kind: "patient", id: patient.id },
    action: "patient.language_changed",
    subject: patient.id,
    detail: language,
    at: now,
  });
  return (await op.commit()).ok;
}

export interface LinkReissue {
  token: string;
  /** How long the new link stays valid. */
  validMs: number;
  actor: Actor;
  now?: number;
}

/**
 * Gives the doctor's patient a new personal link; the old one stops working.
 * The audit entry is written in the same operation. Answers the new expiry,
 * or null when the record is not the doctor's or changed meanwhile.
 */
export async function reissuePatientLink(
  kv: Deno.Kv,
  doctorId: string,
  patientId: string,
  reissue: LinkReissue,
): Promise<number | null> {
  const now = reissue.now ?? Date.now();
  const entry = await getDoctorsPatient(kv, doctorId, patientId);
  if (entry === null) return null;
  const patient = entry.value;
  const tokenHash = await hashToken(reissue.token);
  const linkExpiresAt = now + reissue.validMs;
  // The old link's entry stays until it expires: the record's
  // `linkTokenHash` no longer matches it, which is what stops it.
  const op = kv.atomic()
    .check(entry)
    .set(keys.patientLink(tokenHash), patient.id, {
      expireIn: reissue.validMs + PATIENT_LINK_ENTRY_KEPT_MS,
    })
    .set(keys.patient(patient.id), {
      ...patient,
      linkTokenHash: tokenHash,
      linkExpiresAt,
    });
  auditIn(op, {
    actor: reissue.actor,
    action: "patient.link_reissued",
    subject: patient.id,
    at: now,
  });
  return (await op.commit()).ok ? linkExpiresAt : null;
}
