/**
 * What the browser tests reach into, behind one switch that is off in
 * production (`CALL_TEST_HOOKS`): the page's call client as
 * `globalThis.clinicCall`, to read its peer connection, and `?relay=only`
 * in the page's address, to force media through TURN. Off, neither has any
 * effect: a link cannot change how a clinic's call is routed, and the call
 * is not left on a global.
 *
 * @module
 */
import type { CallClient } from "./call_client.ts";

/** "relay" only for `?relay=only` with the test hooks on. */
export function iceTransportPolicy(
  testHooks: boolean | undefined,
  search: string,
): RTCIceTransportPolicy {
  return testHooks && new URLSearchParams(search).get("relay") === "only"
    ? "relay"
    : "all";
}

/** Puts the call client on `globalThis.clinicCall`, with the test hooks on. */
export function exposeForTests(
  testHooks: boolean | undefined,
  client: CallClient,
) {
  if (testHooks) {
    (globalThis as { clinicCall?: CallClient }).clinicCall = client;
  }
}
