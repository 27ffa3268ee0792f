/**
 * A doctor's visit history: filtered by patient and date, paged newest
 * first with a cursor, and exported as CSV in which no patient's name can
 * start a formula.
 */
import assert from "node:assert/strict";
import { book } from "./helpers/booked_visits.ts";
import { Client, startIn, startServer } from "./helpers/server.ts";
import { holdVisit } from "./helpers/signal_client.ts";

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
