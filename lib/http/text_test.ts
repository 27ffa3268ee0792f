import assert from "node:assert/strict";
import { hasControlCharacters, singleLine } from "./text.ts";

const name = singleLine({ min: 1, max: 100, empty: "Enter the name" });
const title = singleLine({ min: 0, max: 100 });

Deno.test("a line with any control character is refused, wherever it is", () => {
  const controls = [
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\0",
    "\u0007",
    "\u001b",
    "\u007f",
    "\u0085",
    "\u009f",
    "\u2028",
    "\u2029",
    "\u202e",
    "\u2066",
  ];
  for (const c of controls) {
    for (const text of [`Ada${c}Lovelace`, `${c}Ada`, `Ada${c}`]) {
      assert.ok(hasControlCharacters(text), JSON.stringify(text));
      const parsed = name.safeParse(text);
      assert.equal(parsed.success, false, JSON.stringify(text));
      // One message, about the characters, not about the length.
      assert.equal(parsed.error!.issues.length, 1);
      assert.match(parsed.error!.issues[0].message, /control characters/);
      assert.equal(title.safeParse(text).success, false, JSON.stringify(text));
    }
  }
  // A header injection attempt, as a mail subject would meet it.
  assert.equal(name.safeParse("Dr X\r\nBcc: all@example.org").success, false);
});

Deno.test("names from many languages are kept, trimmed", () => {
  for (
    const text of [
      "Dr Ada Lovelace",
      "José Núñez-García",
      "Ngũgĩ wa Thiong'o",
      "Zoë O'Brien (GP)",
      "محمد",
      "王小明",
      "श्री",
      "Dr 🩺 Ada",
    ]
  ) {
    assert.equal(name.parse(`  ${text} `), text);
  }
});

Deno.test("lengths count once trimmed: 1 to 100 for a name, 0 to 100 for a title", () => {
  assert.equal(name.parse("a"), "a");
  assert.equal(name.parse("a".repeat(100)), "a".repeat(100));
  assert.equal(name.parse(` ${"a".repeat(100)} `), "a".repeat(100));
  assert.deepEqual(
    name.safeParse("a".repeat(101)).error?.issues.map((i) => i.message),
    ["Use at most 100 characters"],
  );
  for (const empty of ["", "   "]) {
    assert.deepEqual(
      name.safeParse(empty).error?.issues.map((i) => i.message),
      ["Enter the name"],
    );
    assert.equal(title.parse(empty), "");
  }
  assert.equal(title.parse("b".repeat(100)), "b".repeat(100));
  assert.equal(title.safeParse("b".repeat(101)).success, false);
  assert.equal(name.safeParse("x".repeat(100_000)).success, false);
});
