import assert from "node:assert/strict";
import { call } from "@/lib/i18n/text/call.ts";
import { qualityHint } from "./quality_hint.ts";

Deno.test("quality is a plain hint, without numbers or jargon", () => {
  const hint = (rating: "good" | "fair" | "poor" | "unknown", video = true) => {
    const key = qualityHint(rating, video);
    return key && call.en[key];
  };
  assert.equal(hint("good"), "Connection good");
  assert.equal(hint("poor"), "Weak connection: try turning video off");
  assert.match(hint("poor", false)!, /sound may break up/);
  assert.match(hint("fair")!, /unsteady/);
  assert.equal(hint("unknown"), null);
  for (const rating of ["good", "fair", "poor"] as const) {
    assert.doesNotMatch(hint(rating)!, /\d|ms|direct|relay/);
  }
  assert.equal(
    call.es[qualityHint("poor", true)!],
    "Conexión débil: pruebe a apagar el vídeo",
  );
});
