import assert from "node:assert/strict";
import { hashToken, newId, randomToken, TOKEN_PATTERN } from "./tokens.ts";

Deno.test("tokens carry 256 random bits and match the token pattern", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const token = randomToken();
    assert.match(token, TOKEN_PATTERN);
    seen.add(token);
  }
  assert.equal(seen.size, 200);
});

Deno.test("a token's hash is stable hex and reveals nothing of the token", async () => {
  const token = randomToken();
  const hash = await hashToken(token);
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.equal(await hashToken(token), hash);
  assert.ok(!hash.includes(token));
  assert.match(newId(), /^[0-9a-f]{32}$/);
});
