/**
 * Reading the record is in the audit trail: each history listing, export,
 * session and report a doctor reads is one entry naming the doctor and ids,
 * never a patient's name or reason; a refused read writes nothing.
 */
import assert from "node:assert/strict";
import { listAudit } from "@/lib/store/audit.ts";
import {
  addDoctor,
  Client,
  snapshot,
  startServer,
  type TestServer,
} from "./helpers/server.ts";
import { holdVisit, join, patientTicket } from "./helpers/signal_client.ts";
import { book as bookVisit } from "./helpers/booked_visits.ts";

const PRIVATE = /Zelda|Private|Sensitive|Olga/;

const book = (doctor: Client, patientName: string) =>
  bookVisit(doctor, { patientName, reason: "Sensitive reason" });

/** The entries a request added to the trail, oldest first. */
async function entriesOf(server: TestServer, request: () => Promise<Response>) {
  const seen = new Set(
    (await listAudit(server.kv, { limit: 100 })).items.map((e) => e.id),
  );
  const res = await request();
  await res.body?.cancel();
  const added = (await listAudit(server.kv, { limit: 100 })).items
    .filter((e) => !seen.has(e.id)).reverse();
  return { status: res.status, added };
}

Deno.test("history listings, exports, sessions and reports read are audited without patient details", async (t) => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const doctorId = (await listAudit(server.kv, { limit: 100 })).items
      .find((e) => e.action === "signin.succeeded")!.subject;
    const ended = await book(doctor, "Zelda Private");
    await holdVisit(ended);
    const note = await doctor.json(`/api/sessions/${ended.id}/notes`, {
      text: "Zelda: private remark",
      baseVersion: 0,
    }, "PUT");
    assert.equal(note.status, 200);
    await note.body?.cancel();

    const pid = ended.patientId;
    const from = "2026-01-01T00:00:00Z";
    const to = "2036-01-01T00:00:00Z";
    const reads: [string, string[], string | undefined, RegExp | undefined][] =
      [
        ["/api/sessions", ["sessions.listed"], doctorId, /^all patients$/],
        [
          `/api/sessions?patientId=${pid}&from=${from}&to=${to}&limit=5`,
          ["sessions.listed"],
          doctorId,
          new RegExp(
            `^patient ${pid}, from 2026-01-01T00:00:00.000Z, to 2036-01-01T00:00:00.000Z$`,
          ),
        ],
        ["/history", ["sessions.listed"], doctorId, /^all patients$/],
        [
          `/history?patient=${pid}&from=2026-01-01&to=2035-12-31`,
          ["sessions.listed"],
          doctorId,
          new RegExp(`^patient ${pid}, from 2026-.*, to 2036-`),
        ],
        ["/history.csv", ["history.exported"], doctorId, /^all patients$/],
        [
          `/history.csv?patient=${pid}`,
          ["history.exported"],
          doctorId,
          new RegExp(`^patient ${pid}$`),
        ],
        [`/api/sessions/${ended.id}`, ["report.viewed"], ended.id, /^summary$/],
        [
          `/api/sessions/${ended.id}/report`,
          ["report.viewed", "note.viewed"],
          ended.id,
          undefined,
        ],
        [
          `/sessions/${ended.id}`,
          ["report.viewed", "note.viewed"],
          ended.id,
          undefined,
        ],
        [
          `/api/sessions/${ended.id}/notes`,
          ["note.viewed"],
          ended.id,
          undefined,
        ],
      ];

    await t.step("each read is one entry per thing shown", async () => {
      for (const [path, actions, subject, detail] of reads) {
        const { status, added } = await entriesOf(
          server,
          () => doctor.fetch(path),
        );
        assert.equal(status, 200, path);
        // Entries of one millisecond have no order among themselves.
        assert.deepEqual(
          added.map((e) => e.action).sort(),
          [...actions].sort(),
          path,
        );
        for (const entry of added) {
          assert.deepEqual(entry.actor, { kind: "doctor", id: doctorId });
          assert.equal(entry.subject, subject, path);
          if (detail) assert.match(entry.detail ?? "", detail, path);
          else assert.equal(entry.detail, undefined, path);
          assert.doesNotMatch(JSON.stringify(entry), PRIVATE, path);
        }
      }
    });

    await t.step("a refused read writes nothing", async () => {
      const open = await book(doctor, "Olga Open");
      const waiting = await join(await patientTicket(open));
      await waiting.next("waiting-for-peer");
      const other = await addDoctor(doctor, "other@clinic.test");
      const listing = await (await doctor.fetch("/api/appointments?limit=1"))
        .json();
      assert.ok(listing.cursor);
      const foreign = encodeURIComponent(listing.cursor);
      const refused: [Client, string, RequestInit, number][] = [
        [doctor, `/api/sessions?from=${to}&to=${from}`, {}, 400],
        [doctor, `/api/sessions?from=${from}&to=${from}`, {}, 400],
        [doctor, `/api/sessions?cursor=${foreign}`, {}, 400],
        [doctor, `/api/sessions?patientId=${pid}&cursor=${foreign}`, {}, 400],
        [doctor, `/api/audit?from=${from}&to=${to}`, {}, 400],
        [doctor, `/api/audit?cursor=${foreign}`, {}, 400],
        [doctor, "/history?from=2026-02-01&to=2026-01-01", {}, 400],
        [doctor, `/history?cursor=${foreign}`, {}, 400],
        [doctor, "/history.csv?from=2026-02-01&to=2026-01-01", {}, 400],
        [doctor, `/history.csv?cursor=${foreign}`, {}, 400],
        [doctor, `/api/sessions/${open.id}/report`, {}, 409],
        [other, `/api/sessions/${ended.id}`, {}, 404],
        [other, `/api/sessions/${ended.id}/report`, {}, 404],
        [other, `/sessions/${ended.id}`, {}, 404],
        [other, `/api/sessions/${ended.id}/notes`, {}, 404],
        [doctor, `/sessions/${ended.id}`, {
          method: "POST",
          body: new URLSearchParams({
            action: "save-note",
            text: "x".repeat(20_000),
            baseVersion: "1",
          }),
        }, 400],
        [doctor, `/sessions/${ended.id}`, {
          method: "POST",
          body: new URLSearchParams({
            action: "save-note",
            text: "stale",
            baseVersion: "0",
          }),
        }, 409],
      ];
      for (const [who, path, init, expected] of refused) {
        const before = await snapshot(server.kv);
        const res = await who.fetch(path, init);
        await res.body?.cancel();
        assert.equal(res.status, expected, path);
        assert.equal(await snapshot(server.kv), before, path);
      }
      waiting.ws.close();
    });
  } finally {
    await server.close();
  }
});
