/**
 * Bad input to the pages' forms: each answer is the form again with the
 * messages beside the fields and the input kept (escaped), never a 500, and
 * the store is exactly as it was.
 */
import assert from "node:assert/strict";
import {
  Client,
  snapshot,
  startServer,
  type TestServer,
} from "./helpers/server.ts";
import { openVisitNow } from "./helpers/signal_client.ts";

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

Deno.test("Cancel visit without ticking “Yes, cancel this visit” cancels nothing", async () => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const visit = await openVisitNow(server, doctor);
    const path = `/appointments/${visit.id}`;
    const page = await (await doctor.fetch(path)).text();
    assert.match(page, /name="confirmCancel" value="yes" required/);
    for (const confirmCancel of [undefined, "", "no", "YES", "yes\u0000"]) {
      const html = await formCase(server, doctor, path, {
        action: "cancel",
        cancelReason: "Typed in a hurry",
        ...(confirmCancel === undefined ? {} : { confirmCancel }),
      }, { status: 400, text: /Tick “Yes, cancel this visit” to cancel it/ });
      assert.match(html, /id="field-confirmCancel-error"/);
      assert.match(html, />Typed in a hurry</, "the reason is kept");
    }
    const still = await (await doctor.fetch(`/api/appointments/${visit.id}`))
      .json();
    assert.equal(still.status, "scheduled");
    const res = await doctor.form(path, {
      action: "cancel",
      confirmCancel: "yes",
    });
    assert.equal(res.status, 303);
    await res.body?.cancel();
    const cancelled =
      await (await doctor.fetch(`/api/appointments/${visit.id}`)).json();
    assert.equal(cancelled.status, "cancelled");
  } finally {
    await server.close();
  }
});
