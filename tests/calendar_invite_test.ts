/**
 * Calendar invites leave the clinic (phones, other companies' calendar
 * servers): the doctor's names no patient and no reason, the patient's
 * names only their own doctor, and no text in either can start a line.
 */
import assert from "node:assert/strict";
import { addDoctor, Client, startIn, startServer } from "./helpers/server.ts";

/** The invite's content lines, folded lines joined again. */
function contentLines(ics: string): string[] {
  return ics.replace(/\r\n /g, "").split("\r\n").filter(Boolean);
}

Deno.test("invites carry a title, the time and a link, and no patient's details", async () => {
  const server = await startServer({
    CLINIC_NAME: "Riverside; Clinic,\rATTENDEE:x@example.org",
  });
  try {
    const admin = await new Client(server.url).signIn();
    const doctor = await addDoctor(
      admin,
      "dr@clinic.test",
      "Dr Semi; Colon, Name",
    );
    const created = await doctor.json("/api/appointments", {
      patientName: "Zelda Private",
      patientEmail: "zelda@example.org",
      reason: "Sensitive reason",
      startsAt: startIn(60),
      durationMinutes: 20,
    });
    assert.equal(created.status, 201);
    const visit = await created.json();
    const token = visit.visitUrl.split("/visit/")[1];

    const own = await doctor.fetch(`/appointments/${visit.id}/invite.ics`);
    assert.equal(own.status, 200);
    assert.match(own.headers.get("content-type") ?? "", /^text\/calendar/);
    const forDoctor = await own.text();
    const patientFacing = await fetch(
      `${server.url}/visit/${token}/invite.ics`,
    );
    assert.equal(patientFacing.status, 200);
    const forPatient = await patientFacing.text();

    for (const [who, ics] of [["doctor", forDoctor], ["patient", forPatient]]) {
      assert.doesNotMatch(ics, /Zelda|Private|zelda@|Sensitive/, who);
      assert.ok(!/\r(?!\n)|(?<!\r)\n/.test(ics), `${who}: only CRLF`);
      const lines = contentLines(ics);
      assert.ok(!lines.some((l) => l.startsWith("ATTENDEE")), who);
      assert.equal(lines.filter((l) => l.startsWith("BEGIN:")).length, 2);
    }
    const summary = (ics: string) =>
      contentLines(ics).find((l) => l.startsWith("SUMMARY:"));
    assert.equal(summary(forDoctor), "SUMMARY:Video visit");
    assert.equal(
      summary(forPatient),
      "SUMMARY:Video visit with Dr Semi\\; Colon\\, Name",
    );
    assert.ok(
      contentLines(forDoctor).includes(
        `URL:${server.url}/appointments/${visit.id}`,
      ),
    );
    assert.ok(
      contentLines(forPatient).includes(`URL:${server.url}/visit/${token}`),
    );

    // Another doctor's visit has no invite for this doctor.
    const foreign = await admin.fetch(`/appointments/${visit.id}/invite.ics`);
    assert.equal(foreign.status, 404);
    await foreign.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("the patient's invite is in the visit's language; the doctor's says when a visit is cancelled", async () => {
  const server = await startServer({ CLINIC_LANGUAGE: "es" });
  try {
    const admin = await new Client(server.url).signIn();
    const doctor = await addDoctor(admin, "ana@clinic.test", "Ana Ruiz");
    const profile = await (await doctor.fetch("/profile")).text();
    const version = /name="version" value="([^"]+)"/.exec(profile)?.[1];
    assert.ok(version, "the profile form carries its version");
    const saved = await doctor.form("/profile", {
      name: "Dra. Ana Ruiz",
      title: "Médica de familia",
      version,
    });
    assert.equal(saved.status, 303);
    await saved.body?.cancel();
    const created = await doctor.json("/api/appointments", {
      patientName: "Zelda Private",
      reason: "Sensitive reason",
      startsAt: startIn(60),
      durationMinutes: 20,
    });
    assert.equal(created.status, 201);
    const visit = await created.json();
    const token = visit.visitUrl.split("/visit/")[1];

    const patientFacing = await fetch(
      `${server.url}/visit/${token}/invite.ics`,
    );
    assert.equal(patientFacing.status, 200);
    const forPatient = contentLines(await patientFacing.text());
    assert.ok(
      forPatient.includes(
        "SUMMARY:Videoconsulta con Dra. Ana Ruiz\\, Médica de familia",
      ),
    );
    assert.ok(
      forPatient.some((l) => l.startsWith("DESCRIPTION:Videoconsulta con ")),
    );
    assert.ok(forPatient.includes("METHOD:PUBLISH"));
    assert.ok(forPatient.some((l) => /^SEQUENCE:\d+$/.test(l)));
    assert.ok(!forPatient.includes("STATUS:CANCELLED"));

    const cancelled = await doctor.fetch(`/api/appointments/${visit.id}`, {
      method: "DELETE",
    });
    assert.equal(cancelled.status, 200);
    await cancelled.body?.cancel();
    const own = await doctor.fetch(`/appointments/${visit.id}/invite.ics`);
    assert.equal(own.status, 200);
    const forDoctor = contentLines(await own.text());
    // The doctor's pages are in English, whatever the patient's language.
    assert.ok(forDoctor.includes("SUMMARY:Cancelled: Video visit"));
    assert.ok(forDoctor.includes("STATUS:CANCELLED"));
    assert.equal(
      forDoctor.find((l) => l.startsWith("UID:")),
      forPatient.find((l) => l.startsWith("UID:")),
      "one event, so the calendar replaces it",
    );
  } finally {
    await server.close();
  }
});
