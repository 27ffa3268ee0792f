import assert from "node:assert/strict";
import { joinOpensAt, joinState, windowEnd } from "./visit_window.ts";

const visit = { startsAt: Date.UTC(2026, 10, 24, 9, 0), durationMinutes: 20 };

Deno.test("join opens 10 minutes before the start", () => {
  assert.equal(joinOpensAt(visit), Date.UTC(2026, 10, 24, 8, 50));
  assert.equal(
    joinState(visit, Date.UTC(2026, 10, 24, 8, 49, 59)),
    "too-early",
  );
  assert.equal(joinState(visit, Date.UTC(2026, 10, 24, 8, 50)), "open");
});

Deno.test("the visit window ends 30 minutes after the scheduled end", () => {
  assert.equal(windowEnd(visit), Date.UTC(2026, 10, 24, 9, 50));
  assert.equal(joinState(visit, Date.UTC(2026, 10, 24, 9, 49, 59)), "open");
  assert.equal(joinState(visit, Date.UTC(2026, 10, 24, 9, 50)), "over");
});
