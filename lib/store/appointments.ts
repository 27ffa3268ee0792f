/**
 * Appointments in Deno KV. Every write touches the record and its indexes
 * (by doctor and start, by patient and start, visit-link hash) in one atomic
 * operation; updates are checked against the versionstamp they read.
 *
 * @module
 */
import { z } from "zod";
import { hashToken, newId } from "./ids.ts";
import { type Actor, type AuditAction, auditIn } from "./audit.ts";
import { keys } from "./keys.ts";
import { type Language, LANGUAGES } from "@/lib/i18n/languages.ts";
import { ConflictError, MAX_ATTEMPTS } from "./kv.ts";
import { addPatient, getDoctorsPatient, type Patient } from "./patients.ts";

export const appointmentSchema = z.object({
  id: z.string(),
  doctorId: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  reason: z.string(),
  startsAt: z.number(),
  durationMinutes: z.number(),
  status: z.enum(["scheduled", "cancelled"]),
  visitTokenHash: z.string(),
  /** The patient's language for pages, the call and mail; else the clinic's. */
  language: z.enum(LANGUAGES).optional(),
  /** The patient's time zone for times in mail; else the clinic's. */
  timeZone: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Appointment = z.infer<typeof appointmentSchema>;

/** An appointment with the versionstamp it was read at. */
export interface Versioned<T> {
  value: T;
  version: string;
}

/** Who the visit is for: one of the doctor's patients, or a new one. */
export type PatientChoice =
  | { existingId: string }
  | { name: string; email?: string; phone?: string };

export interface NewAppointment {
  doctorId: string;
  patient: PatientChoice;
  reason: string;
  startsAt: number;
  durationMinutes: number;
  language?: Language;
  timeZone?: string;
}

export interface CreatedAppointment {
  appointment: Versioned<Appointment>;
  patient: Patient;
  /** Set when the patient record was made now: its link is shown once. */
  patientLinkToken?: string;
}

/** The chosen patient is not one of this doctor's; nothing was written. */
export class UnknownPatientError extends Error {
  override name = "UnknownPatientError";
  constructor() {
    super("That patient is not one of yours.");
  }
}

function writeIndexes(op: Deno.AtomicOperation, a: Appointment) {
  return op
    .set(keys.appointment(a.id), a)
    .set(keys.appointmentByDoctor(a.doctorId, a.startsAt, a.id), a)
    .set(keys.appointmentByPatient(a.patientId, a.startsAt, a.id), a);
}

function deleteIndexes(op: Deno.AtomicOperation, a: Appointment) {
  return op
    .delete(keys.appointmentByDoctor(a.doctorId, a.startsAt, a.id))
    .delete(keys.appointmentByPatient(a.patientId, a.startsAt, a.id));
}

/**
 * When a visit link stops working: the clinic's rule (the end of the visit
 * window), given by the caller, for the appointment as it now stands. Its
 * entry is kept `LINK_ENTRY_KEPT_MS` longer.
 */
export type LinkEnd = (appointment: Appointment) => number;

/**
 * A visit link's entry outlives the link by this long, so that its holder
 * can be told why it stopped working (cancelled, replaced, expired) rather
 * than that it never existed. Whether it still opens the visit is decided
 * from the appointment, never from the entry being there.
 */
export const LINK_ENTRY_KEPT_MS = 30 * 24 * 3_600_000;

function linkExpiry(endsAt: number, now: number) {
  return Math.max(endsAt + LINK_ENTRY_KEPT_MS - now, 60_000);
}

/**
 * More writes for the operation that creates an appointment (the mail it
 * queues), so they are saved with it or not at all.
 */
export type AlsoWriteNew = (
  op: Deno.AtomicOperation,
  appointment: Appointment,
  patient: Patient,
  now: number,
) => void;

/**
 * Creates the appointment, and the patient if it is a new one, in one
 * atomic operation. An existing patient must be the doctor's own.
 */
export async function createAppointment(
  kv: Deno.Kv,
  input: NewAppointment,
  tokens: {
    visit: string;
    patientLink: string;
    patientLinkValidMs: number;
    visitLinkEnds: LinkEnd;
  },
  actor: Actor = { kind: "doctor", id: input.doctorId },
  alsoWrite?: AlsoWriteNew,
): Promise<CreatedAppointment> {
  const visitTokenHash = await hashToken(tokens.visit);
  const linkTokenHash = await hashToken(tokens.patientLink);
  const choice = input.patient;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = Date.now();
    const op = kv.atomic();
    let patient: Patient;
    if ("existingId" in choice) {
      const found = await getDoctorsPatient(
        kv,
        input.doctorId,
        choice.existingId,
      );
      if (found === null) throw new UnknownPatientError();
      op.check(found);
      patient = found.value;
    } else {
      const created = {
        id: newId(),
        doctorId: input.doctorId,
        name: choice.name,
        ...(choice.email ? { email: choice.email.toLowerCase() } : {}),
        ...(choice.phone ? { phone: choice.phone } : {}),
        linkTokenHash,
        linkExpiresAt: now + tokens.patientLinkValidMs,
        createdAt: now,
      };
      addPatient(op, created, now);
      patient = created;
    }
    const appointment: Appointment = {
      id: newId(),
      doctorId: input.doctorId,
      patientId: patient.id,
      patientName: patient.name,
      reason: input.reason,
      startsAt: input.startsAt,
      durationMinutes: input.durationMinutes,
      status: "scheduled",
      visitTokenHash,
      ...(input.language ? { language: input.language } : {}),
      ...(input.timeZone ? { timeZone: input.timeZone } : {}),
      createdAt: now,
      updatedAt: now,
    };
    writeIndexes(op, appointment)
      .check({ key: keys.visitLink(visitTokenHash), versionstamp: null })
      .set(keys.visitLink(visitTokenHash), appointment.id, {
        expireIn: linkExpiry(tokens.visitLinkEnds(appointment), now),
      });
    auditIn(op, {
      actor,
      action: "appointment.created",
      subject: appointment.id,
      at: now,
    });
    alsoWrite?.(op, appointment, patient, now);
    const result = await op.commit();
    if (result.ok) {
      return {
        appointment: { value: appointment, version: result.versionstamp },
        patient,
        ...("existingId" in choice
          ? {}
          : { patientLinkToken: tokens.patientLink }),
      };
    }
  }
  throw new ConflictError("The appointment could not be saved; try again.");
}

export async function getAppointment(
  kv: Deno.Kv,
  id: string,
): Promise<Versioned<Appointment> | null> {
  const entry = await kv.get(keys.appointment(id));
  if (entry.value === null) return null;
  return {
    value: appointmentSchema.parse(entry.value),
    version: entry.versionstamp,
  };
}

/** What a visit link's entry leads to, whether or not it still opens it. */
export interface VisitLinkEntry {
  appointment: Appointment;
  /** The appointment's current link: a newer one has not replaced it. */
  current: boolean;
}

/**
 * The appointment a visit link was issued for, as long as its entry is kept
 * (`LINK_ENTRY_KEPT_MS` past the link's end), cancelled or not. Whether the
 * link still opens the visit is the clinic's rule
 * (`lib/clinic/visit_access.ts`).
 */
export async function findVisitLink(
  kv: Deno.Kv,
  token: string,
): Promise<VisitLinkEntry | null> {
  const tokenHash = await hashToken(token);
  const id = await kv.get<string>(keys.visitLink(tokenHash));
  if (id.value === null) return null;
  const found = await getAppointment(kv, id.value);
  if (!found) return null;
  return {
    appointment: found.value,
    current: found.value.visitTokenHash === tokenHash,
  };
}

export type AppointmentChange = (
  current: Appointment,
) => Appointment;

/**
 * Applies `change` atomically. With `expectedVersion`, a record changed
 * since then is a conflict; without it, a lost race is retried on the fresh
 * record so that no concurrent change is overwritten.
 */
export interface UpdateOptions {
  /** Refuse the change if the record is no longer at this version. */
  expectedVersion?: string;
  /** Replace the visit link (the old one stops working). */
  newVisitToken?: string;
  /** When the visit link stops working, for the changed appointment. */
  visitLinkEnds: LinkEnd;
  /** Who makes the change and what it is called in the audit trail. */
  audit?: { actor: Actor; action: AuditAction; detail?: string };
  /**
   * More writes for the operation that makes the change (the mail it
   * queues), so they are saved with it or not at all; called again if the
   * change is retried.
   */
  alsoWrite?: (
    op: Deno.AtomicOperation,
    before: Appointment,
    after: Appointment,
    now: number,
  ) => Promise<void> | void;
}

const CHANGED_ELSEWHERE =
  "This appointment was changed by someone else; reload to see the change.";

export async function updateAppointment(
  kv: Deno.Kv,
  id: string,
  change: AppointmentChange,
  options: UpdateOptions,
): Promise<Versioned<Appointment> | null> {
  const { expectedVersion, newVisitToken } = options;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await getAppointment(kv, id);
    if (!current) return null;
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new ConflictError(CHANGED_ELSEWHERE);
    }
    const now = Date.now();
    const next: Appointment = {
      ...change(current.value),
      id: current.value.id,
      doctorId: current.value.doctorId,
      patientId: current.value.patientId,
      updatedAt: now,
    };
    const op = kv.atomic()
      .check({ key: keys.appointment(id), versionstamp: current.version });
    deleteIndexes(op, current.value);
    // A replaced link's entry stays until it expires: the appointment's
    // `visitTokenHash` no longer matches it, which is what stops it.
    if (newVisitToken !== undefined) {
      next.visitTokenHash = await hashToken(newVisitToken);
    }
    writeIndexes(op, next);
    // Kept when cancelled too, so that its holder is told so.
    op.set(keys.visitLink(next.visitTokenHash), next.id, {
      expireIn: linkExpiry(options.visitLinkEnds(next), now),
    });
    if (options.audit) {
      auditIn(op, { ...options.audit, subject: id, at: now });
    }
    await options.alsoWrite?.(op, current.value, next, now);
    const result = await op.commit();
    if (result.ok) return { value: next, version: result.versionstamp };
    if (expectedVersion !== undefined) {
      throw new ConflictError(CHANGED_ELSEWHERE);
    }
  }
  throw new ConflictError("The appointment is busy; try again.");
}
