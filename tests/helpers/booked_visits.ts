/**
 * Visits booked to start now, with the patient's personal link, and notes
 * saved on them through the API: what the tests of a visit's record (who
 * reads it, its notes, the history) start from.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Client, startIn } from "./server.ts";
import type { Visit } from "./signal_client.ts";

export interface Booked extends Visit {
  patientUrl: string;
}

/** A visit `doctor` booked for `name`, open for joining within a minute. */
export async function book(doctor: Client, name: string): Promise<Booked> {
  const res = await doctor.json("/api/appointments", {
    patientName: name,
    startsAt: startIn(1),
    durationMinutes: 20,
  });
  assert.equal(res.status, 201);
  const body = await res.json();
  return {
    id: body.id,
    visitUrl: body.visitUrl,
    patientUrl: body.patientDashboardUrl,
    doctor,
  };
}

/** Saves a note on the session of visit `id` through the API. */
export function putNote(doctor: Client, id: string, body: unknown) {
  return doctor.json(`/api/sessions/${id}/notes`, body, "PUT");
}
