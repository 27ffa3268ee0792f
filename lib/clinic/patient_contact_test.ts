import assert from "node:assert/strict";
import { doctorLabel, labelOf } from "./doctor_label.ts";
import { mailtoHref, telHref } from "./patient_contact.ts";

Deno.test("a mailto: link writes to exactly the address, nothing added", () => {
  assert.equal(mailtoHref("grace@example.org"), "mailto:grace@example.org");
  assert.equal(
    mailtoHref("a+b@example.org"),
    "mailto:a%2Bb@example.org",
  );
  // A stored address cannot add a subject, a body or another recipient.
  const hostile = mailtoHref("x?bcc=all@example.org&body=hi@evil.example");
  assert.doesNotMatch(hostile, /[?&]/);
  assert.equal(mailtoHref("no-at-sign"), "mailto:no-at-sign");
});

Deno.test("a tel: link keeps the digits and a leading plus", () => {
  assert.equal(telHref("+33 (0)1 23-45-67"), "tel:+3301234567");
  assert.equal(telHref("555 0100"), "tel:5550100");
  assert.equal(telHref(" +1 555 0100"), "tel:+15550100");
});

Deno.test("patients read the name, then the title when there is one", () => {
  assert.equal(doctorLabel({ name: "Dr Ada" }), "Dr Ada");
  assert.equal(
    doctorLabel({ name: "Dr Ada", title: "Family physician" }),
    "Dr Ada, Family physician",
  );
  assert.equal(doctorLabel({ name: "Dr Ada", title: "" }), "Dr Ada");
  assert.equal(labelOf(null), undefined);
});
