import assert from "node:assert/strict";
import { call } from "@/lib/i18n/text/call.ts";
import { statusText } from "./status_text.ts";

Deno.test("the status line speaks to each side of the call", () => {
  const en = call.en;
  assert.match(statusText(en, "waiting", "patient", "Dr Who"), /waiting room/);
  assert.equal(
    statusText(en, "waiting", "doctor", "Ada Lovelace"),
    "Waiting for Ada Lovelace to join.",
  );
  assert.equal(
    statusText(en, "peer-left", "patient", "the doctor"),
    "The doctor left the call.",
  );
  assert.equal(
    statusText(en, "ended", "patient", "the doctor"),
    "The visit has ended.",
  );
  assert.equal(
    statusText(en, "ended", "patient", "the doctor", "youLeft"),
    "You left the visit.",
  );
});

Deno.test("the status line is in the page's language", () => {
  const es = call.es;
  assert.match(
    statusText(es, "waiting", "patient", "Dr Who"),
    /sala de espera/,
  );
  assert.equal(
    statusText(es, "connected", "patient", "Dra. Ruiz"),
    "Conectado con Dra. Ruiz.",
  );
  assert.equal(
    statusText(es, "ended", "patient", "Dra. Ruiz", "doctorEnded"),
    "El médico ha terminado la consulta. Gracias.",
  );
  assert.equal(
    statusText(es, "ended", "patient", "Dra. Ruiz", "roomClosed"),
    "Esta consulta ha terminado o fue cancelada.",
  );
});
