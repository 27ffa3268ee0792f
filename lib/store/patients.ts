/**
 * Patient records. A patient is matched on email when one is given, so the
 * same person keeps one record and one personal dashboard link; without an
 * email every appointment makes a new record.
 *
 * @module
 */
import { z } from "zod";
import { hashToken } from "../auth/tokens.ts";
import { keys } from "./keys.ts";

export const patientSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  linkTokenHash: z.string(),
  createdAt: z.number(),
});
export type Patient = z.infer<typeof patientSchema>;

export async function getPatient(
  kv: Deno.Kv,
  id: string,
): Promise<Patient | null> {
  const entry = await kv.get(keys.patient(id));
  return entry.value === null ? null : patientSchema.parse(entry.value);
}

/** The patient whose personal dashboard link this is, if any. */
export async function findPatientByLink(
  kv: Deno.Kv,
  token: string,
): Promise<Patient | null> {
  const id = await kv.get<string>(keys.patientLink(await hashToken(token)));
  return id.value === null ? null : await getPatient(kv, id.value);
}

/** Gives the patient a new personal link; the old one stops working. */
export async function reissuePatientLink(
  kv: Deno.Kv,
  patientId: string,
  token: string,
): Promise<boolean> {
  const tokenHash = await hashToken(token);
  const entry = await kv.get(keys.patient(patientId));
  if (entry.value === null) return false;
  const patient = patientSchema.parse(entry.value);
  const result = await kv.atomic()
    .check(entry)
    .delete(keys.patientLink(patient.linkTokenHash))
    .set(keys.patientLink(tokenHash), patient.id)
    .set(keys.patient(patient.id), { ...patient, linkTokenHash: tokenHash })
    .commit();
  return result.ok;
}
