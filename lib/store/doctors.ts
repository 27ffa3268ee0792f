/**
 * Doctor accounts in Deno KV, with a unique index on email written in the
 * same atomic operation as the account.
 *
 * @module
 */
import { z } from "zod";
import { newId } from "../auth/tokens.ts";
import { keys } from "./keys.ts";

export const doctorSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  passwordHash: z.string(),
  isAdmin: z.boolean(),
  createdAt: z.number(),
});
export type Doctor = z.infer<typeof doctorSchema>;

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
): Promise<Doctor | null> {
  const doctor: Doctor = {
    id: newId(),
    ...input,
    email: input.email.toLowerCase(),
    createdAt: Date.now(),
  };
  const result = await kv.atomic()
    .check({ key: keys.doctorByEmail(doctor.email), versionstamp: null })
    .set(keys.doctor(doctor.id), doctor)
    .set(keys.doctorByEmail(doctor.email), doctor.id)
    .commit();
  return result.ok ? doctor : null;
}

export async function getDoctor(
  kv: Deno.Kv,
  id: string,
): Promise<Doctor | null> {
  const entry = await kv.get(keys.doctor(id));
  return entry.value === null ? null : doctorSchema.parse(entry.value);
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
  const doctors: Doctor[] = [];
  for await (
    const entry of kv.list({ prefix: keys.doctors() }, { limit: 500 })
  ) {
    doctors.push(doctorSchema.parse(entry.value));
  }
  return doctors.sort((a, b) => a.name.localeCompare(b.name));
}

export async function hasAnyDoctor(kv: Deno.Kv): Promise<boolean> {
  for await (const _ of kv.list({ prefix: keys.doctors() }, { limit: 1 })) {
    return true;
  }
  return false;
}
