import assert from "node:assert/strict";
import {
  formatDateTime,
  parseLocalDateTime,
  startOfDay,
  toLocalInput,
} from "./time.ts";

Deno.test("a local time is read in the clinic's zone", () => {
  assert.equal(
    parseLocalDateTime("2026-11-24T09:30", "Europe/Paris"),
    Date.UTC(2026, 10, 24, 8, 30),
  );
  assert.equal(
    parseLocalDateTime("2026-07-01T09:30", "Europe/Paris"),
    Date.UTC(2026, 6, 1, 7, 30),
  );
  assert.equal(
    parseLocalDateTime("2026-11-24T09:30", "America/New_York"),
    Date.UTC(2026, 10, 24, 14, 30),
  );
  assert.equal(
    parseLocalDateTime("2026-11-24T09:30", "UTC"),
    Date.UTC(2026, 10, 24, 9, 30),
  );
});

Deno.test("a time in the spring-forward gap moves forward", () => {
  // 02:30 does not exist in Paris on 29 March 2026.
  const ms = parseLocalDateTime("2026-03-29T02:30", "Europe/Paris")!;
  assert.equal(toLocalInput(ms, "Europe/Paris"), "2026-03-29T03:30");
});

Deno.test("impossible or malformed dates are rejected", () => {
  for (
    const bad of [
      "2026-02-30T10:00",
      "2026-11-24 09:30",
      "2026-11-24T24:00",
      "",
      "x",
    ]
  ) {
    assert.equal(parseLocalDateTime(bad, "UTC"), null, bad);
  }
});

Deno.test("round trip, start of day and display", () => {
  const ms = Date.UTC(2026, 10, 24, 23, 15);
  assert.equal(toLocalInput(ms, "Asia/Tokyo"), "2026-11-25T08:15");
  assert.equal(startOfDay(ms, "Asia/Tokyo"), Date.UTC(2026, 10, 24, 15, 0));
  assert.equal(formatDateTime(ms, "UTC"), "Tue, 24 Nov 2026, 23:15");
});
