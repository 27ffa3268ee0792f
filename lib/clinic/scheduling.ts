/**
 * Scheduling visits: the rules for what a doctor may book, change or
 * cancel, shared by the dashboard's forms and the JSON API.
 *
 * @module
 */
import { randomToken } from "@/lib/auth/tokens.ts";
import { HttpError, notFound } from "@/lib/http/errors.ts";
import type { Clinic } from "@/lib/config.ts";
import type { Language } from "@/lib/i18n/languages.ts";
import {
  type Appointment,
  createAppointment,
  getAppointment,
  type PatientChoice,
  UnknownPatientError,
  updateAppointment,
  type Versioned,
} from "@/lib/store/appointments.ts";
import type { AuditAction } from "@/lib/store/audit.ts";
import type { Doctor } from "@/lib/store/doctors.ts";
import { ID_PATTERN } from "@/lib/store/ids.ts";
import { ConflictError } from "@/lib/store/kv.ts";
import {
  mailForChange,
  mailForNewVisit,
  skipSuperseded,
  type VisitMailChange,
} from "@/lib/mail/visit_events.ts";
import { patientDashboardUrl, visitUrl } from "./appointment_views.ts";
import type { ChangeGuard } from "./visit_lifecycle.ts";
import { windowEnd } from "./visit_window.ts";

/** How far in the past a new start may be: a visit booked for right now. */
const START_GRACE_MS = 10 * 60_000;
const LATEST_START_MS = 2 * 365 * 24 * 3_600_000;

/** A visit as the scheduling rules take it, whatever form it came in. */
export interface VisitInput {
  /** One of the doctor's own patients; then the patient fields are unused. */
  patientId?: string;
  patientName?: string;
  patientEmail?: string;
  patientPhone?: string;
  /** The patient's language and time zone; else the clinic's. */
  patientLanguage?: Language;
  patientTimeZone?: string;
  reason: string;
  durationMinutes: number;
  startsAt: number;
}

export interface VisitChange {
  startsAt?: number;
  durationMinutes?: number;
  reason?: string;
  /** Sent to the patient with the notice of the new time, if mail is on. */
  message?: string;
}

function checkStart(startsAt: number, now: number) {
  if (startsAt < now - START_GRACE_MS) {
    throw new HttpError(
      400,
      "invalid_input",
      "Some fields are missing or invalid.",
      {
        startsAt: "Choose a time that has not passed",
      },
    );
  }
  if (startsAt > now + LATEST_START_MS) {
    throw new HttpError(
      400,
      "invalid_input",
      "Some fields are missing or invalid.",
      {
        startsAt: "Choose a time within the next two years",
      },
    );
  }
}

export interface ScheduledVisit {
  appointment: Versioned<Appointment>;
  visitUrl: string;
  /** Only for a new patient: their personal link, shown this once. */
  patientDashboardUrl?: string;
}

export async function scheduleVisit(
  clinic: Clinic,
  doctor: Doctor,
  input: VisitInput,
  now = Date.now(),
): Promise<ScheduledVisit> {
  checkStart(input.startsAt, now);
  const patient: PatientChoice = input.patientId !== undefined
    ? { existingId: input.patientId }
    : {
      name: input.patientName ?? "",
      email: input.patientEmail,
      phone: input.patientPhone,
    };
  const tokens = {
    visit: randomToken(),
    patientLink: randomToken(),
    patientLinkValidMs: clinic.config.patientLinkMs,
    visitLinkEnds: windowEnd,
  };
  let created;
  try {
    created = await createAppointment(
      clinic.kv,
      {
        doctorId: doctor.id,
        patient,
        reason: input.reason,
        startsAt: input.startsAt,
        durationMinutes: input.durationMinutes,
        language: input.patientLanguage,
        timeZone: input.patientTimeZone,
      },
      tokens,
      undefined,
      (op, appointment, patient, at) =>
        mailForNewVisit(
          clinic.config,
          op,
          appointment,
          patient.email,
          tokens.visit,
          at,
        ),
    );
  } catch (error) {
    if (!(error instanceof UnknownPatientError)) throw error;
    throw new HttpError(
      400,
      "invalid_input",
      "Some fields are missing or invalid.",
      { patientId: "Choose one of your own patients" },
    );
  }
  return {
    appointment: created.appointment,
    visitUrl: visitUrl(clinic, tokens.visit),
    ...(created.patientLinkToken
      ? {
        patientDashboardUrl: patientDashboardUrl(
          clinic,
          created.patientLinkToken,
        ),
      }
      : {}),
  };
}

