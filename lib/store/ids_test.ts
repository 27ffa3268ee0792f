import assert from "node:assert/strict";
import { hashToken, newId } from "./ids.ts";

Deno.test("a token's hash is stable hex and reveals nothing of the token", async () => {
  const token = "q2okDWZoWlmwI6BDenakOgX87Mi728YjRRt3YZ-nBpA";
  const hash = await hashToken(token);
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.equal(await hashToken(token), hash);
  assert.ok(!hash.includes(token));
});

Deno.test("record ids are 128 random bits in hex", () => {
  const ids = new Set(Array.from({ length: 200 }, newId));
  assert.equal(ids.size, 200);
  for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
});
