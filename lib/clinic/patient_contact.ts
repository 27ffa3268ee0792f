/**
 * How the doctor reaches the patient outside the call: the email and phone
 * on the patient's record, shown on the visit's page and in its report so
 * the doctor can call when the video fails. Only the patient's own doctor
 * reads them; the links they become are built from the validated values.
 *
 * @module
 */
import { getDoctorsPatient } from "@/lib/store/patients.ts";

export interface PatientContact {
  email?: string;
  phone?: string;
}

/** The contact of the doctor's own patient; nothing for anyone else's. */
export async function patientContact(
  kv: Deno.Kv,
  doctorId: string,
  patientId: string,
): Promise<PatientContact> {
  const entry = await getDoctorsPatient(kv, doctorId, patientId);
  if (!entry) return {};
  const { email, phone } = entry.value;
  return { ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
}

/** A `mailto:` link to exactly this address, with nothing added to it. */
export function mailtoHref(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 0) return `mailto:${encodeURIComponent(email)}`;
  // Each part is encoded, so a stored "?" or "&" cannot add a subject or body.
  return `mailto:${encodeURIComponent(email.slice(0, at))}@${
    encodeURIComponent(email.slice(at + 1))
  }`;
}

/** A `tel:` link: the digits with a leading "+", spaces and brackets dropped. */
export function telHref(phone: string): string {
  const digits = phone.replace(/[^0-9]/g, "");
  return `tel:${phone.trim().startsWith("+") ? "+" : ""}${digits}`;
}
