import assert from "node:assert/strict";
import { Client, startIn, startServer } from "./helpers/server.ts";

Deno.test("a doctor signs in, schedules a visit and the patient opens its link", async () => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const res = await doctor.json("/api/appointments", {
      patientName: "Ada Lovelace",
      startsAt: startIn(60),
      durationMinutes: 20,
    });
    assert.equal(res.status, 201);
    const body = await res.json();
    assert.ok(body.visitUrl.startsWith(`${server.url}/visit/`));
    const page = await fetch(body.visitUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Your video visit with admin/);
  } finally {
    await server.close();
  }
});
