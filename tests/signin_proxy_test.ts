/**
 * Which client a sign-in is counted against: behind a trusted proxy every
 * client apart, by the proxy's own entry of `X-Forwarded-For` (IPv6 clients
 * by their /64, garbage as the proxy itself); without one, a forged header
 * changes nothing.
 */
import assert from "node:assert/strict";
import { serve, signIn } from "./helpers/signin_limits.ts";
import { Client } from "./helpers/server.ts";

Deno.test("behind a trusted proxy clients are counted apart; a forged header is ignored", async () => {
  const direct = await serve();
  try {
    const client = new Client(direct.url);
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      // A different forged address each time: all count as this socket's.
      statuses.push((await signIn(client, `guess ${i}`, `10.9.0.${i}`)).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429]);
  } finally {
    await direct.close();
  }
  const proxied = await serve({ TRUSTED_PROXIES: "127.0.0.1, ::1" });
  try {
    const client = new Client(proxied.url);
    for (let i = 0; i < 6; i++) {
      assert.equal(
        (await signIn(client, `guess ${i}`, `10.9.0.${i}`)).status,
        401,
        "six clients behind the proxy, one failure each",
      );
    }
    // The client cannot pick its address: the proxy's entry is the right end.
    for (let i = 0; i < 4; i++) {
      await signIn(client, `again ${i}`, `192.0.2.${i}, 203.0.113.9`);
    }
    assert.equal(
      (await signIn(client, "again", "198.51.100.1, 203.0.113.9")).status,
      429,
    );
    // Garbage in the header counts as the proxy itself, never as a new client
    // (another account here, so that the ones above do not count).
    const garbage = [
      "not an address",
      "203.0.113.10:443",
      "999.1.1.1",
      "[2001:db8::1]",
    ];
    const seen = [];
    for (const forwarded of [...garbage, "0x7f.1"]) {
      seen.push(
        (await signIn(client, "x", forwarded, "garbage@clinic.test")).status,
      );
    }
    assert.deepEqual(seen, [401, 401, 401, 401, 429]);
    // IPv6 clients: by their /64.
    for (let i = 1; i <= 4; i++) {
      await signIn(client, "x", `2001:db8:aa:1::${i}`, "v6@clinic.test");
    }
    assert.equal(
      (await signIn(client, "x", "2001:db8:aa:1::99", "v6@clinic.test"))
        .status,
      429,
      "the same /64",
    );
    assert.equal(
      (await signIn(client, "x", "2001:db8:aa:2::1", "v6@clinic.test")).status,
      401,
      "another /64",
    );
  } finally {
    await proxied.close();
  }
});
