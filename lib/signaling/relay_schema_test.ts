import assert from "node:assert/strict";
import { parseRelayed } from "./relay_schema.ts";

const AT = 1_795_600_000_000;

Deno.test("a relayed note for the waiting patient passes only as the API would send it", () => {
  const note = {
    kind: "waiting-note",
    to: "patient",
    text: "Running 10 minutes late",
    at: AT,
  };
  assert.deepEqual(parseRelayed(note), note);
  for (
    const bad of [
      { ...note, text: "Late\r\nSee you" },
      { ...note, text: "Late \u202Eetal" },
      { ...note, text: "x".repeat(201) },
      { ...note, text: "" },
      { ...note, to: "doctor" },
      { ...note, at: -1 },
      { ...note, from: "doctor" },
    ]
  ) {
    assert.equal(parseRelayed(bad), null, JSON.stringify(bad));
  }
});

Deno.test("a waiting patient's check-in travels with them; one without it reads as none", () => {
  const patient = {
    roomId: "a".repeat(32),
    patientName: "Ana Peres",
    since: AT,
    withDoctor: false,
  };
  const checkIn = { name: "Ana Pérez", at: AT };
  assert.deepEqual(
    parseRelayed({ kind: "waiting", patient: { ...patient, checkIn } }),
    { kind: "waiting", patient: { ...patient, checkIn } },
  );
  assert.deepEqual(
    parseRelayed({ kind: "waiting", patient }),
    { kind: "waiting", patient: { ...patient, checkIn: null } },
    "from a server of the previous release",
  );
  assert.equal(
    parseRelayed({
      kind: "waiting",
      patient: { ...patient, checkIn: { ...checkIn, extra: 1 } },
    }),
    null,
  );
});
