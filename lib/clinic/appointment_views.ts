/**
 * An appointment as it is shown outside the clinic's pages: the links given
 * to the patient, and the API's JSON.
 *
 * @module
 */
import type { Clinic } from "@/lib/config.ts";
import type { Appointment, Versioned } from "@/lib/store/appointments.ts";
import { joinOpensAt, scheduledEnd, windowEnd } from "./visit_window.ts";

export function visitUrl(clinic: Clinic, token: string) {
  return `${clinic.config.publicUrl}/visit/${token}`;
}

export function patientDashboardUrl(clinic: Clinic, token: string) {
  return `${clinic.config.publicUrl}/patient/${token}`;
}

/** The API's view of an appointment. */
export function appointmentJson(
  { value: a, version }: Versioned<Appointment>,
  links: { visitUrl?: string; patientDashboardUrl?: string } = {},
) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: a.id,
    patient: { id: a.patientId, name: a.patientName },
    reason: a.reason,
    startsAt: iso(a.startsAt),
    endsAt: iso(scheduledEnd(a)),
    durationMinutes: a.durationMinutes,
    status: a.status,
    joinOpensAt: iso(joinOpensAt(a)),
    visitWindowEndsAt: iso(windowEnd(a)),
    version,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
    ...links,
  };
}
