/**
 * Brings patient records made before patients belonged to a doctor up to
 * date, once: each gets the doctor of its first appointment as its owner,
 * and the old index by email goes. Their personal links stop working (such a
 * link could have been re-issued by another doctor who typed the same
 * email); the owning doctor issues a new one from any of the visits.
 *
 * @module
 */
import { keys } from "./keys.ts";
import { patientSchema } from "./patients.ts";

const NAME = "patient_owners";

/** Answers how many records it changed (0 once it has run). */
export async function assignPatientOwners(kv: Deno.Kv): Promise<number> {
  if ((await kv.get(keys.migration(NAME))).value !== null) return 0;
  let changed = 0;
  for await (const entry of kv.list({ prefix: keys.patients() })) {
    const patient = patientSchema.parse(entry.value);
    if (patient.doctorId !== undefined) continue;
    const first = kv.list<{ doctorId: string }>(
      { prefix: keys.appointmentsByPatient(patient.id) },
      { limit: 1 },
    );
    let doctorId: string | undefined;
    for await (const a of first) doctorId = a.value.doctorId;
    const owned = { ...patient, linkExpiresAt: 0 };
    const op = kv.atomic().check(entry)
      .delete(keys.patientLink(patient.linkTokenHash));
    if (doctorId === undefined) {
      op.set(entry.key, owned);
    } else {
      op.set(entry.key, { ...owned, doctorId }).set(
        keys.patientByDoctor(doctorId, patient.id),
        {
          id: patient.id,
          name: patient.name,
          ...(patient.email ? { email: patient.email } : {}),
        },
      );
    }
    if ((await op.commit()).ok) changed++;
  }
  for await (const old of kv.list({ prefix: keys.legacyPatientsByEmail() })) {
    await kv.delete(old.key);
  }
  await kv.set(keys.migration(NAME), { at: Date.now(), changed });
  return changed;
}
