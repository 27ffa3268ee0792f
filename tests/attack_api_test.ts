/**
 * The smaller doors an outsider tries: ranges that end before they start,
 * content types that only look like JSON, cursors carried to another
 * listing or doctor, and the doctor's calendar invite. Each is refused (or
 * names no patient), never a 500.
 */
import assert from "node:assert/strict";
import {
  addDoctor,
  Client,
  snapshot,
  startIn,
  startServer,
} from "./helpers/server.ts";

Deno.test("ranges, content types and cursors from outside are refused, never a 500", async (t) => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const other = await addDoctor(doctor, "other@clinic.test");
    const early = "2026-01-01T00:00:00Z";
    const late = "2026-02-01T00:00:00Z";

    await t.step("a range that ends before it starts is a 400", async () => {
      for (const path of ["/api/appointments", "/api/sessions"]) {
        for (const [from, to] of [[late, early], [early, early]]) {
          const res = await doctor.fetch(
            `${path}?from=${encodeURIComponent(from)}&to=${
              encodeURIComponent(to)
            }`,
          );
          assert.equal(res.status, 400, `${path} ${from} ${to}`);
          const body = await res.json();
          assert.equal(body.error.code, "invalid_input");
          assert.ok(body.error.fields.to);
        }
      }
      const page = await doctor.fetch("/history?from=2026-02-01&to=2026-01-01");
      assert.equal(page.status, 400);
      await page.body?.cancel();
    });

    await t.step("only application/json is read as JSON", async () => {
      const types = [
        "text/plain; application/json",
        "text/plain;application/json",
        "application/jsonp",
        "application/json-patch+json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=application/json",
        "text/html, application/json",
        "application/json; charset=latin1",
        "application/json; foo=application/json",
        "APPLICATION/XML; application/json",
        " application/json2",
        "",
      ];
      const before = await snapshot(server.kv);
      for (const type of types) {
        const res = await doctor.fetch("/api/appointments", {
          method: "POST",
          headers: type ? { "content-type": type } : {},
          body: JSON.stringify({
            patientName: "Ada",
            startsAt: startIn(60),
            durationMinutes: 20,
          }),
        });
        assert.equal(res.status, 415, JSON.stringify(type));
        await res.body?.cancel();
      }
      assert.equal(await snapshot(server.kv), before);
      const ok = await doctor.fetch("/api/appointments", {
        method: "POST",
        headers: { "content-type": "Application/JSON; charset=UTF-8" },
        body: JSON.stringify({
          patientName: "Ada",
          startsAt: startIn(60),
          durationMinutes: 20,
        }),
      });
      assert.equal(ok.status, 201);
      await ok.body?.cancel();
    });

    await t.step(
      "a cursor works only in the listing that made it",
      async () => {
        for (let i = 0; i < 3; i++) {
          const res = await doctor.json("/api/appointments", {
            patientName: `P${i}`,
            startsAt: startIn(120 + i * 30),
            durationMinutes: 20,
          });
          await res.body?.cancel();
        }
        const first = await (await doctor.fetch("/api/appointments?limit=1"))
          .json();
        assert.ok(first.cursor);
        const cursor = encodeURIComponent(first.cursor);
        const same = await doctor.fetch(
          `/api/appointments?limit=1&cursor=${cursor}`,
        );
        assert.equal(same.status, 200);
        await same.body?.cancel();
        for (
          const [who, path] of [
            [other, `/api/appointments?limit=1&cursor=${cursor}`],
            [
              doctor,
              `/api/appointments?limit=1&from=${
                encodeURIComponent(startIn(100))
              }&cursor=${cursor}`,
            ],
            [doctor, `/api/sessions?cursor=${cursor}`],
            [doctor, `/api/audit?cursor=${cursor}`],
            [doctor, `/api/appointments?cursor=${"A".repeat(40)}`],
          ] as const
        ) {
          const res = await who.fetch(path);
          assert.equal(res.status, 400, path);
          assert.equal((await res.json()).error.code, "invalid_cursor");
        }
      },
    );

    await t.step("the doctor's calendar invite names no patient", async () => {
      const created = await (await doctor.json("/api/appointments", {
        patientName: "Zelda Private",
        reason: "Sensitive reason",
        startsAt: startIn(200),
        durationMinutes: 20,
      })).json();
      const ics = await (await doctor.fetch(
        `/appointments/${created.id}/invite.ics`,
      )).text();
      assert.doesNotMatch(ics, /Zelda|Sensitive/);
      assert.match(ics, /SUMMARY:Video visit\r\n/);
    });
  } finally {
    await server.close();
  }
});
