/**
 * Visits booked to start now through the API, with the patient's personal
 * link, and notes saved on them: what the tests of a visit's record and of
 * patients' identity start from.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Client, startIn } from "./server.ts";
import type { Visit } from "./signal_client.ts";

export interface Booked extends Visit {
  patientId: string;
  /** Only for a new patient: their personal page, shown at booking. */
  patientUrl?: string;
}

/**
 * A visit `doctor` booked, open for joining within a minute: for a new
 * patient named `patient`, or with the booking's patient fields as given
 * (a returning patient's `patientId`, an email, a reason).
 */
export async function book(
  doctor: Client,
  patient: string | Record<string, string>,
): Promise<Booked> {
  const res = await doctor.json("/api/appointments", {
    ...(typeof patient === "string" ? { patientName: patient } : patient),
    startsAt: startIn(1),
    durationMinutes: 20,
  });
  assert.equal(res.status, 201);
  const body = await res.json();
  return {
    id: body.id,
    visitUrl: body.visitUrl,
    patientId: body.patient.id,
    patientUrl: body.patientDashboardUrl,
    doctor,
  };
}

/** Saves a note on the session of visit `id` through the API. */
export function putNote(doctor: Client, id: string, body: unknown) {
  return doctor.json(`/api/sessions/${id}/notes`, body, "PUT");
}
