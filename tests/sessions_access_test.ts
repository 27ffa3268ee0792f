/**
 * Who may read what of a visit's record: a patient only their own past
 * visits and shared notes, a doctor only their own sessions, the audit
 * trail only an administrator; bad input is answered and writes nothing.
 */
import assert from "node:assert/strict";
import { Client, snapshot, startIn, startServer } from "./helpers/server.ts";
import { holdVisit, type Visit } from "./helpers/signal_client.ts";

interface Booked extends Visit {
  patientUrl: string;
}

async function book(doctor: Client, name: string): Promise<Booked> {
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

function putNote(doctor: Client, id: string, body: unknown) {
  return doctor.json(`/api/sessions/${id}/notes`, body, "PUT");
}

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
        const adaPage = await (await fetch(ada.patientUrl)).text();
        assert.match(adaPage, /Your past visits/);
        assert.doesNotMatch(adaPage, /private remark/);
        assert.doesNotMatch(adaPage, /Bob/);
        const bobPage = await (await fetch(bob.patientUrl)).text();
        assert.match(bobPage, /take rest, shared/);
        assert.doesNotMatch(bobPage, /Ada/);

        const token = ada.patientUrl.split("/patient/")[1];
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

Deno.test("notes: versions, conflicts with both texts, and bad input writing nothing", async () => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const visit = await book(doctor, "Cleo Patient");
    await holdVisit(visit);
    assert.equal(
      (await putNote(doctor, visit.id, { text: "first", baseVersion: 0 }))
        .status,
      200,
    );

    // Two tabs opened at version 1; both save.
    const [a, b] = await Promise.all([
      putNote(doctor, visit.id, { text: "tab A", baseVersion: 1 }),
      putNote(doctor, visit.id, { text: "tab B", baseVersion: 1 }),
    ]);
    const statuses = [a.status, b.status].sort();
    assert.deepEqual(statuses, [200, 409]);
    const refused = a.status === 409 ? a : b;
    const kept = a.status === 200 ? a : b;
    const conflict = await refused.json();
    const saved = await kept.json();
    assert.equal(conflict.error.code, "conflict");
    assert.equal(conflict.current.text, saved.note.text);
    assert.notEqual(conflict.yours.text, saved.note.text);
    const notes = await (await doctor.fetch(`/api/sessions/${visit.id}/notes`))
      .json();
    assert.deepEqual(
      notes.versions.map((v: { version: number }) => v.version),
      [2, 1],
    );

    // The page's form refuses a stale save and shows both texts.
    const page = await doctor.form(`/sessions/${visit.id}`, {
      action: "save-note",
      text: "from an old tab",
      baseVersion: "1",
    });
    assert.equal(page.status, 409);
    const html = await page.text();
    assert.match(html, /from an old tab/);
    assert.match(html, new RegExp(saved.note.text));

    const before = await snapshot(server.kv);
    const bad: [string, RequestInit][] = [
      ["not json", {
        body: "{",
        headers: { "content-type": "application/json" },
      }],
      ["text type", {
        body: JSON.stringify({ text: 5, baseVersion: 2 }),
        headers: { "content-type": "application/json" },
      }],
      ["too long", {
        body: JSON.stringify({ text: "x".repeat(10_001), baseVersion: 2 }),
        headers: { "content-type": "application/json" },
      }],
      ["negative version", {
        body: JSON.stringify({ text: "x", baseVersion: -1 }),
        headers: { "content-type": "application/json" },
      }],
      ["extra field", {
        body: JSON.stringify({ text: "x", baseVersion: 2, author: "me" }),
        headers: { "content-type": "application/json" },
      }],
      ["form body", { body: "text=x&baseVersion=2" }],
    ];
    for (const [name, init] of bad) {
      const res = await doctor.fetch(`/api/sessions/${visit.id}/notes`, {
        method: "PUT",
        ...init,
      });
      assert.ok([400, 415].includes(res.status), `${name}: ${res.status}`);
      const body = await res.json();
      assert.equal(typeof body.error.message, "string", name);
    }
    for (
      const path of [
        "/api/sessions?from=yesterday",
        "/api/sessions?limit=0",
        "/api/sessions?patientId=nope",
        "/api/sessions?cursor=not%20a%20cursor",
        "/api/sessions?colour=red",
        "/history?from=2026-02-31",
        "/history?from=2026-03-02&to=2026-03-01",
        "/history.csv?patient=zz",
        "/api/audit?limit=1000",
      ]
    ) {
      const res = await doctor.fetch(path);
      assert.equal(res.status, 400, path);
      await res.body?.cancel();
    }
    const unknown = await doctor.fetch(`/api/sessions/${"0".repeat(32)}/end`, {
      method: "POST",
    });
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
    const badAction = await doctor.form(`/sessions/${visit.id}`, {
      action: "delete",
    });
    assert.equal(badAction.status, 400);
    await badAction.body?.cancel();
    assert.equal(await snapshot(server.kv), before, "nothing was written");
  } finally {
    await server.close();
  }
});

Deno.test("history filters by patient and date, pages with a cursor, exports CSV", async () => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const visits = [];
    for (const name of ["=Eve", "Finn", "Eve"]) {
      visits.push(await book(doctor, name));
    }
    for (const v of visits) await holdVisit(v);
    const page1 = await (await doctor.fetch("/api/sessions?limit=2")).json();
    assert.equal(page1.items.length, 2);
    assert.ok(page1.cursor);
    // Newest first.
    assert.deepEqual(page1.items.map((s: { id: string }) => s.id), [
      visits[2].id,
      visits[1].id,
    ]);
    const page2 = await (await doctor.fetch(
      `/api/sessions?limit=2&cursor=${page1.cursor}`,
    )).json();
    assert.deepEqual(page2.items.map((s: { id: string }) => s.id), [
      visits[0].id,
    ]);
    assert.equal(page2.cursor, null);

    const finn = page1.items[1].patient.id;
    const onlyFinn = await (await doctor.fetch(
      `/api/sessions?patientId=${finn}`,
    )).json();
    assert.deepEqual(onlyFinn.items.map((s: { id: string }) => s.id), [
      visits[1].id,
    ]);
    const future = await (await doctor.fetch(
      `/api/sessions?from=${encodeURIComponent(startIn(60 * 24))}`,
    )).json();
    assert.deepEqual(future.items, []);

    const html = await (await doctor.fetch(`/history?patient=${finn}`)).text();
    assert.match(html, /Visit history with Finn/);
    assert.doesNotMatch(html, /Eve/);

    const csv = await doctor.fetch("/history.csv");
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get("content-type")!, /^text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    assert.equal(lines.length, 4, "a header and three visits");
    assert.match(lines[0], /^session id,patient,/);
    assert.ok(lines.some((l) => l.includes(',"\'=Eve",')), "no formula");
    assert.ok(
      lines.every((l, i) => i === 0 || l.includes("Ended by the doctor")),
    );
  } finally {
    await server.close();
  }
});
