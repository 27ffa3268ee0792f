/**
 * The appointments API through a real server: create, list with a cursor,
 * change with and without versions (concurrently too), cancel, new links,
 * and one doctor never seeing another's appointments.
 */
import assert from "node:assert/strict";
import { Client, startIn, startServer } from "./helpers/server.ts";

Deno.test("appointments API: the whole life of a visit", async (t) => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const create = async (minutes: number, patientId?: string) => {
      const res = await doctor.json("/api/appointments", {
        ...(patientId ? { patientId } : {
          patientName: "Ada Lovelace",
          patientEmail: "ada@example.org",
        }),
        reason: "Follow-up",
        startsAt: startIn(minutes),
        durationMinutes: 20,
      });
      assert.equal(res.status, 201);
      assert.match(
        res.headers.get("location") ?? "",
        /^\/api\/appointments\/[0-9a-f]{32}$/,
      );
      return await res.json();
    };

    await t.step(
      "a returning patient, chosen by id, keeps one record",
      async () => {
        const first = await create(60);
        const second = await create(120, first.patient.id);
        assert.equal(first.patient.id, second.patient.id);
        assert.equal(second.patient.name, "Ada Lovelace");
        assert.ok(
          first.patientDashboardUrl,
          "a new patient gets a personal link",
        );
        assert.equal(second.patientDashboardUrl, undefined);
        const page = await fetch(first.patientDashboardUrl);
        const html = await page.text();
        assert.equal(page.status, 200);
        assert.equal(
          html.match(/<li>/g)?.length,
          2,
          "both upcoming visits are listed",
        );
      },
    );

    await t.step(
      "listing pages through every appointment once, in order",
      async () => {
        for (let i = 0; i < 3; i++) await create(200 + i * 30);
        const seen: string[] = [];
        const starts: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const query: string = cursor
            ? `&cursor=${encodeURIComponent(cursor)}`
            : "";
          const res = await doctor.fetch(`/api/appointments?limit=2${query}`);
          const body = await res.json();
          seen.push(...body.items.map((a: { id: string }) => a.id));
          starts.push(
            ...body.items.map((a: { startsAt: string }) => a.startsAt),
          );
          cursor = body.cursor;
          pages++;
        } while (cursor);
        assert.equal(seen.length, 5);
        assert.equal(new Set(seen).size, 5);
        assert.equal(pages, 3);
        assert.deepEqual(starts, [...starts].sort());
        const from = encodeURIComponent(starts[2]);
        const filtered =
          await (await doctor.fetch(`/api/appointments?from=${from}`)).json();
        assert.equal(filtered.items.length, 3);
      },
    );

    await t.step(
      "changes: versions, If-Match, and a partial change keeps the rest",
      async () => {
        const a = await create(300);
        const moved = await doctor.json(`/api/appointments/${a.id}`, {
          durationMinutes: 30,
          version: a.version,
        }, "PATCH");
        assert.equal(moved.status, 200);
        const after = await moved.json();
        assert.equal(after.durationMinutes, 30);
        assert.equal(
          after.reason,
          "Follow-up",
          "the reason was not named, so it stays",
        );
        assert.notEqual(after.version, a.version);
        const stale = await doctor.json(`/api/appointments/${a.id}`, {
          reason: "x",
          version: a.version,
        }, "PATCH");
        assert.equal(stale.status, 409);
        await stale.body?.cancel();
        const viaHeader = await doctor.fetch(`/api/appointments/${a.id}`, {
          method: "PATCH",
          headers: {
            "content-type": "application/json",
            "if-match": `"${after.version}"`,
          },
          body: JSON.stringify({ reason: "Check-up" }),
        });
        assert.equal(viaHeader.status, 200);
        const got = await doctor.fetch(`/api/appointments/${a.id}`);
        const current = await got.json();
        assert.equal(current.reason, "Check-up");
        // Compression may weaken the tag (W/); the version inside stays.
        assert.equal(
          got.headers.get("etag")?.replace(/^W\//, ""),
          `"${current.version}"`,
        );
      },
    );

    await t.step(
      "concurrent changes without a version are all kept",
      async () => {
        for (let round = 0; round < 5; round++) {
          const a = await create(400 + round);
          const [r1, r2] = await Promise.all([
            doctor.json(`/api/appointments/${a.id}`, {
              reason: `round ${round}`,
            }, "PATCH"),
            doctor.json(
              `/api/appointments/${a.id}`,
              { durationMinutes: 45 },
              "PATCH",
            ),
          ]);
          assert.deepEqual([r1.status, r2.status], [200, 200]);
          await r1.body?.cancel();
          await r2.body?.cancel();
          const final = await (await doctor.fetch(`/api/appointments/${a.id}`))
            .json();
          assert.equal(final.reason, `round ${round}`);
          assert.equal(final.durationMinutes, 45);
        }
      },
    );

    await t.step(
      "concurrent changes with the same version: one wins, one conflicts",
      async () => {
        const a = await create(500);
        const answers = await Promise.all(
          [10, 15, 25].map((d) =>
            doctor.json(`/api/appointments/${a.id}`, {
              durationMinutes: d,
              version: a.version,
            }, "PATCH")
          ),
        );
        const statuses = answers.map((r) => r.status).sort();
        for (const r of answers) await r.body?.cancel();
        assert.deepEqual(statuses, [200, 409, 409]);
      },
    );

    await t.step(
      "a new visit link revokes the old one; cancelling revokes it too",
      async () => {
        const a = await create(600);
        assert.equal((await fetch(a.visitUrl)).status, 200);
        const renewed =
          await (await doctor.fetch(`/api/appointments/${a.id}/visit-link`, {
            method: "POST",
          })).json();
        assert.notEqual(renewed.visitUrl, a.visitUrl);
        const old = await fetch(a.visitUrl);
        assert.equal(old.status, 410, "replaced");
        await old.body?.cancel();
        assert.equal((await fetch(renewed.visitUrl)).status, 200);
        const cancelled =
          await (await doctor.fetch(`/api/appointments/${a.id}`, {
            method: "DELETE",
          })).json();
        assert.equal(cancelled.status, "cancelled");
        const gone = await fetch(renewed.visitUrl);
        assert.equal(gone.status, 410, "cancelled");
        await gone.body?.cancel();
        const again = await doctor.fetch(`/api/appointments/${a.id}`, {
          method: "DELETE",
        });
        assert.equal(again.status, 200, "cancelling twice changes nothing");
        await again.body?.cancel();
        const change = await doctor.json(`/api/appointments/${a.id}`, {
          reason: "x",
        }, "PATCH");
        assert.equal(change.status, 409);
        assert.equal((await change.json()).error.code, "cancelled");
      },
    );

    await t.step("another doctor sees none of it", async () => {
      const added = await doctor.form("/doctors", {
        name: "Dr Second",
        email: "second@clinic.test",
        password: "second-password",
      });
      assert.equal(added.status, 303);
      const other = await new Client(server.url).signIn(
        "second@clinic.test",
        "second-password",
      );
      const mine = await create(700);
      const res = await other.fetch(`/api/appointments/${mine.id}`);
      assert.equal(res.status, 404);
      await res.body?.cancel();
      const list = await (await other.fetch("/api/appointments")).json();
      assert.deepEqual(list.items, []);
      const forbidden = await other.fetch("/doctors");
      assert.equal(
        forbidden.status,
        403,
        "only an administrator manages doctors",
      );
      await forbidden.body?.cancel();
    });
  } finally {
    await server.close();
  }
});
