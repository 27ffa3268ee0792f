import assert from "node:assert/strict";
import { calendarInvite, escapeText } from "./ics.ts";

Deno.test("no text can end an invite's line and add a property", () => {
  for (
    const hostile of [
      "a\rATTENDEE:evil@example.org",
      "a\nATTENDEE:evil@example.org",
      "a\r\nATTENDEE:evil@example.org",
      "a\u0000\u001b\u007fb",
      "a\u2028b",
    ]
  ) {
    const ics = calendarInvite({
      uid: "1@clinic",
      startsAt: 0,
      durationMinutes: 20,
      summary: hostile,
      description: hostile,
      now: 0,
    });
    const lines = ics.split("\r\n");
    assert.ok(!lines.some((l) => l.startsWith("ATTENDEE")), hostile);
    assert.ok(!/\r(?!\n)|(?<!\r)\n/.test(ics), "only CRLF line ends");
    // deno-lint-ignore no-control-regex
    assert.doesNotMatch(ics, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
  }
  assert.equal(escapeText("a;b,c\\d\re"), "a\\;b\\,c\\\\d\\ne");
});

Deno.test("long lines fold at 75 octets without splitting a character", () => {
  const ics = calendarInvite({
    uid: "1@clinic",
    startsAt: 0,
    durationMinutes: 20,
    summary: "é".repeat(100),
    description: "x",
    now: 0,
  });
  for (const line of ics.split("\r\n")) {
    assert.ok(new TextEncoder().encode(line).length <= 75, line);
    assert.ok(!line.includes("\uFFFD"));
  }
});
