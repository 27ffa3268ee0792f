/**
 * Bad input, endpoint by endpoint: each answer is a clear error (JSON with a
 * code for the API, the form again with messages for pages), never a 500,
 * and the store is exactly as it was.
 */
import assert from "node:assert/strict";
import {
  Client,
  snapshot,
  startIn,
  startServer,
  type TestServer,
} from "./helpers/server.ts";

interface Case {
  name: string;
  method: string;
  path: string | ((ids: Ids) => string);
  body?: string;
  type?: string;
  status: number;
  code?: string;
  field?: string;
  signedOut?: boolean;
}

interface Ids {
  id: string;
  token: string;
}

const json = "application/json";
const form = "application/x-www-form-urlencoded";
const valid = {
  patientName: "Ada Lovelace",
  startsAt: "2030-01-01T09:00:00+01:00",
  durationMinutes: 20,
};
const withField = (patch: Record<string, unknown>) =>
  JSON.stringify({ ...valid, ...patch });

const cases: Case[] = [
  {
    name: "not signed in",
    method: "POST",
    path: "/api/appointments",
    body: withField({}),
    type: json,
    status: 401,
    code: "unauthenticated",
    signedOut: true,
  },
  {
    name: "malformed JSON",
    method: "POST",
    path: "/api/appointments",
    body: "{nope",
    type: json,
    status: 400,
    code: "invalid_json",
  },
  {
    name: "not JSON at all",
    method: "POST",
    path: "/api/appointments",
    body: "a=b",
    type: form,
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "JSON that is not an object",
    method: "POST",
    path: "/api/appointments",
    body: "[1,2]",
    type: json,
    status: 400,
    code: "invalid_input",
  },
  {
    name: "missing name",
    method: "POST",
    path: "/api/appointments",
    body: JSON.stringify({ startsAt: valid.startsAt, durationMinutes: 20 }),
    type: json,
    status: 400,
    code: "invalid_input",
    field: "patientName",
  },
  {
    name: "name too long",
    method: "POST",
    path: "/api/appointments",
    body: withField({ patientName: "x".repeat(101) }),
    type: json,
    status: 400,
    code: "invalid_input",
    field: "patientName",
  },
  {
    name: "wrong type",
    method: "POST",
    path: "/api/appointments",
    body: withField({ patientName: 42 }),
    type: json,
    status: 400,
    code: "invalid_input",
    field: "patientName",
  },
  {
    name: "unknown field",
    method: "POST",
    path: "/api/appointments",
    body: withField({ isAdmin: true }),
    type: json,
    status: 400,
    code: "invalid_input",
  },
  {
    name: "start without offset",
    method: "POST",
    path: "/api/appointments",
    body: withField({ startsAt: "2030-01-01T09:00:00" }),
    type: json,
    status: 400,
    code: "invalid_input",
    field: "startsAt",
  },
  {
    name: "start in the past",
    method: "POST",
    path: "/api/appointments",
    body: withField({ startsAt: "2020-01-01T09:00:00Z" }),
    type: json,
    status: 400,
    code: "invalid_input",
    field: "startsAt",
  },
  {
    name: "start too far ahead",
    method: "POST",
    path: "/api/appointments",
    body: withField({ startsAt: "2099-01-01T09:00:00Z" }),
    type: json,
    status: 400,
    code: "invalid_input",
    field: "startsAt",
  },
  {
    name: "duration zero",
    method: "POST",
    path: "/api/appointments",
    body: withField({ durationMinutes: 0 }),
    type: json,
    status: 400,
    code: "invalid_input",
    field: "durationMinutes",
  },
  {
    name: "duration too long",
    method: "POST",
    path: "/api/appointments",
    body: withField({ durationMinutes: 1000 }),
    type: json,
    status: 400,
    code: "invalid_input",
    field: "durationMinutes",
  },
  {
    name: "duration not whole",
    method: "POST",
    path: "/api/appointments",
    body: withField({ durationMinutes: 12.5 }),
    type: json,
    status: 400,
    code: "invalid_input",
    field: "durationMinutes",
  },
  {
    name: "bad email",
    method: "POST",
    path: "/api/appointments",
    body: withField({ patientEmail: "not-an-email" }),
    type: json,
    status: 400,
    code: "invalid_input",
    field: "patientEmail",
  },
  {
    name: "bad phone",
    method: "POST",
    path: "/api/appointments",
    body: withField({ patientPhone: "call me maybe" }),
    type: json,
    status: 400,
    code: "invalid_input",
    field: "patientPhone",
  },
  {
    name: "body over 64 KiB",
    method: "POST",
    path: "/api/appointments",
    body: withField({ reason: "x".repeat(70_000) }),
    type: json,
    status: 413,
    code: "too_large",
  },
  {
    name: "bad limit",
    method: "GET",
    path: "/api/appointments?limit=0",
    status: 400,
    code: "invalid_input",
    field: "limit",
  },
  {
    name: "limit too high",
    method: "GET",
    path: "/api/appointments?limit=101",
    status: 400,
    code: "invalid_input",
    field: "limit",
  },
  {
    name: "limit not a number",
    method: "GET",
    path: "/api/appointments?limit=abc",
    status: 400,
    code: "invalid_input",
    field: "limit",
  },
  {
    name: "unknown query",
    method: "GET",
    path: "/api/appointments?sort=name",
    status: 400,
    code: "invalid_input",
  },
  {
    name: "forged cursor",
    method: "GET",
    path: "/api/appointments?cursor=AAAAAAAAAAAAAAAA",
    status: 400,
    code: "invalid_cursor",
  },
  {
    name: "malformed id",
    method: "GET",
    path: "/api/appointments/..%2f..%2fetc",
    status: 404,
    code: "not_found",
  },
  {
    name: "unknown id",
    method: "GET",
    path: "/api/appointments/00000000000000000000000000000000",
    status: 404,
    code: "not_found",
  },
  {
    name: "patch with nothing",
    method: "PATCH",
    path: (i) => `/api/appointments/${i.id}`,
    body: "{}",
    type: json,
    status: 400,
    code: "invalid_input",
  },
  {
    name: "patch unknown field",
    method: "PATCH",
    path: (i) => `/api/appointments/${i.id}`,
    body: '{"status":"scheduled"}',
    type: json,
    status: 400,
    code: "invalid_input",
  },
  {
    name: "patch stale version",
    method: "PATCH",
    path: (i) => `/api/appointments/${i.id}`,
    body: '{"reason":"x","version":"00000000000000010000"}',
    type: json,
    status: 409,
    code: "conflict",
  },
  {
    name: "patch unknown id",
    method: "PATCH",
    path: "/api/appointments/00000000000000000000000000000000",
    body: '{"reason":"x"}',
    type: json,
    status: 404,
    code: "not_found",
  },
  {
    name: "delete unknown id",
    method: "DELETE",
    path: "/api/appointments/00000000000000000000000000000000",
    status: 404,
    code: "not_found",
  },
  {
    name: "delete stale If-Match",
    method: "DELETE",
    path: (i) => `/api/appointments/${i.id}`,
    status: 409,
    code: "conflict",
  },
  {
    name: "wrong method",
    method: "PUT",
    path: "/api/appointments",
    body: "{}",
    type: json,
    status: 405,
    code: "method_not_allowed",
  },
  {
    name: "visit link for unknown id",
    method: "POST",
    path: "/api/appointments/00000000000000000000000000000000/visit-link",
    status: 404,
    code: "not_found",
  },
  {
    name: "ticket for unknown id",
    method: "POST",
    path: "/api/appointments/00000000000000000000000000000000/ticket",
    status: 404,
    code: "not_found",
  },
  {
    name: "ticket too early",
    method: "POST",
    path: (i) => `/api/appointments/${i.id}/ticket`,
    status: 409,
    code: "not_open",
  },
  {
    name: "patient ticket, forged token",
    method: "POST",
    path: `/api/visits/${"A".repeat(43)}/ticket`,
    status: 404,
    code: "not_found",
    signedOut: true,
  },
  {
    name: "patient ticket, malformed token",
    method: "POST",
    path: "/api/visits/short/ticket",
    status: 404,
    code: "not_found",
    signedOut: true,
  },
  {
    name: "unknown API path",
    method: "GET",
    path: "/api/nothing-here",
    status: 404,
    code: "not_found",
  },
];

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

