import assert from "node:assert/strict";
import { chatTime, elapsed, initials } from "./formats.ts";

Deno.test("initials leave titles and the doctor's speciality out", () => {
  assert.equal(initials("Ada Lovelace"), "AL");
  assert.equal(initials("Dr Ada Lovelace, Family physician"), "AL");
  assert.equal(initials("Dra. María José Ruiz"), "MR");
  assert.equal(initials("ángel"), "Á");
  assert.equal(initials("  "), "");
  assert.equal(initials("<script> 42"), "S");
});

Deno.test("elapsed time is mm:ss, with hours past an hour", () => {
  assert.equal(elapsed(0), "00:00");
  assert.equal(elapsed(65_400), "01:05");
  assert.equal(elapsed(59 * 60_000 + 59_999), "59:59");
  assert.equal(elapsed(3_600_000 + 61_000), "1:01:01");
  assert.equal(elapsed(-5000), "00:00");
});

Deno.test("chat times are hours and minutes in the page's language", () => {
  const at = new Date(2030, 0, 5, 14, 7).toISOString();
  assert.match(chatTime(at, "es"), /^14:07$/);
  assert.match(chatTime(at, "en"), /^02:07\s?PM$/);
  assert.equal(chatTime("not a date", "en"), "");
});
