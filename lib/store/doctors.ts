/**
 * Doctor accounts in Deno KV, with a unique index on email written in the
 * same atomic operation as the account.
 *
 * @module
 */
import { z } from "zod";
import { newId } from "./ids.ts";
import type { Versioned } from "./appointments.ts";
import { type Actor, type AuditAction, auditIn } from "./audit.ts";
import { keys } from "./keys.ts";
import { ConflictError, MAX_ATTEMPTS } from "./kv.ts";

export const doctorSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  /** How the doctor's name is followed for patients ("Family physician"); older records have none. */
  title: z.string().optional(),
  passwordHash: z.string(),
  isAdmin: z.boolean(),
  createdAt: z.number(),
  /** A deactivated doctor cannot sign in; older records are active. */
  active: z.boolean().default(true),
  /** Sign-ins made before this time have ended (reset, deactivation). */
  sessionsNotBefore: z.number().default(0),
});
export type Doctor = z.infer<typeof doctorSchema>;

/** Whether a sign-in made at `startedAt` still counts for this doctor. */
export function acceptsSignIn(doctor: Doctor, startedAt: number): boolean {
  return doctor.active && startedAt > doctor.sessionsNotBefore;
}

export interface NewDoctor {
  email: string;
  name: string;
  passwordHash: string;
  isAdmin: boolean;
}

/** Creates the account; `null` if the email is taken. */
export async function createDoctor(
  kv: Deno.Kv,
  input: NewDoctor,
  createdBy?: Actor,
  address?: string,
): Promise<Doctor | null> {
  const doctor: Doctor = {
    id: newId(),
    ...input,
    email: input.email.toLowerCase(),
    createdAt: Date.now(),
    active: true,
    sessionsNotBefore: 0,
  };
  const op = kv.atomic()
    .check({ key: keys.doctorByEmail(doctor.email), versionstamp: null })
    .set(keys.doctor(doctor.id), doctor)
    .set(keys.doctorByEmail(doctor.email), doctor.id);
  if (createdBy) {
    auditIn(op, {
      actor: createdBy,
      action: "doctor.created",
      subject: doctor.id,
      at: doctor.createdAt,
      address,
    });
  }
  return (await op.commit()).ok ? doctor : null;
}

/**
 * Changes an account and records who did it, in one atomic operation,
 * checked against the version read (a lost race is tried again on the
 * fresh record). `change` may refuse by throwing. `guard`, read afresh on
 * every try, may refuse by throwing too; the entry it answers must still be
 * unchanged when the change is written. With `expectedVersion`, a record
 * changed since the editor read it is refused (`ConflictError`) rather than
 * tried again, so nobody's edit is overwritten unseen.
 */
export async function updateDoctor(
  ...args: Parameters<typeof updateDoctorEntry>
): Promise<Doctor | null> {
  return (await updateDoctorEntry(...args))?.value ?? null;
}

const CHANGED_ELSEWHERE =
  "This account was changed by someone else meanwhile; it is shown as saved now.";

/** `updateDoctor`, answering the record with its new version. */
export async function updateDoctorEntry(
  kv: Deno.Kv,
  id: string,
  change: (doctor: Doctor) => Doctor,
  record: {
    actor: Actor;
    action: AuditAction;
    detail?: string;
    address?: string;
  },
  guard?: () => Promise<Deno.AtomicCheck>,
  expectedVersion?: string,
): Promise<Versioned<Doctor> | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const checked = guard ? [await guard()] : [];
    const entry = await kv.get(keys.doctor(id));
    if (entry.value === null) return null;
    if (
      expectedVersion !== undefined && entry.versionstamp !== expectedVersion
    ) {
      throw new ConflictError(CHANGED_ELSEWHERE);
    }
    const current = doctorSchema.parse(entry.value);
    const next = { ...change(current), id, email: current.email };
    const op = kv.atomic().check(entry, ...checked).set(keys.doctor(id), next);
    auditIn(op, { ...record, subject: id });
    const result = await op.commit();
    if (result.ok) return { value: next, version: result.versionstamp };
    if (expectedVersion !== undefined) {
      throw new ConflictError(CHANGED_ELSEWHERE);
    }
  }
  throw new ConflictError("The account is busy; try again.");
}

export async function getDoctor(
  kv: Deno.Kv,
  id: string,
): Promise<Doctor | null> {
  const entry = await kv.get(keys.doctor(id));
  return entry.value === null ? null : doctorSchema.parse(entry.value);
}

/** The doctor with the version read, for an edit checked against it. */
export async function getDoctorEntry(
  kv: Deno.Kv,
  id: string,
): Promise<Versioned<Doctor> | null> {
  const entry = await kv.get(keys.doctor(id));
  return entry.value === null
    ? null
    : { value: doctorSchema.parse(entry.value), version: entry.versionstamp };
}

export async function findDoctorByEmail(
  kv: Deno.Kv,
  email: string,
): Promise<Doctor | null> {
  const id = await kv.get<string>(keys.doctorByEmail(email.toLowerCase()));
  return id.value === null ? null : await getDoctor(kv, id.value);
}

/** All doctors of the clinic (a clinic has a handful), by name. */
export async function listDoctors(kv: Deno.Kv): Promise<Doctor[]> {
  return (await listDoctorEntries(kv)).map((d) => d.value);
}

/** `listDoctors`, each with the version read, for the administrator's edits. */
export async function listDoctorEntries(
  kv: Deno.Kv,
): Promise<Versioned<Doctor>[]> {
  const doctors: Versioned<Doctor>[] = [];
  for await (
    const entry of kv.list({ prefix: keys.doctors() }, { limit: 500 })
  ) {
    doctors.push({
      value: doctorSchema.parse(entry.value),
      version: entry.versionstamp,
    });
  }
  return doctors.sort((a, b) => a.value.name.localeCompare(b.value.name));
}

export async function hasAnyDoctor(kv: Deno.Kv): Promise<boolean> {
  for await (const _ of kv.list({ prefix: keys.doctors() }, { limit: 1 })) {
    return true;
  }
  return false;
}
