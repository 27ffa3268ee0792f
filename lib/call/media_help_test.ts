import assert from "node:assert/strict";
import { call } from "@/lib/i18n/text/call.ts";
import { explainMediaError } from "./media_help.ts";

Deno.test("each getUserMedia failure has its own plain explanation", () => {
  const named = (name: string) => Object.assign(new Error("x"), { name });
  const title = (error: unknown, secure = true) =>
    call.en[explainMediaError(error, secure).title];
  assert.match(title(named("NotAllowedError")), /blocked/);
  assert.match(title(named("NotFoundError")), /No camera/);
  assert.match(title(named("NotReadableError")), /busy/);
  assert.match(title(named("TypeError")), /not available/);
  assert.match(title(named("NotAllowedError"), false), /not secure/);
  assert.match(
    call.es[explainMediaError(named("NotAllowedError")).help],
    /Permitir/,
  );
});
