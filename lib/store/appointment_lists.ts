/**
 * Listing appointments a page at a time, by doctor or by patient, in start
 * order, from the indexes written with each appointment.
 *
 * @module
 */
import {
  type Appointment,
  appointmentSchema,
  type Versioned,
} from "./appointments.ts";
import { keys } from "./keys.ts";
import { listPage, type PageRequest } from "./kv.ts";

export type ListRange = Omit<PageRequest, "reverse">;

function listIndex(kv: Deno.Kv, prefix: Deno.KvKey, range: ListRange) {
  // Index entries are written in the record's own atomic operation, so they
  // carry the record's versionstamp.
  return listPage(kv, prefix, range, (entry): Versioned<Appointment> => ({
    value: appointmentSchema.parse(entry.value),
    version: entry.versionstamp,
  }));
}

/** One page of a doctor's appointments in start order. */
export function listByDoctor(kv: Deno.Kv, doctorId: string, range: ListRange) {
  return listIndex(kv, keys.appointmentsByDoctor(doctorId), range);
}

/** One page of a patient's appointments in start order. */
export function listByPatient(
  kv: Deno.Kv,
  patientId: string,
  range: ListRange,
) {
  return listIndex(kv, keys.appointmentsByPatient(patientId), range);
}
