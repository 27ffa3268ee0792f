/**
 * A session's notes: each save is a version, and of two tabs saving at once
 * one wins and the other gets both texts back (from the API and from the
 * page's form); bad input to notes, listings and session actions is
 * answered and writes nothing.
 */
import assert from "node:assert/strict";
import { book, putNote } from "./helpers/booked_visits.ts";
import { Client, snapshot, startServer } from "./helpers/server.ts";
import { holdVisit } from "./helpers/signal_client.ts";

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
