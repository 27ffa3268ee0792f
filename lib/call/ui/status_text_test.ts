import assert from "node:assert/strict";
import { statusText } from "./status_text.ts";

Deno.test("the status line speaks to each side of the call", () => {
  assert.match(statusText("waiting", "patient", "Dr Who"), /waiting room/);
  assert.equal(
    statusText("waiting", "doctor", "Ada Lovelace"),
    "Waiting for Ada Lovelace to join.",
  );
  assert.equal(
    statusText("peer-left", "patient", "the doctor"),
    "The doctor left the call.",
  );
  assert.equal(
    statusText("ended", "patient", "the doctor"),
    "The visit has ended.",
  );
  assert.equal(
    statusText("ended", "patient", "the doctor", "You left the visit."),
    "You left the visit.",
  );
});
