/**
 * Who may read what of a visit's record: a patient only their own past
 * visits and shared notes, a doctor only their own sessions, the audit
 * trail only an administrator.
 */
import assert from "node:assert/strict";
import { book, putNote } from "./helpers/booked_visits.ts";
import { Client, snapshot, startServer } from "./helpers/server.ts";
import { holdVisit } from "./helpers/signal_client.ts";

Deno.test("patients, doctors and the audit trail each see only their own", async (t) => {
  const server = await startServer();
  try {
    const admin = await new Client(server.url).signIn();
    const ada = await book(admin, "Ada Patient");
    const bob = await book(admin, "Bob Patient");
    await holdVisit(ada);
    await holdVisit(bob);
    assert.equal(
      (await putNote(admin, ada.id, {
        text: "Ada: private remark",
        baseVersion: 0,
      })).status,
      200,
    );
    assert.equal(
      (await putNote(admin, bob.id, {
        text: "Bob: take rest, shared",
        shared: true,
        baseVersion: 0,
      })).status,
      200,
    );

    await t.step(
      "a patient sees their own visit and only shared notes",
      async () => {
        const adaPage = await (await fetch(ada.patientUrl!)).text();
        assert.match(adaPage, /Your past visits/);
        assert.doesNotMatch(adaPage, /private remark/);
        assert.doesNotMatch(adaPage, /Bob/);
        const bobPage = await (await fetch(bob.patientUrl!)).text();
        assert.match(bobPage, /take rest, shared/);
        assert.doesNotMatch(bobPage, /Ada/);

        const token = ada.patientUrl!.split("/patient/")[1];
        const api = await (await fetch(
          `${server.url}/api/patient/${token}/sessions`,
        )).json();
        assert.deepEqual(api.items.map((v: { id: string }) => v.id), [ada.id]);
        assert.equal(api.items[0].sharedNote, null);
        assert.equal(api.items[0].doctor, "admin");

        const wrong = await fetch(
          `${server.url}/api/patient/${"x".repeat(43)}/sessions`,
        );
        assert.equal(wrong.status, 404);
        await wrong.body?.cancel();
      },
    );

    await t.step(
      "a patient link is no doctor: sessions and audit answer 401",
      async () => {
        for (
          const path of [
            "/api/sessions",
            `/api/sessions/${ada.id}`,
            "/api/audit",
          ]
        ) {
          const res = await fetch(server.url + path);
          assert.equal(res.status, 401, path);
          await res.body?.cancel();
        }
      },
    );

    await t.step(
      "another doctor sees none of it, nor the audit trail",
      async () => {
        const added = await admin.form("/doctors", {
          name: "Dr Second",
          email: "second@clinic.test",
          password: "second-password",
        });
        assert.equal(added.status, 303);
        const other = await new Client(server.url).signIn(
          "second@clinic.test",
          "second-password",
        );
        for (
          const path of [
            `/api/sessions/${ada.id}`,
            `/api/sessions/${ada.id}/report`,
            `/api/sessions/${ada.id}/notes`,
            `/sessions/${ada.id}`,
          ]
        ) {
          const res = await other.fetch(path);
          assert.equal(res.status, 404, path);
          await res.body?.cancel();
        }
        const end = await other.fetch(`/api/sessions/${ada.id}/end`, {
          method: "POST",
        });
        assert.equal(end.status, 404);
        await end.body?.cancel();
        const before = await snapshot(server.kv);
        const edit = await putNote(other, ada.id, {
          text: "x",
          baseVersion: 1,
        });
        assert.equal(edit.status, 404);
        await edit.body?.cancel();
        assert.equal(await snapshot(server.kv), before);
        const list = await (await other.fetch("/api/sessions")).json();
        assert.deepEqual(list.items, []);
        for (const path of ["/api/audit", "/audit"]) {
          const res = await other.fetch(path);
          assert.equal(res.status, 403, path);
          await res.body?.cancel();
        }
      },
    );

    await t.step(
      "the admin reads the audit trail; it holds no note text",
      async () => {
        const res = await admin.fetch("/api/audit?limit=100");
        assert.equal(res.status, 200);
        const text = await res.text();
        const trail = JSON.parse(text);
        const actions = new Set(
          trail.items.map((e: { action: string }) => e.action),
        );
        for (
          const action of [
            "appointment.created",
            "call.joined",
            "session.ended",
            "note.edited",
            "note.viewed",
          ]
        ) assert.ok(actions.has(action), action);
        assert.doesNotMatch(text, /private remark|take rest/);
        const page = await admin.fetch("/audit");
        assert.equal(page.status, 200);
        assert.match(await page.text(), /Audit trail/);
      },
    );
  } finally {
    await server.close();
  }
});

Deno.test("a patient with more past visits than the store reads at once sees them all", async () => {
  const server = await startServer();
  try {
    const admin = await new Client(server.url).signIn();
    const first = await book(admin, "Cy Patient");
    const visits = [first];
    // Deno KV's getMany takes at most 10 keys: 12 visits need two reads.
    while (visits.length < 12) {
      visits.push(await book(admin, { patientId: first.patientId }));
    }
    for (const visit of visits) await holdVisit(visit);

    const page = await fetch(first.patientUrl!);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Your past visits/);
    const token = first.patientUrl!.split("/patient/")[1];
    const api = await fetch(`${server.url}/api/patient/${token}/sessions`);
    assert.equal(api.status, 200);
    const ids = (await api.json()).items.map((v: { id: string }) => v.id);
    assert.deepEqual(
      [...ids].sort(),
      visits.map((v) => v.id).sort(),
    );
  } finally {
    await server.close();
  }
});
