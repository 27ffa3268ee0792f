/**
 * Scheduling visits: the rules for what a doctor may book, change or
 * cancel, shared by the dashboard's forms and the JSON API.
 *
 * @module
 */
import { z } from "zod";
import { randomToken } from "../auth/tokens.ts";
import { HttpError, notFound } from "../http/errors.ts";
import type { Clinic } from "../config.ts";
import {
  type Appointment,
  createAppointment,
  getAppointment,
  type PatientChoice,
  UnknownPatientError,
  updateAppointment,
  type Versioned,
} from "../store/appointments.ts";
import type { AuditAction } from "../store/audit.ts";
import type { Doctor } from "../store/doctors.ts";
import { reissuePatientLink } from "../store/patients.ts";
import { ConflictError } from "../store/kv.ts";
import { joinOpensAt, scheduledEnd, windowEnd } from "./visit_window.ts";

/** How far in the past a new start may be: a visit booked for right now. */
const START_GRACE_MS = 10 * 60_000;
const LATEST_START_MS = 2 * 365 * 24 * 3_600_000;

export const ID_PATTERN = /^[0-9a-f]{32}$/;

/** The reason for a visit, as typed; no default, so "not given" stays visible. */
export const reasonText = z.string().trim().max(
  500,
  "Use at most 500 characters",
);

export const visitFields = {
  patientName: z.string().trim().min(1, "Enter the patient's name").max(
    100,
    "Use at most 100 characters",
  ),
  patientEmail: z.email("Enter a valid email address, or leave it empty")
    .max(200).optional(),
  patientPhone: z.string().trim().regex(
    /^\+?[0-9 ()-]{5,20}$/,
    "Enter a phone number with digits, spaces, + ( ) or -",
  ).optional(),
  reason: reasonText.default(""),
  durationMinutes: z.coerce.number({ error: "Enter the length in minutes" })
    .int("Use whole minutes").min(5, "At least 5 minutes").max(
      240,
      "At most 240 minutes",
    ),
};

/** A visit as the scheduling rules take it, whatever form it came in. */
export interface VisitInput {
  /** One of the doctor's own patients; then the patient fields are unused. */
  patientId?: string;
  patientName?: string;
  patientEmail?: string;
  patientPhone?: string;
  reason: string;
  durationMinutes: number;
  startsAt: number;
}

export interface VisitChange {
  startsAt?: number;
  durationMinutes?: number;
  reason?: string;
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

export function visitUrl(clinic: Clinic, token: string) {
  return `${clinic.config.publicUrl}/visit/${token}`;
}

export function patientDashboardUrl(clinic: Clinic, token: string) {
  return `${clinic.config.publicUrl}/patient/${token}`;
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
    created = await createAppointment(clinic.kv, {
      doctorId: doctor.id,
      patient,
      reason: input.reason,
      startsAt: input.startsAt,
      durationMinutes: input.durationMinutes,
    }, tokens);
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

async function change(
  clinic: Clinic,
  doctor: Doctor,
  id: string,
  apply: (a: Appointment) => Appointment,
  action: AuditAction,
  version?: string,
  newVisitToken?: string,
): Promise<Versioned<Appointment>> {
  await doctorsAppointment(clinic, doctor, id);
  try {
    const updated = await updateAppointment(clinic.kv, id, apply, {
      expectedVersion: version,
      newVisitToken,
      visitLinkEnds: windowEnd,
      audit: { actor: { kind: "doctor", id: doctor.id }, action },
    });
    if (!updated) throw notFound("That appointment");
    return updated;
  } catch (error) {
    if (error instanceof ConflictError) {
      throw new HttpError(409, "conflict", error.message);
    }
    throw error;
  }
}

export function rescheduleVisit(
  clinic: Clinic,
  doctor: Doctor,
  id: string,
  visitChange: VisitChange,
  version?: string,
  now = Date.now(),
) {
  if (visitChange.startsAt !== undefined) checkStart(visitChange.startsAt, now);
  return change(
    clinic,
    doctor,
    id,
    (a) => {
      if (a.status === "cancelled") {
        throw new HttpError(
          409,
          "cancelled",
          "A cancelled appointment cannot be changed.",
        );
      }
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
  );
}

/** Cancels the visit; its link stops working. Cancelling twice is a no-op. */
export function cancelVisit(
  clinic: Clinic,
  doctor: Doctor,
  id: string,
  version?: string,
) {
  return change(
    clinic,
    doctor,
    id,
    (a) => ({ ...a, status: "cancelled" }),
    "appointment.cancelled",
    version,
  );
}

/** A new visit link; the old one stops working at once. */
export async function reissueVisitLink(
  clinic: Clinic,
  doctor: Doctor,
  id: string,
): Promise<ScheduledVisit> {
  const token = randomToken();
  const appointment = await change(
    clinic,
    doctor,
    id,
    (a) => {
      if (a.status === "cancelled") {
        throw new HttpError(
          409,
          "cancelled",
          "A cancelled appointment has no visit link.",
        );
      }
      return a;
    },
    "appointment.link_reissued",
    undefined,
    token,
  );
  return { appointment, visitUrl: visitUrl(clinic, token) };
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
