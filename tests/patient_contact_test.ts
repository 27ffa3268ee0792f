/**
 * The patient's email and phone, for the doctor to reach them when the video
 * fails: on the visit's page and in its report (page and API) as mailto: and
 * tel: links, for the visit's own doctor only.
 */
import assert from "node:assert/strict";
import { book } from "./helpers/booked_visits.ts";
import { addDoctor, Client, startServer } from "./helpers/server.ts";
import { holdVisit } from "./helpers/signal_client.ts";

const EMAIL = "grace@example.org";
const PHONE = "+33 1 23 45 67 89";

Deno.test("the visit's doctor sees the patient's email and phone; another doctor sees nothing", async (t) => {
  const server = await startServer();
  try {
    const admin = await new Client(server.url).signIn();
    const visit = await book(admin, {
      patientName: "Grace Patient",
      patientEmail: EMAIL,
      patientPhone: PHONE,
    });
    const bare = await book(admin, "Bob Patient");
    await holdVisit(visit);
    await holdVisit(bare);

    await t.step("on the appointment page, as links", async () => {
      const res = await admin.fetch(`/appointments/${visit.id}`);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(
        html,
        /<a href="mailto:grace@example.org">grace@example.org<\/a>/,
      );
      assert.match(
        html,
        /<a href="tel:\+33123456789">\+33 1 23 45 67 89<\/a>/,
      );
      const none = await (await admin.fetch(`/appointments/${bare.id}`)).text();
      assert.match(none, /data-contact="email">Not given/);
      assert.match(none, /data-contact="phone">Not given/);
      assert.doesNotMatch(none, /mailto:|tel:/);
    });

    await t.step("in the report page and the report API", async () => {
      const page = await (await admin.fetch(`/sessions/${visit.id}`)).text();
      assert.match(page, /href="mailto:grace@example.org"/);
      assert.match(page, /href="tel:\+33123456789"/);
      const report = await (await admin.fetch(
        `/api/sessions/${visit.id}/report`,
      )).json();
      assert.deepEqual(report.patientContact, { email: EMAIL, phone: PHONE });
      const bareReport = await (await admin.fetch(
        `/api/sessions/${bare.id}/report`,
      )).json();
      assert.deepEqual(bareReport.patientContact, { email: null, phone: null });
    });

    await t.step(
      "another doctor gets 404 and none of the details",
      async () => {
        const other = await addDoctor(admin, "other@clinic.test", "Dr Other");
        for (
          const path of [
            `/appointments/${visit.id}`,
            `/sessions/${visit.id}`,
            `/api/sessions/${visit.id}/report`,
            `/api/sessions/${visit.id}`,
            `/api/appointments/${visit.id}`,
          ]
        ) {
          const res = await other.fetch(path);
          assert.equal(res.status, 404, path);
          const body = await res.text();
          assert.ok(!body.includes(EMAIL), path);
          assert.ok(!body.includes("23 45 67"), path);
          assert.ok(!body.includes("33123456789"), path);
        }
        // Their own visit page shows their own patient's details only.
        const own = await book(other, {
          patientName: "Other's Patient",
          patientEmail: "theirs@example.org",
        });
        const html = await (await other.fetch(`/appointments/${own.id}`))
          .text();
        assert.match(html, /mailto:theirs@example.org/);
        assert.ok(!html.includes(EMAIL));
      },
    );
  } finally {
    await server.close();
  }
});
