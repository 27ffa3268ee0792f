import assert from "node:assert/strict";
import { calendarInvite } from "./ics.ts";

Deno.test("an invite has the visit's times in UTC and escaped text", () => {
  const ics = calendarInvite({
    uid: "abc@clinic",
    startsAt: Date.UTC(2026, 10, 24, 9, 0),
    durationMinutes: 30,
    summary: "Video visit, Riverside Clinic",
    description: "Join here; bring your notes\nThanks",
    now: Date.UTC(2026, 10, 20),
  });
  assert.match(ics, /\r\nDTSTART:20261124T090000Z\r\n/);
  assert.match(ics, /\r\nDTEND:20261124T093000Z\r\n/);
  assert.match(ics, /SUMMARY:Video visit\\, Riverside Clinic/);
  assert.match(ics, /DESCRIPTION:Join here\\; bring your notes\\nThanks/);
  for (const line of ics.split("\r\n")) {
    assert.ok(new TextEncoder().encode(line).length <= 75, line);
  }
});
