import assert from "node:assert/strict";
import { hashPassword, verifyPassword } from "./password.ts";

Deno.test("a password verifies against its own hash only", async () => {
  const hash = await hashPassword("correct horse battery");
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(await verifyPassword("correct horse battery", hash), true);
  assert.equal(await verifyPassword("correct horse batterY", hash), false);
  assert.equal(await verifyPassword("x", "not a hash"), false);
});

Deno.test("two hashes of one password differ (random salt)", async () => {
  assert.notEqual(
    await hashPassword("same password"),
    await hashPassword("same password"),
  );
});
