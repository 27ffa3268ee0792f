/**
 * A clinic with no SMTP server: nothing is queued, the appointment page says
 * mail is off, and where the visit link is shown it offers the invitation
 * the clinic would have sent, as a mailto: link for the doctor's own mail
 * program, in the patient's language and zone.
 */
import assert from "node:assert/strict";
import { Client, startIn, startServer } from "./helpers/server.ts";

function decodeEntities(text: string) {
  return text.replaceAll("&amp;", "&").replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">");
}

Deno.test("mail off: the page says so and offers the invitation as a mailto: link", async () => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const res = await doctor.json("/api/appointments", {
      patientName: "Ana García",
      patientEmail: "ana+visits@example.org",
      patientLanguage: "es",
      patientTimeZone: "America/Mexico_City",
      startsAt: startIn(90),
      durationMinutes: 20,
    });
    assert.equal(res.status, 201);
    const visit = await res.json();

    const messages = await doctor.fetch(
      `/api/appointments/${visit.id}/messages`,
    );
    assert.deepEqual((await messages.json()).items, [], "nothing was queued");
    const resend = await doctor.fetch(
      `/api/appointments/${visit.id}/invitation`,
      { method: "POST" },
    );
    assert.equal(resend.status, 409);
    assert.equal((await resend.json()).error.code, "mail_off");

    // A new visit link is shown once, with the mailto: link beside it.
    const issued = await doctor.form(`/appointments/${visit.id}`, {
      action: "reissue-visit-link",
    });
    assert.equal(issued.status, 303);
    await issued.body?.cancel();
    const html = await (await doctor.fetch(`/appointments/${visit.id}`))
      .text();
    assert.match(html, /Mail is off/);
    const visitUrl = /id="visit-link"[^>]*value="([^"]+)"/.exec(html)?.[1] ??
      /value="([^"]+)"[^>]*id="visit-link"/.exec(html)?.[1];
    assert.ok(visitUrl?.startsWith(`${server.url}/visit/`), "the link shown");
    const href = /href="(mailto:[^"]*?subject=[^"]+)"/.exec(html)?.[1];
    assert.ok(href, "a mailto: link");
    const mailto = new URL(decodeEntities(href));
    assert.equal(decodeURIComponent(mailto.pathname), "ana+visits@example.org");
    const subject = mailto.searchParams.get("subject") ?? "";
    const body = mailto.searchParams.get("body") ?? "";
    assert.match(subject, /^Videoconsulta con /, "the subject is in Spanish");
    assert.ok(body.includes(visitUrl!), "the body has the visit link");
    assert.match(body, /hora estándar central/, "the time names its zone");
    assert.ok(!body.replace(/\r\n/g, "").includes("\n"), "CRLF lines");

    // Without the link on screen there is nothing to write with.
    const later = await (await doctor.fetch(`/appointments/${visit.id}`))
      .text();
    assert.doesNotMatch(later, /href="mailto:[^"]*body=/);
  } finally {
    await server.close();
  }
});
