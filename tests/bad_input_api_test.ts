/**
 * Bad input to the API, endpoint by endpoint: each answer is a clear error
 * (JSON with a code, and the field at fault), never a 500, and the store is
 * exactly as it was.
 */
import assert from "node:assert/strict";
import { type Case, type Ids, requestCases } from "./helpers/bad_api_cases.ts";
import { bookingCases, valid } from "./helpers/bad_booking_cases.ts";
import { Client, snapshot, startIn, startServer } from "./helpers/server.ts";

const cases: Case[] = [...bookingCases, ...requestCases];

async function send(client: Client, c: Case, ids: Ids) {
  const path = typeof c.path === "function" ? c.path(ids) : c.path;
  const headers: Record<string, string> = {};
  if (c.type) headers["content-type"] = c.type;
  if (c.name === "delete stale If-Match") {
    headers["if-match"] = '"00000000000000010000"';
  }
  return await client.fetch(path, { method: c.method, headers, body: c.body });
}

Deno.test("the API answers bad input with a clear error and stores nothing", async (t) => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const created = await (await doctor.json("/api/appointments", {
      ...valid,
      startsAt: startIn(24 * 60),
    })).json();
    const ids = { id: created.id, token: created.visitUrl.split("/visit/")[1] };
    for (const c of cases) {
      await t.step(c.name, async () => {
        const before = await snapshot(server.kv);
        const client = c.signedOut ? new Client(server.url) : doctor;
        const res = await send(client, c, ids);
        assert.equal(res.status, c.status);
        const body = await res.json();
        assert.equal(body.error.code, c.code);
        assert.equal(typeof body.error.message, "string");
        if (c.field) {
          assert.ok(body.error.fields?.[c.field], JSON.stringify(body));
        }
        assert.equal(await snapshot(server.kv), before, "nothing is stored");
      });
    }
  } finally {
    await server.close();
  }
});
