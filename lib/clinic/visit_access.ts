/**
 * What the holder of a visit link may see: the visit it opens and its
 * doctor, while the link is valid. Anything else is the same 404, so a
 * guessed, revoked or expired link reveals nothing.
 *
 * @module
 */
import { TOKEN_PATTERN } from "@/lib/auth/tokens.ts";
import { notFound } from "@/lib/http/errors.ts";
import type { Clinic } from "@/lib/config.ts";
import {
  type Appointment,
  findByVisitToken,
} from "@/lib/store/appointments.ts";
import { type Doctor, getDoctor } from "@/lib/store/doctors.ts";
import { windowEnd } from "./visit_window.ts";

export interface OpenVisit {
  appointment: Appointment;
  doctor: Doctor;
}

export async function openVisit(
  clinic: Clinic,
  token: string,
  now = Date.now(),
): Promise<OpenVisit> {
  const found = TOKEN_PATTERN.test(token)
    ? await findByVisitToken(clinic.kv, token)
    : null;
  // The link ends with the visit window, even before KV expires its entry.
  const appointment = found && now < windowEnd(found) ? found : null;
  const doctor = appointment
    ? await getDoctor(clinic.kv, appointment.doctorId)
    : null;
  if (!appointment || !doctor) throw notFound("This visit link");
  return { appointment, doctor };
}
