/**
 * An appointment as it is shown outside the clinic's pages: the links given
 * to the patient, and the API's JSON.
 *
 * @module
 */
import type { Clinic, ClinicConfig } from "@/lib/config.ts";
import type { Appointment, Versioned } from "@/lib/store/appointments.ts";
import type { VisitState } from "./visit_lifecycle.ts";
import { joinOpensAt, scheduledEnd, windowEnd } from "./visit_window.ts";

export function visitUrl(clinic: Clinic, token: string) {
  return `${clinic.config.publicUrl}/visit/${token}`;
}

export function patientDashboardUrl(clinic: Clinic, token: string) {
  return `${clinic.config.publicUrl}/patient/${token}`;
}

/**
 * The API's view of an appointment, with where it stands (`lifecycle`,
 * read by `lib/sessions/visit_state.ts`).
 */
export function appointmentJson(
  { value: a, version }: Versioned<Appointment>,
  links: { visitUrl?: string; patientDashboardUrl?: string } = {},
  config: Pick<ClinicConfig, "language" | "timeZone">,
  lifecycle: VisitState,
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
    lifecycle,
    // The patient's own, or the clinic's when none was given.
    patientLanguage: a.language ?? config.language,
    patientTimeZone: a.timeZone ?? config.timeZone,
    joinOpensAt: iso(joinOpensAt(a)),
    visitWindowEndsAt: iso(windowEnd(a)),
    version,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
    ...links,
  };
}