async function formCase(
  server: TestServer,
  client: Client,
  path: string,
  fields: Record<string, string>,
  expect: { status: number; text: RegExp },
) {
  const before = await snapshot(server.kv);
  const res = await client.form(path, fields);
  assert.equal(res.status, expect.status);
  const html = await res.text();
  assert.match(html, expect.text);
  assert.equal(await snapshot(server.kv), before, "nothing is stored");
  return html;
}

Deno.test("forms answer bad input beside the fields, keep the input, and store nothing", async () => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const html = await formCase(server, doctor, "/dashboard", {
      patientName: "",
      patientEmail: "ada@",
      startsAt: "2026-02-30T10:00",
      durationMinutes: "3",
      reason: "<script>alert(1)</script>",
    }, {
      status: 400,
      text: /Enter the patient&#39;s name|Enter the patient's name/,
    });
    assert.match(html, /id="field-patientEmail-error"/);
    assert.match(html, /id="field-startsAt-error">Choose a date and time/);
    assert.match(html, /id="field-durationMinutes-error">At least 5 minutes/);
    assert.match(html, /value="ada@"/, "the typed email is kept");
    assert.match(
      html,
      /&lt;script>alert\(1\)&lt;\/script>/,
      "kept, and escaped",
    );
    assert.ok(!html.includes("<script>alert(1)</script>"));

    await formCase(server, doctor, "/doctors", {
      name: "",
      email: "x",
      password: "short",
    }, { status: 400, text: /Use at least 10 characters/ });
    await formCase(server, new Client(server.url), "/login", {
      email: "not-an-email",
      password: "",
    }, { status: 400, text: /Enter your email address/ });
    const garbled = await doctor.fetch("/dashboard", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=zzz" },
      body: "not multipart at all",
    });
    assert.equal(garbled.status, 400);
    await garbled.body?.cancel();
    const action = await doctor.form(
      "/appointments/00000000000000000000000000000000",
      {
        action: "cancel",
      },
    );
    assert.equal(action.status, 404);
    await action.body?.cancel();
  } finally {
    await server.close();
  }
});
