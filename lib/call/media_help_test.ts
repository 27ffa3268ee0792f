import assert from "node:assert/strict";
import { explainMediaError } from "./media_help.ts";

Deno.test("each getUserMedia failure has its own plain explanation", () => {
  const named = (name: string) => Object.assign(new Error("x"), { name });
  assert.match(explainMediaError(named("NotAllowedError")).title, /blocked/);
  assert.match(explainMediaError(named("NotFoundError")).title, /No camera/);
  assert.match(explainMediaError(named("NotReadableError")).title, /busy/);
  assert.match(explainMediaError(named("TypeError")).title, /not available/);
  assert.match(
    explainMediaError(named("NotAllowedError"), false).title,
    /not secure/,
  );
});
