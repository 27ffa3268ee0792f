import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { TURN_CREDENTIAL_TTL_S, turnCredential } from "./ice_servers.ts";

Deno.test("TURN credentials follow the TURN REST API form", async () => {
  const now = Date.UTC(2026, 10, 24, 12);
  const { username, credential } = await turnCredential(
    "a-shared-secret-123",
    "room1-doctor",
    now,
  );
  assert.equal(username, `${now / 1000 + TURN_CREDENTIAL_TTL_S}:room1-doctor`);
  const expected = createHmac("sha1", "a-shared-secret-123").update(username)
    .digest("base64");
  assert.equal(credential, expected);
});
