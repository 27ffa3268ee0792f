/**
 * The doctor ends a visit's call from outside the call (the API or the
 * session page): the session closes once, and anyone still in the call is
 * told, on whichever server they are.
 *
 * @module
 */
import type { ClinicWithCalls } from "./live_calls.ts";
import type { Doctor } from "@/lib/store/doctors.ts";
import { type Closed, endByDoctor } from "./close.ts";
import { doctorsSession } from "./history.ts";

export async function endVisit(
  clinic: ClinicWithCalls,
  doctor: Doctor,
  id: string,
  now = Date.now(),
): Promise<Closed> {
  await doctorsSession(clinic, doctor, id);
  const closed = await endByDoctor(
    clinic.kv,
    clinic.config,
    id,
    doctor.id,
    now,
  );
  // It exists (checked above) and sessions are never deleted.
  if (closed!.first) {
    clinic.signaling.announceEnd(id, "doctor", closed!.session.endedAt!);
  }
  return closed!;
}
