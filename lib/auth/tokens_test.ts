import assert from "node:assert/strict";
import { randomToken, TOKEN_PATTERN } from "./tokens.ts";

Deno.test("tokens carry 256 random bits and match the token pattern", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const token = randomToken();
    assert.match(token, TOKEN_PATTERN);
    seen.add(token);
  }
  assert.equal(seen.size, 200);
});
