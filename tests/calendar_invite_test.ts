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
      "Dr Line\rBreak\u2028Name",
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
      "SUMMARY:Video visit with Dr Line\\nBreak\\nName",
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
