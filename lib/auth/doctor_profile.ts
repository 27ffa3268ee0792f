/**
 * A doctor's profile: the display name and title patients see. Each doctor
 * sets their own; an administrator may set anyone's. An edit is checked
 * against the version the editor read, so two people editing at once never
 * overwrite each other unseen, and it is in the audit trail.
 *
 * @module
 */
import { z } from "zod";
import { HttpError, notFound } from "@/lib/http/errors.ts";
import { parseOr400 } from "@/lib/http/input.ts";
import { singleLine } from "@/lib/http/text.ts";
import type { Versioned } from "@/lib/store/appointments.ts";
import {
  type Doctor,
  doctorSchema,
  updateDoctorEntry,
} from "@/lib/store/doctors.ts";
import { keys } from "@/lib/store/keys.ts";
import { ConflictError } from "@/lib/store/kv.ts";

/** Every doctor's name, wherever it is set: setup, ADMIN_NAME, admin, profile. */
export const doctorName = singleLine({
  min: 1,
  max: 100,
  empty: "Enter the doctor's name",
});

/** Shown after the name ("Family physician"); empty means none. */
export const doctorTitle = singleLine({ min: 0, max: 100 });

export const profileSchema = z.object({
  name: doctorName,
  title: doctorTitle.optional().transform((t) => t || undefined),
});
export type Profile = z.infer<typeof profileSchema>;

const forbidden = () =>
  new HttpError(
    403,
    "forbidden",
    "Only the doctor or the clinic's administrators can change this profile.",
  );

/**
 * Sets the name and title of `doctorId`, as `editor` (that doctor, or an
 * active administrator when the change is written). `version` is the one
 * the editor read; a record changed since is a 409 and nothing is written.
 */
export async function changeProfile(
  kv: Deno.Kv,
  editor: Doctor,
  doctorId: string,
  profile: { name: string; title?: string },
  { version, address }: { version: string; address?: string },
): Promise<Versioned<Doctor>> {
  const own = editor.id === doctorId;
  if (!own && !editor.isAdmin) throw forbidden();
  // The routes parse their input; the rule holds here for every caller.
  const { name, title } = parseOr400(profileSchema, profile);
  try {
    const changed = await updateDoctorEntry(
      kv,
      doctorId,
      ({ title: _, ...d }) => ({ ...d, name, ...(title ? { title } : {}) }),
      {
        actor: { kind: "doctor", id: editor.id },
        action: "doctor.profile_changed",
        address,
      },
      own ? undefined : async () => {
        // Still an active administrator at the moment of writing.
        const entry = await kv.get(keys.doctor(editor.id));
        const acting = entry.value === null
          ? null
          : doctorSchema.parse(entry.value);
        if (!acting?.active || !acting.isAdmin) throw forbidden();
        return entry;
      },
      version,
    );
    if (!changed) throw notFound("That doctor");
    return changed;
  } catch (error) {
    if (error instanceof ConflictError) {
      throw new HttpError(409, "conflict", error.message);
    }
    throw error;
  }
}
