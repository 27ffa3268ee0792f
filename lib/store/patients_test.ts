import assert from "node:assert/strict";
import { hashToken, newId } from "./ids.ts";
import { createAppointment } from "./appointments.ts";
import { keys } from "./keys.ts";
import { assignPatientOwners } from "./patient_owners.ts";
import {
  findPatientByLink,
  getPatient,
  reissuePatientLink,
} from "./patients.ts";

const DAY = 86_400_000;

async function bookNew(kv: Deno.Kv, doctorId: string, validMs = DAY) {
  const patientLink = crypto.randomUUID();
  const created = await createAppointment(kv, {
    doctorId,
    patient: { name: "Ada", email: "Ada@Example.org" },
    reason: "",
    startsAt: Date.now() + DAY,
    durationMinutes: 20,
  }, {
    visit: crypto.randomUUID(),
    patientLink,
    patientLinkValidMs: validMs,
    visitLinkEnds: (a) => a.startsAt + 3_600_000,
  });
  return { ...created, patientLink };
}

Deno.test("a personal link works until its expiry, and only for its holder", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { patient, patientLink } = await bookNew(kv, "doc-a");
    const expires = patient.linkExpiresAt!;
    assert.equal(
      (await findPatientByLink(kv, patientLink, expires - 1))?.id,
      patient.id,
    );
    assert.equal(await findPatientByLink(kv, patientLink, expires), null);
    assert.equal(await findPatientByLink(kv, crypto.randomUUID()), null);
  } finally {
    kv.close();
  }
});

Deno.test("only the owning doctor re-issues a personal link, and it is audited", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { patient, patientLink } = await bookNew(kv, "doc-a");
    const token = crypto.randomUUID();
    const actor = { kind: "doctor" as const, id: "doc-b" };
    assert.equal(
      await reissuePatientLink(kv, "doc-b", patient.id, {
        token,
        validMs: DAY,
        actor,
      }),
      null,
    );
    assert.ok(await findPatientByLink(kv, patientLink), "unchanged");
    const now = Date.now();
    const expires = await reissuePatientLink(kv, "doc-a", patient.id, {
      token,
      validMs: 2 * DAY,
      actor: { kind: "doctor", id: "doc-a" },
      now,
    });
    assert.equal(expires, now + 2 * DAY);
    assert.equal(await findPatientByLink(kv, patientLink), null);
    assert.equal((await findPatientByLink(kv, token))?.id, patient.id);
    const audit = [];
    for await (const e of kv.list({ prefix: keys.audit() })) audit.push(e);
    assert.deepEqual(
      audit.map((e) => (e.value as { action: string }).action).sort(),
      ["appointment.created", "patient.link_reissued"],
    );
  } finally {
    kv.close();
  }
});

Deno.test("records made before ownership get their first visit's doctor, and their links stop", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const id = newId();
    const token = crypto.randomUUID();
    const linkTokenHash = await hashToken(token);
    const legacy = { id, name: "Ada", email: "ada@example.org", linkTokenHash };
    await kv.atomic()
      .set(keys.patient(id), { ...legacy, createdAt: 1 })
      .set(keys.patientLink(linkTokenHash), id)
      .set(["patients_by_email", "ada@example.org"], id)
      .set(keys.appointmentByPatient(id, 1000, "a1"), { doctorId: "doc-a" })
      .set(keys.appointmentByPatient(id, 2000, "a2"), { doctorId: "doc-b" })
      .commit();
    assert.equal(await findPatientByLink(kv, token), null, "no owner: closed");

    assert.equal(await assignPatientOwners(kv), 1);
    const owned = await getPatient(kv, id);
    assert.equal(owned?.doctorId, "doc-a");
    assert.equal(await findPatientByLink(kv, token), null);
    assert.equal((await kv.get(keys.patientLink(linkTokenHash))).value, null);
    assert.equal(
      (await kv.get(["patients_by_email", "ada@example.org"])).value,
      null,
    );
    assert.deepEqual(
      (await kv.get(keys.patientByDoctor("doc-a", id))).value,
      { id, name: "Ada", email: "ada@example.org" },
    );
    assert.equal(await assignPatientOwners(kv), 0, "runs once");

    const fresh = crypto.randomUUID();
    assert.ok(
      await reissuePatientLink(kv, "doc-a", id, {
        token: fresh,
        validMs: DAY,
        actor: { kind: "doctor", id: "doc-a" },
      }),
    );
    assert.equal((await findPatientByLink(kv, fresh))?.id, id);
  } finally {
    kv.close();
  }
});
