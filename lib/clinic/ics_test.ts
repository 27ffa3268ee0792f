import assert from "node:assert/strict";
import { calendarInvite, escapeText } from "./ics.ts";

/** Text that tries to end an invite's line, or to hide a break in it. */
const HOSTILE_TEXT = [
  "a\rATTENDEE:evil@example.org",
  "a\nATTENDEE:evil@example.org",
  "a\r\nATTENDEE:evil@example.org",
  "a\r\n ATTENDEE:evil@example.org",
  "a\n\rATTENDEE:evil@example.org",
  "a\u0085ATTENDEE:evil@example.org",
  "a\u2028ATTENDEE:evil@example.org",
  "a\u2029ATTENDEE:evil@example.org",
  "a\u000bATTENDEE:evil@example.org",
  "a\u000cATTENDEE:evil@example.org",
  "a\u0000\u001b[31m\u007fb",
  "a\u0080\u009b31m\u009fb",
  "END:VEVENT\r\nBEGIN:VEVENT",
  "\\nATTENDEE:evil@example.org",
  "x;y,z\\",
  "\r".repeat(200) + "ATTENDEE:evil@example.org",
  "é".repeat(40) + "\r" + "ATTENDEE:evil@example.org",
];

/** The invite's content lines: folded lines joined again (RFC 5545 3.1). */
function contentLines(ics: string): string[] {
  return ics.replace(/\r\n /g, "").split("\r\n").slice(0, -1);
}

function invite(summary: string, description = summary) {
  return calendarInvite({
    uid: "1@clinic",
    startsAt: 0,
    durationMinutes: 20,
    summary,
    description,
    now: 0,
  });
}

Deno.test("no text can end an invite's line, add a property or carry a control character", () => {
  const names = [
    "BEGIN",
    "VERSION",
    "PRODID",
    "CALSCALE",
    "METHOD",
    "BEGIN",
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "DESCRIPTION",
    "END",
    "END",
  ];
  for (const hostile of HOSTILE_TEXT) {
    const ics = invite(hostile);
    const label = JSON.stringify(hostile);
    assert.ok(
      !/\r(?!\n)|(?<!\r)\n/.test(ics),
      `only CRLF ends a line: ${label}`,
    );
    assert.doesNotMatch(
      ics,
      // deno-lint-ignore no-control-regex
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/,
      label,
    );
    const lines = contentLines(ics);
    assert.deepEqual(
      lines.map((l) => l.split(/[:;]/)[0]),
      names,
      label,
    );
    // Each TEXT value reads back as one escaped value of the same text.
    const summary = lines.find((l) => l.startsWith("SUMMARY:"))!;
    assert.equal(summary, `SUMMARY:${escapeText(hostile)}`, label);
    assert.doesNotMatch(summary.slice(8), /(?<!\\)[;,]/, label);
  }
  assert.ok(HOSTILE_TEXT.length >= 15);
  assert.equal(escapeText("a;b,c\\d\re"), "a\\;b\\,c\\\\d\\ne");
  assert.equal(escapeText("a\u2028b\u0085c\r\nd"), "a\\nb\\nc\\nd");
  assert.equal(
    escapeText("tab\tkept, bell\u0007 dropped"),
    "tab\tkept\\, bell dropped",
  );
});

Deno.test("long lines fold at 75 octets without splitting a character", () => {
  for (
    const text of [
      "é".repeat(100),
      "€".repeat(100),
      "🩺".repeat(100),
      "x" + "🩺".repeat(60),
      "xy" + "€".repeat(60),
      "a".repeat(300),
      "e\u0301".repeat(80),
    ]
  ) {
    const ics = invite(text, "x");
    const bytes = new TextEncoder().encode(ics);
    const fatal = new TextDecoder("utf-8", { fatal: true });
    let start = 0;
    const physical: string[] = [];
    for (let i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] === 13 && bytes[i + 1] === 10) {
        assert.ok(i - start <= 75, `${i - start} octets`);
        // A split UTF-8 sequence would not decode on its own.
        physical.push(fatal.decode(bytes.subarray(start, i)));
        start = i + 2;
      }
    }
    const continued = physical.filter((l) => l.startsWith(" "));
    assert.ok(continued.length > 0, "the long line was folded");
    assert.ok(contentLines(ics).includes(`SUMMARY:${text}`));
  }
});

Deno.test("an invite to add, update or remove an event carries its method, revision and state", () => {
  const base = {
    uid: "1@clinic",
    startsAt: 0,
    durationMinutes: 20,
    summary: "Videoconsulta con Dra. Ruiz",
    description: "x",
    now: 0,
  };
  const request = contentLines(
    calendarInvite({ ...base, method: "REQUEST", sequence: 4 }),
  );
  assert.ok(request.includes("METHOD:REQUEST"));
  assert.ok(request.includes("SEQUENCE:4"));
  assert.ok(!request.includes("STATUS:CANCELLED"));
  const cancel = contentLines(
    calendarInvite({ ...base, method: "CANCEL", sequence: 5 }),
  );
  assert.ok(cancel.includes("METHOD:CANCEL"));
  assert.ok(cancel.includes("SEQUENCE:5"));
  assert.ok(cancel.includes("STATUS:CANCELLED"));
  const published = contentLines(calendarInvite({ ...base, cancelled: true }));
  assert.ok(published.includes("METHOD:PUBLISH"));
  assert.ok(published.includes("STATUS:CANCELLED"));
  for (const bad of [-1, 1.5, NaN, 2 ** 31]) {
    assert.throws(() => calendarInvite({ ...base, sequence: bad }), RangeError);
  }
});

Deno.test("the organizer's name cannot leave its quotes, and a bad address is left out", () => {
  for (const hostile of HOSTILE_TEXT) {
    const ics = calendarInvite({
      uid: "1@clinic",
      startsAt: 0,
      durationMinutes: 20,
      summary: "s",
      description: "d",
      now: 0,
      method: "REQUEST",
      organizer: { name: `"${hostile}"`, email: "desk@clinic.example" },
    });
    const organizer = contentLines(ics).filter((l) =>
      l.startsWith("ORGANIZER")
    );
    assert.equal(organizer.length, 1, JSON.stringify(hostile));
    assert.match(
      organizer[0],
      // deno-lint-ignore no-control-regex
      /^ORGANIZER;CN="[^"\u0000-\u001F\u007F-\u009F]*":mailto:desk@clinic\.example$/,
    );
  }
  for (
    const email of ["a@b\r\nATTENDEE:x", "a b@c", "a@b;x", "nobody", 'a"@b']
  ) {
    const ics = calendarInvite({
      uid: "1@clinic",
      startsAt: 0,
      durationMinutes: 20,
      summary: "s",
      description: "d",
      organizer: { name: "Clinic", email },
    });
    assert.doesNotMatch(ics, /ORGANIZER|ATTENDEE/, email);
  }
});
