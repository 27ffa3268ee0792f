import assert from "node:assert/strict";
import type { Appointment } from "@/lib/store/appointments.ts";
import { escapeText } from "./ics.ts";
import { inviteSequence, patientEvent } from "./visit_invite.ts";

function appointment(createdAt: number, updatedAt: number): Appointment {
  return {
    id: "a",
    doctorId: "d",
    patientId: "p",
    patientName: "n",
    reason: "r",
    startsAt: 0,
    durationMinutes: 20,
    status: "scheduled",
    visitTokenHash: "h",
    createdAt,
    updatedAt,
  };
}

/** The invite's content lines, folded lines joined again. */
function contentLines(ics: string): string[] {
  return ics.replace(/\r\n /g, "").split("\r\n").slice(0, -1);
}

Deno.test("the event's SEQUENCE rises with every saved change", () => {
  const t0 = Date.UTC(2026, 0, 1);
  assert.equal(inviteSequence(appointment(t0, t0)), 0);
  const later = [t0 + 1_000, t0 + 60_000, t0 + 86_400_000, t0 + 4e11];
  let last = 0;
  for (const updatedAt of later) {
    const sequence = inviteSequence(appointment(t0, updatedAt));
    assert.ok(sequence > last, `${sequence} > ${last}`);
    assert.ok(Number.isInteger(sequence) && sequence <= 2 ** 31 - 1);
    last = sequence;
  }
  // A clock step back never gives a negative number.
  assert.equal(inviteSequence(appointment(t0, t0 - 5_000)), 0);
});

Deno.test("the patient's event is in their language, and Spanish text folds and escapes", () => {
  const facts = {
    clinicName: "Clínica Ribera; Centro, Sur",
    doctor: { name: "Dra. Ana Ruiz Núñez", title: "Médica de familia" },
    startsAt: Date.UTC(2026, 10, 24, 8, 30),
    durationMinutes: 30,
    uid: "a@clinic.example",
    sequence: 3,
    visitUrl: "https://clinic.example/visit/" + "t".repeat(60),
    stampedAt: 0,
  };
  const es = patientEvent({
    ...facts,
    language: "es",
    method: "REQUEST",
    cancelled: false,
  });
  const lines = contentLines(es);
  assert.ok(
    lines.includes(
      "SUMMARY:Videoconsulta con Dra. Ana Ruiz Núñez\\, Médica de familia",
    ),
  );
  assert.ok(
    lines.includes(
      `DESCRIPTION:${
        escapeText(
          `Videoconsulta con ${facts.clinicName}. Abra ${facts.visitUrl} para entrar.`,
        )
      }`,
    ),
  );
  assert.ok(
    lines.includes(
      "DESCRIPTION:Videoconsulta con Clínica Ribera\\; Centro\\, Sur. Abra " +
        facts.visitUrl + " para entrar.",
    ),
  );
  // Every physical line is at most 75 octets and whole UTF-8 on its own.
  const fatal = new TextDecoder("utf-8", { fatal: true });
  for (const physical of es.split("\r\n")) {
    const bytes = new TextEncoder().encode(physical);
    assert.ok(bytes.length <= 75, `${bytes.length}: ${physical}`);
    fatal.decode(bytes);
  }
  assert.ok(es.split("\r\n").some((l) => l.startsWith(" ")), "folded");

  const cancelled = contentLines(
    patientEvent({
      ...facts,
      visitUrl: undefined,
      language: "es",
      method: "CANCEL",
      cancelled: true,
    }),
  );
  assert.ok(cancelled.includes("METHOD:CANCEL"));
  assert.ok(cancelled.includes("STATUS:CANCELLED"));
  assert.ok(cancelled.some((l) => l.startsWith("SUMMARY:Cancelada: ")));
  assert.ok(!cancelled.some((l) => l.startsWith("URL:")));

  const en = contentLines(
    patientEvent({
      ...facts,
      language: "en",
      method: "PUBLISH",
      cancelled: false,
    }),
  );
  assert.ok(en.some((l) => l.startsWith("SUMMARY:Video visit with Dra.")));
  // A download is a file to import: no organizer, no request.
  assert.ok(en.includes("METHOD:PUBLISH"));
});
