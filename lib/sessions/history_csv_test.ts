import assert from "node:assert/strict";
import { csvField } from "./history_csv.ts";

Deno.test("CSV fields are quoted as needed and never start a formula", () => {
  assert.equal(csvField("Ada"), "Ada");
  assert.equal(csvField('say "hi", please'), '"say ""hi"", please"');
  assert.equal(csvField("line\nbreak"), '"line\nbreak"');
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvField("+1 555"), "'+1 555");
  assert.equal(csvField("-3"), "'-3");
  assert.equal(csvField("@cmd"), "'@cmd");
  assert.equal(csvField(null), "");
  assert.equal(csvField(12.5), "12.5");
});
