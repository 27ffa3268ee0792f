/**
 * What a clinic's administrator can do about doctors' accounts: add one,
 * and for another doctor's account deactivate it (and reactivate it), set a new password, and end all its
 * sign-ins. Each ends the doctor's sessions at once where it should, and
 * each is in the audit trail with the administrator who did it. An
 * administrator never acts on their own account this way, and must still be
 * an active administrator when the change is written, so the clinic always
 * keeps an active administrator (two deactivating each other at once: the
 * second finds itself deactivated).
 *
 * @module
 */
import { z } from "zod";
import { HttpError, notFound } from "@/lib/http/errors.ts";
import { parseOr400 } from "@/lib/http/input.ts";
import {
  createDoctor,
  type Doctor,
  doctorSchema,
  updateDoctor,
} from "@/lib/store/doctors.ts";
import { keys } from "@/lib/store/keys.ts";
import { doctorName } from "./doctor_profile.ts";
import { hashPassword } from "./password.ts";

const forbidden = () =>
  new HttpError(
    403,
    "forbidden",
    "Only the clinic's administrators can manage doctors.",
  );

export interface NewAccount {
  name: string;
  email: string;
  password: string;
  isAdmin: boolean;
}

/**
 * An administrator adds a doctor, who can sign in at once with the first
 * password (kept only as its hash). An email already in use is refused
 * beside its field.
 */
export async function addDoctor(
  kv: Deno.Kv,
  admin: Doctor,
  { password, ...account }: NewAccount,
  address?: string,
): Promise<Doctor> {
  if (!admin.isAdmin) throw forbidden();
  const { name } = parseOr400(z.object({ name: doctorName }), account);
  const created = await createDoctor(
    kv,
    { ...account, name, passwordHash: await hashPassword(password) },
    { kind: "doctor", id: admin.id },
    address,
  );
  if (!created) {
    throw new HttpError(
      400,
      "invalid_input",
      "Some fields are missing or invalid.",
      { email: "A doctor with this email already exists" },
    );
  }
  return created;
}

export type DoctorAction =
  | { kind: "deactivate" }
  | { kind: "reactivate" }
  | { kind: "end-sessions" }
  | { kind: "reset-password"; password: string };

export async function administerDoctor(
  kv: Deno.Kv,
  admin: Doctor,
  doctorId: string,
  action: DoctorAction,
  /** Where the administrator's request came from, for the audit trail. */
  { address, now = Date.now() }: { address?: string; now?: number } = {},
): Promise<Doctor> {
  if (!admin.isAdmin) throw forbidden();
  if (doctorId === admin.id) {
    throw new HttpError(
      400,
      "own_account",
      "Administrators cannot do this to their own account; sign out, or ask another administrator.",
    );
  }
  const actor = { kind: "doctor" as const, id: admin.id };
  const passwordHash = action.kind === "reset-password"
    ? await hashPassword(action.password)
    : undefined;
  const changed = await updateDoctor(kv, doctorId, (d) => {
    switch (action.kind) {
      case "deactivate":
        return { ...d, active: false, sessionsNotBefore: now };
      case "reactivate":
        return { ...d, active: true };
      case "end-sessions":
        return { ...d, sessionsNotBefore: now };
      case "reset-password":
        return { ...d, passwordHash: passwordHash!, sessionsNotBefore: now };
    }
  }, {
    actor,
    address,
    action: action.kind === "deactivate"
      ? "doctor.deactivated"
      : action.kind === "reactivate"
      ? "doctor.reactivated"
      : action.kind === "end-sessions"
      ? "doctor.sessions_ended"
      : "doctor.password_reset",
  }, async () => {
    const entry = await kv.get(keys.doctor(admin.id));
    const acting = entry.value === null
      ? null
      : doctorSchema.parse(entry.value);
    if (!acting?.active || !acting.isAdmin) throw forbidden();
    return entry;
  });
  if (!changed) throw notFound("That doctor");
  return changed;
}
