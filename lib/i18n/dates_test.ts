import assert from "node:assert/strict";
import { formatClock, formatWhen } from "./dates.ts";

const at = Date.UTC(2026, 10, 24, 8, 30);

Deno.test("a visit time is in the patient's language and zone, with the zone named", () => {
  assert.equal(
    formatWhen(at, "America/New_York", "en"),
    "Tuesday, November 24, 2026 at 3:30 AM Eastern Time",
  );
  assert.equal(
    formatWhen(at, "Europe/Madrid", "es"),
    "martes, 24 de noviembre de 2026, 9:30 hora de Europa central",
  );
  assert.equal(
    formatClock(at, "Europe/Madrid", "en"),
    "9:30 AM Central European Time",
  );
});
