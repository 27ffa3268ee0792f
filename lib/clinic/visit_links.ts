/**
 * Re-issuing the links a patient holds: the visit's link and the patient's
 * personal page. Each new link stops the old one at once; only the visit's
 * own doctor can do it, and it is audited.
 *
 * @module
 */
import { randomToken } from "@/lib/auth/tokens.ts";
import type { Clinic } from "@/lib/config.ts";
import { HttpError } from "@/lib/http/errors.ts";
import type { Doctor } from "@/lib/store/doctors.ts";
import { reissuePatientLink } from "@/lib/store/patients.ts";
import { patientDashboardUrl, visitUrl } from "./appointment_views.ts";
import type { ChangeGuard } from "./visit_lifecycle.ts";
import {
  changeAppointment,
  doctorsAppointment,
  refuseIfCancelled,
  type ScheduledVisit,
} from "./scheduling.ts";

/**
 * A new visit link; the old one stops working at once. `guard` refuses a
 * visit whose link could no longer open it (over, or cancelled).
 */
export async function reissueVisitLink(
  clinic: Clinic,
  doctor: Doctor,
  id: string,
  guard: ChangeGuard,
): Promise<ScheduledVisit> {
  const token = randomToken();
  const appointment = await changeAppointment(
    clinic,
    doctor,
    id,
    (a) => {
      refuseIfCancelled(a, "A cancelled appointment has no visit link.");
      return a;
    },
    "appointment.link_reissued",
    undefined,
    token,
    { kind: "link", visitToken: token },
    guard,
  );
  return { appointment, visitUrl: visitUrl(clinic, token) };
}

/**
 * A new personal page link for the visit's patient; the old one stops
 * working. Only the patient's own doctor can do it, and it is audited.
 */
export async function reissuePatientDashboardLink(
  clinic: Clinic,
  doctor: Doctor,
  appointmentId: string,
): Promise<string> {
  const { value } = await doctorsAppointment(clinic, doctor, appointmentId);
  const token = randomToken();
  const reissued = await reissuePatientLink(
    clinic.kv,
    doctor.id,
    value.patientId,
    {
      token,
      validMs: clinic.config.patientLinkMs,
      actor: { kind: "doctor", id: doctor.id },
    },
  );
  if (reissued === null) {
    throw new HttpError(
      409,
      "conflict",
      "This patient's personal page cannot be re-issued from this visit; try again, or book the patient anew.",
    );
  }
  return patientDashboardUrl(clinic, token);
}
