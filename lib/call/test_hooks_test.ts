import assert from "node:assert/strict";
import type { CallClient } from "./call_client.ts";
import { exposeForTests, iceTransportPolicy } from "./test_hooks.ts";

const held = globalThis as { clinicCall?: unknown };

Deno.test("with the test hooks off, ?relay=only and the global do nothing", () => {
  assert.equal(iceTransportPolicy(false, "?relay=only"), "all");
  assert.equal(iceTransportPolicy(undefined, "?relay=only"), "all");
  exposeForTests(false, {} as CallClient);
  exposeForTests(undefined, {} as CallClient);
  assert.equal("clinicCall" in globalThis, false);
});

Deno.test("with the test hooks on, tests can force the relay and reach the call", () => {
  assert.equal(iceTransportPolicy(true, "?relay=only"), "relay");
  assert.equal(iceTransportPolicy(true, "?relay=yes"), "all");
  assert.equal(iceTransportPolicy(true, ""), "all");
  const client = {} as CallClient;
  try {
    exposeForTests(true, client);
    assert.equal(held.clinicCall, client);
  } finally {
    delete held.clinicCall;
  }
});
