/**
 * The facts every mail about a visit is written from: the clinic, the
 * doctor as patients see them, and the patient's language and zone.
 *
 * @module
 */
import type { Clinic } from "@/lib/config.ts";
import { inviteSequence, inviteUid } from "@/lib/clinic/visit_invite.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import { getDoctor } from "@/lib/store/doctors.ts";
import type { VisitMailFacts } from "./messages.ts";

/** What every mail about a visit needs, but its link. */
export async function visitMailFacts(
  clinic: Clinic,
  a: Appointment,
): Promise<Omit<VisitMailFacts, "visitUrl">> {
  const { config } = clinic;
  const doctor = await getDoctor(clinic.kv, a.doctorId);
  return {
    clinicName: config.clinicName,
    ...(config.clinicPhone ? { clinicPhone: config.clinicPhone } : {}),
    ...(config.clinicEmail ? { clinicEmail: config.clinicEmail } : {}),
    doctor: doctor
      ? { name: doctor.name, ...(doctor.title ? { title: doctor.title } : {}) }
      : { name: config.clinicName },
    patientName: a.patientName,
    appointment: a,
    language: a.language ?? config.language,
    timeZone: a.timeZone ?? config.timeZone,
    icsUid: inviteUid(clinic, a),
    sequence: inviteSequence(a),
  };
}
