/**
 * How patients see their doctor named: "Ada Lovelace, Family physician",
 * or the name alone when the doctor has set no title. One place, so the
 * visit page, the personal page and the call all say the same.
 *
 * @module
 */
import type { Doctor } from "@/lib/store/doctors.ts";

export function doctorLabel(doctor: Pick<Doctor, "name" | "title">): string {
  return doctor.title ? `${doctor.name}, ${doctor.title}` : doctor.name;
}

/** `doctorLabel` of a record that may be gone: `undefined` then. */
export function labelOf(
  doctor: Pick<Doctor, "name" | "title"> | null,
): string | undefined {
  return doctor ? doctorLabel(doctor) : undefined;
}
