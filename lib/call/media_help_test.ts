import assert from "node:assert/strict";
import { call } from "@/lib/i18n/text/call.ts";
import { explainCameraError, explainMediaError } from "./media_help.ts";

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

Deno.test("the camera alone failing has its own titles, with the same help", () => {
  const named = (name: string) => Object.assign(new Error("x"), { name });
  const camera = (name: string) => explainCameraError(named(name));
  assert.equal(call.en[camera("NotAllowedError").title], "Camera blocked");
  assert.equal(call.en[camera("NotFoundError").title], "No camera found");
  assert.equal(call.en[camera("NotReadableError").title], "Camera busy");
  assert.equal(call.en[camera("Weird").title], "Camera not available");
  assert.equal(camera("NotAllowedError").help, "blockedHelp");
  assert.equal(
    call.es[camera("NotFoundError").title],
    "No se encontró ninguna cámara",
  );
});
