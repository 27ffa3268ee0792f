import assert from "node:assert/strict";
import {
  cap,
  escapeHtml,
  MAX_SUBJECT,
  oneLine,
  paragraphText,
  subjectLine,
  webLink,
} from "./clean.ts";

Deno.test("a subject is one line, whatever its values hold", () => {
  assert.equal(
    subjectLine("Visit with {doctor}: {when}", {
      doctor: "Ana\r\nBcc: x@example.org\u0000\t\u2028  Ruiz",
      when: "today",
    }),
    "Visit with Ana Bcc: x@example.org Ruiz: today",
  );
  assert.equal(oneLine("\u202Eevil\u0085 \u007f name "), "evil name");
  const long = subjectLine("{a} {b}", { a: "x".repeat(500), b: "end" });
  assert.ok(long.length <= MAX_SUBJECT);
  assert.ok(long.endsWith("end"), "one long value does not push out the rest");
});

Deno.test("a doctor's note keeps its lines and loses control characters", () => {
  assert.equal(
    paragraphText("One\r\ntwo\rthree\u2028four\n\n\n\nfive\u0007\t six"),
    "One\ntwo\nthree\nfour\n\nfive six",
  );
  assert.equal([...paragraphText("é".repeat(5000))].length, 2000);
  assert.equal(cap("🩺".repeat(10), 5), "🩺🩺🩺🩺…");
});

Deno.test("HTML escaping and web links", () => {
  assert.equal(
    escapeHtml(`<a href="x" onclick='y'>&</a>`),
    "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  );
  assert.equal(webLink("https://c.example/v/t"), "https://c.example/v/t");
  assert.throws(() => webLink("javascript:alert(1)"), TypeError);
  assert.throws(() => webLink("data:text/html,x"), TypeError);
  assert.throws(() => webLink("not a url"));
});