/** The doctor's own appointment, or a 404 (also for other doctors' ones). */
export async function doctorsAppointment(
  clinic: Clinic,
  doctor: Doctor,
  id: string,
): Promise<Versioned<Appointment>> {
  const found = ID_PATTERN.test(id)
    ? await getAppointment(clinic.kv, id)
    : null;
  if (!found || found.value.doctorId !== doctor.id) {
    throw notFound("That appointment");
  }
  return found;
}

export async function changeAppointment(
  clinic: Clinic,
  doctor: Doctor,
  id: string,
  apply: (a: Appointment) => Appointment,
  action: AuditAction,
  version?: string,
  newVisitToken?: string,
  mail?: VisitMailChange,
  guard?: ChangeGuard,
): Promise<Versioned<Appointment>> {
  await doctorsAppointment(clinic, doctor, id);
  try {
    const updated = await updateAppointment(clinic.kv, id, apply, {
      expectedVersion: version,
      newVisitToken,
      visitLinkEnds: windowEnd,
      audit: { actor: { kind: "doctor", id: doctor.id }, action },
      alsoWrite: async (op, before, after, now) => {
        // The visit's state is checked on the record this write replaces.
        await guard?.(op, before, now);
        if (mail) {
          await mailForChange(
            clinic.kv,
            clinic.config,
            op,
            before,
            after,
            mail,
            now,
          );
        }
      },
    });
    if (!updated) throw notFound("That appointment");
    if (mail) await skipSuperseded(clinic.kv, updated.value);
    return updated;
  } catch (error) {
    if (error instanceof ConflictError) {
      throw new HttpError(409, "conflict", error.message);
    }
    throw error;
  }
}

/** A cancelled visit stays as it was: changing it is a conflict. */
export function refuseIfCancelled(a: Appointment, message: string) {
  if (a.status === "cancelled") throw new HttpError(409, "cancelled", message);
}

/**
 * Moves the visit or changes its reason; `guard` refuses it when the
 * visit's state does not allow it (its call has begun, it is over).
 */
export function rescheduleVisit(
  clinic: Clinic,
  doctor: Doctor,
  id: string,
  visitChange: VisitChange,
  guard: ChangeGuard,
  version?: string,
  now = Date.now(),
) {
  if (visitChange.startsAt !== undefined) checkStart(visitChange.startsAt, now);
  return changeAppointment(
    clinic,
    doctor,
    id,
    (a) => {
      refuseIfCancelled(a, "A cancelled appointment cannot be changed.");
      return {
        ...a,
        ...(visitChange.startsAt !== undefined
          ? { startsAt: visitChange.startsAt }
          : {}),
        ...(visitChange.durationMinutes !== undefined
          ? { durationMinutes: visitChange.durationMinutes }
          : {}),
        ...(visitChange.reason !== undefined
          ? { reason: visitChange.reason }
          : {}),
      };
    },
    "appointment.changed",
    version,
    undefined,
    { kind: "rescheduled", message: visitChange.message },
    guard,
  );
}

/**
 * Cancels the visit; its link stops working, and the patient is told (with
 * the doctor's `reason`) if mail is on. Cancelling twice is a no-op; `guard`
 * refuses a visit that is going on or over.
 */
export function cancelVisit(
  clinic: Clinic,
  doctor: Doctor,
  id: string,
  guard: ChangeGuard,
  version?: string,
  reason?: string,
) {
  return changeAppointment(
    clinic,
    doctor,
    id,
    (a) => ({ ...a, status: "cancelled" }),
    "appointment.cancelled",
    version,
    undefined,
    { kind: "cancelled", reason },
    guard,
  );
}
