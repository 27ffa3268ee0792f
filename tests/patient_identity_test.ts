/**
 * Patients belong to the doctor who booked them: the same (or a mistyped)
 * email at another doctor makes another patient, a returning patient is
 * chosen by id and only among the doctor's own, and a personal link, however
 * it was issued, shows one doctor's visits and notes only.
 */
import assert from "node:assert/strict";
import { listAudit } from "@/lib/store/audit.ts";
import { findDoctorByEmail } from "@/lib/store/doctors.ts";
import {
  addDoctor,
  Client,
  snapshot,
  startIn,
  startServer,
} from "./helpers/server.ts";
import { holdVisit } from "./helpers/signal_client.ts";
import { book, type Booked } from "./helpers/booked_visits.ts";

/** Both join, the doctor ends the visit and shares a note with the patient. */
async function holdVisitWithSharedNote(visit: Booked, note: string) {
  await holdVisit(visit);
  const saved = await visit.doctor.json(`/api/sessions/${visit.id}/notes`, {
    text: note,
    shared: true,
    baseVersion: 0,
  }, "PUT");
  assert.equal(saved.status, 200);
  await saved.body?.cancel();
}

async function reissuePersonalLink(doctor: Client, appointmentId: string) {
  const res = await doctor.form(`/appointments/${appointmentId}`, {
    action: "reissue-patient-link",
  });
  assert.equal(res.status, 303);
  await res.body?.cancel();
  const page = await (await doctor.fetch(`/appointments/${appointmentId}`))
    .text();
  const url = /id="patient-link"[^>]*value="([^"]+)"/.exec(page)?.[1] ??
    /value="([^"]+)"[^>]*id="patient-link"/.exec(page)?.[1];
  assert.ok(url, "the new personal link is shown once");
  return url;
}

const text = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
};

Deno.test("the same email at another doctor is another patient, and no link crosses doctors", async (t) => {
  const server = await startServer();
  try {
    const drA = await new Client(server.url).signIn();
    const drB = await addDoctor(drA, "b@clinic.test", "Dr Bee");
    const drBId = (await findDoctorByEmail(server.kv, "b@clinic.test"))!.id;
    const ada = { patientName: "Ada", patientEmail: "ada@example.org" };
    // A start the dashboard's form takes: the clinic's zone is UTC here.
    const inThreeDays = new Date(Date.now() + 3 * 86_400_000).toISOString()
      .slice(0, 16);
    const atA = await book(drA, ada);
    await holdVisitWithSharedNote(atA, "Advice from Dr A, shared");

    const atB = await book(drB, { ...ada, patientEmail: "ADA@example.org" });

    await t.step("two doctors typing one email get two records", async () => {
      assert.notEqual(atB.patientId, atA.patientId);
      assert.ok(atB.patientUrl, "a new patient record gets its own link");
      const own = await text(atA.patientUrl!);
      assert.equal(own.status, 200);
      assert.match(own.body, /Advice from Dr A, shared/);
      const other = await text(atB.patientUrl!);
      assert.equal(other.status, 200);
      assert.doesNotMatch(other.body, /Advice from Dr A/);
    });

    await t.step(
      "re-issuing a link at doctor B reveals nothing of doctor A and leaves A's link working",
      async () => {
        const fresh = await reissuePersonalLink(drB, atB.id);
        const page = await text(fresh);
        assert.equal(page.status, 200);
        assert.doesNotMatch(page.body, /Advice from Dr A/);
        const token = fresh.split("/patient/")[1];
        const api = await (await fetch(
          `${server.url}/api/patient/${token}/sessions`,
        )).json();
        assert.deepEqual(api.items, []);
        const old = await text(atB.patientUrl!);
        assert.equal(old.status, 410, "old link: replaced");
        assert.doesNotMatch(old.body, /Ada|Advice/, "and shows nothing of it");
        assert.equal((await text(atA.patientUrl!)).status, 200, "A's link");
        const reissues = (await listAudit(server.kv, { limit: 100 })).items
          .filter((e) => e.action === "patient.link_reissued");
        assert.deepEqual(
          reissues.map((e) => [e.actor, e.subject]),
          [[{ kind: "doctor", id: drBId }, atB.patientId]],
          "the re-issue is audited with who did it",
        );
      },
    );

    await t.step(
      "doctor B cannot book, open or filter by doctor A's patient",
      async () => {
        const before = await snapshot(server.kv);
        const res = await drB.json("/api/appointments", {
          patientId: atA.patientId,
          startsAt: startIn(90),
          durationMinutes: 20,
        });
        assert.equal(res.status, 400);
        const body = await res.json();
        assert.equal(body.error.code, "invalid_input");
        assert.ok(body.error.fields.patientId);
        const form = await drB.form("/dashboard", {
          patientId: atA.patientId,
          startsAt: inThreeDays,
          durationMinutes: "20",
        });
        assert.equal(form.status, 400);
        assert.match(await form.text(), /Choose one of your own patients/);
        assert.equal(await snapshot(server.kv), before, "nothing written");

        const open = await drB.fetch(`/dashboard?patient=${atA.patientId}`);
        assert.equal(open.status, 404);
        await open.body?.cancel();
        const history = await (await drB.fetch(
          `/history?patient=${atA.patientId}`,
        )).text();
        assert.doesNotMatch(history, /Ada/);
      },
    );

    await t.step(
      "a returning patient is chosen by id, and only a name or an id is taken",
      async () => {
        // Upcoming visits only: the one held above is a past visit now.
        const visitsOn = async () =>
          (await text(atA.patientUrl!)).body.match(/min with admin/g)
            ?.length ?? 0;
        const before = await visitsOn();
        const again = await book(drA, { patientId: atA.patientId });
        assert.equal(again.patientId, atA.patientId);
        assert.equal(again.patientUrl, undefined, "the old link stays");
        assert.equal(await visitsOn(), before + 1, "listed on the same page");
        const sameEmail = await book(drA, ada);
        assert.notEqual(
          sameEmail.patientId,
          atA.patientId,
          "the same email typed again is a new record, never a match",
        );

        const both = await drA.json("/api/appointments", {
          patientId: atA.patientId,
          patientName: "Someone Else",
          startsAt: startIn(90),
          durationMinutes: 20,
        });
        assert.equal(both.status, 400);
        await both.body?.cancel();

        const booking = await (await drA.fetch(
          `/dashboard?patient=${atA.patientId}`,
        )).text();
        assert.match(booking, /For <strong>Ada<\/strong>/);
        const viaForm = await drA.form("/dashboard", {
          patientId: atA.patientId,
          startsAt: inThreeDays,
          durationMinutes: "20",
        });
        assert.equal(viaForm.status, 303);
        await viaForm.body?.cancel();
      },
    );

    await t.step("the patient's own doctor can re-issue, once", async () => {
      const fresh = await reissuePersonalLink(drA, atA.id);
      const old = await text(atA.patientUrl!);
      assert.equal(old.status, 410, "replaced");
      assert.doesNotMatch(old.body, /Advice from Dr A/);
      assert.match((await text(fresh)).body, /Advice from Dr A, shared/);
    });
  } finally {
    await server.close();
  }
});
