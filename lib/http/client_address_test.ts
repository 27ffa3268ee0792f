import assert from "node:assert/strict";
import { Hono } from "hono";
import ipaddr from "ipaddr.js";
import { isIP } from "node:net";
import {
  addressBlock,
  canonicalAddress,
  clientAddress,
  TRUST_NOBODY,
  type TrustedProxies,
  trustedProxies,
} from "./client_address.ts";

const PROXY = "127.0.0.1";
const TRUSTED = trustedProxies(["127.0.0.1", "::1", "10.0.0.0/8"]);

/** What `clientAddress` answers for a request from `peer` with these headers. */
async function seenAs(
  peer: string,
  forwarded: string | string[] | undefined,
  trust?: TrustedProxies,
  state?: unknown,
): Promise<string> {
  const app = new Hono();
  app.get("/", (c) => {
    if (state) c.set("state" as never, state as never);
    return c.text(trust ? clientAddress(c, trust) : clientAddress(c));
  });
  const headers = new Headers();
  for (const value of [forwarded ?? []].flat()) {
    headers.append("x-forwarded-for", value);
  }
  const res = await app.fetch(new Request("http://clinic.test/", { headers }), {
    remoteAddr: { hostname: peer, port: 40000, transport: "tcp" },
  });
  return await res.text();
}

Deno.test("without trusted proxies a forwarded header is ignored", async () => {
  for (
    const forged of [
      "203.0.113.9",
      "203.0.113.9, 198.51.100.1",
      "::1",
      "not an address",
      "1.2.3.4, ".repeat(2000) + "5.6.7.8",
    ]
  ) {
    assert.equal(await seenAs("198.51.100.20", forged), "198.51.100.20");
    assert.equal(
      await seenAs("198.51.100.20", forged, TRUST_NOBODY),
      "198.51.100.20",
    );
  }
  assert.equal(
    await seenAs("::ffff:198.51.100.20", undefined),
    "198.51.100.20",
  );
  assert.equal(await seenAs("2001:DB8:0::7", undefined), "2001:db8::7");
});

Deno.test("from a trusted proxy the rightmost address that is not a proxy is the client", async () => {
  const cases: [string | string[], string][] = [
    ["203.0.113.9", "203.0.113.9"],
    // The client wrote the left part; only the proxy's own entry counts.
    ["1.1.1.1, 2.2.2.2, 203.0.113.9", "203.0.113.9"],
    ["127.0.0.1, 203.0.113.9", "203.0.113.9"],
    // Hops inside the clinic's network are skipped.
    ["203.0.113.9, 10.0.0.5", "203.0.113.9"],
    ["203.0.113.9,10.1.2.3,  10.0.0.5", "203.0.113.9"],
    // Two headers are one list.
    [["1.1.1.1", "203.0.113.9"], "203.0.113.9"],
    // IPv6, in any spelling, and IPv4 carried in IPv6.
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["2001:db8::1, ::1", "2001:db8::1"],
    ["::ffff:203.0.113.9", "203.0.113.9"],
    ["fe80::1%eth0", "fe80::1"],
    // Too many entries: the left end is cut, the right end is kept.
    ["1.2.3.4, ".repeat(5000) + "203.0.113.9", "203.0.113.9"],
    [
      "2001:db8::99, ".repeat(3000) + "203.0.113.9, 10.0.0.1",
      "203.0.113.9",
    ],
  ];
  for (const [forwarded, client] of cases) {
    assert.equal(
      await seenAs(PROXY, forwarded, TRUSTED),
      client,
      `${forwarded}`,
    );
  }
  // A peer that is not a proxy is the client, whatever it sends.
  assert.equal(
    await seenAs("198.51.100.20", "203.0.113.9", TRUSTED),
    "198.51.100.20",
  );
  // The proxy over IPv6, or IPv4 written as IPv6.
  assert.equal(await seenAs("::1", "203.0.113.9", TRUSTED), "203.0.113.9");
  assert.equal(
    await seenAs("::ffff:127.0.0.1", "203.0.113.9", TRUSTED),
    "203.0.113.9",
  );
});

Deno.test("a malformed forwarded header counts as the proxy itself", async () => {
  const garbage = [
    "",
    " , , ,",
    "not an address",
    "203.0.113.9, garbage",
    "203.0.113.9:443",
    "[2001:db8::1]",
    "[2001:db8::1]:443",
    "999.1.1.1",
    "01.2.3.4",
    "0x7f.1",
    "1",
    ":",
    "::::",
    "1.2.3.4.5",
    // Full-width digits as the UTF-8 bytes a client would send, and Latin-1.
    String.fromCharCode(...new TextEncoder().encode("２０３.０.１１３.９")),
    "203.0.113.9\u00a0",
    "<script>alert(1)</script>",
    "unknown",
    "fe80::1%" + "x".repeat(200),
    "2001:db8::1" + "0".repeat(100),
    "a".repeat(100_000),
    // Overlong, and the right end that is read holds no address.
    "203.0.113.9" + ", ,".repeat(50_000),
  ];
  for (const forwarded of garbage) {
    assert.equal(
      await seenAs(PROXY, forwarded, TRUSTED),
      PROXY,
      JSON.stringify(forwarded.slice(0, 40)),
    );
  }
});

Deno.test("by default the clinic's own setting from the request state is used", async () => {
  const state = { clinic: { config: { trustedProxies: TRUSTED } } };
  assert.equal(
    await seenAs(PROXY, "203.0.113.9", undefined, state),
    "203.0.113.9",
  );
  assert.equal(
    await seenAs(PROXY, "203.0.113.9", undefined, { clinic: {} }),
    PROXY,
  );
});

Deno.test("bad proxy lists are refused", () => {
  for (const bad of [["nonsense"], ["1.2.3.4/33"], ["2001:db8::/129"]]) {
    assert.throws(() => trustedProxies(bad), bad.join());
  }
  assert.equal(trustedProxies([]), TRUST_NOBODY);
});

Deno.test("an IPv6 client is counted by its /64, an IPv4 client by its address", () => {
  assert.equal(addressBlock("203.0.113.9"), "203.0.113.9");
  assert.equal(addressBlock("::ffff:203.0.113.9"), "203.0.113.9");
  assert.equal(addressBlock("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  assert.equal(
    addressBlock("2001:db8:1:2:ffff::1"),
    addressBlock("2001:DB8:1:2::99"),
  );
  assert.notEqual(
    addressBlock("2001:db8:1:2::1"),
    addressBlock("2001:db8:1:3::1"),
  );
  assert.equal(addressBlock("unknown"), "unknown");
});

/**
 * The answer of Node's `isIP` with the maintained ipaddr.js, which the
 * clinic used before reading addresses with `URL`: the two must agree.
 * ipaddr.js 1.x throws on a zone that `isIP` takes (`%eth0.5`, `%a-b`):
 * the zone is dropped either way, so the address before it counts. It also
 * throws on IPv4 written at the end of other IPv6 than `::ffff:`
 * (`::192.0.2.1`): it has no answer then (`null`).
 */
function byIpaddr(text: string): string | undefined | null {
  if (text.length > 100 || isIP(text) === 0) return undefined;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(text);
  } catch {
    return text.includes("%")
      ? byIpaddr(text.slice(0, text.indexOf("%")))
      : null;
  }
  return parsed.kind() === "ipv6"
    ? new ipaddr.IPv6((parsed as ipaddr.IPv6).parts).toString()
    : parsed.toString();
}

/** Whether two spellings name one address. */
function sameAddress(a: string, b: string): boolean {
  const [x, y] = [ipaddr.parse(a), ipaddr.parse(b)];
  return x.kind() === y.kind() &&
    x.toNormalizedString() === y.toNormalizedString();
}

/** Random text made of what addresses are made of, and a little more. */
function addressLike(random: () => number): string {
  const pieces = [
    "0",
    "1",
    "00",
    "01",
    "ffff",
    "FFFF",
    "db8",
    "2001",
    "fe80",
    "255",
    "256",
    "127",
    "10",
    "0x7f",
    "1e3",
    ":",
    "::",
    ".",
    "%",
    "%eth0",
    "[",
    "]",
    " ",
    "g",
    "-",
    "12345",
    "0000",
    "abcd",
    "\u0000",
    "/64",
  ];
  let text = "";
  const length = 1 + Math.floor(random() * 14);
  for (let i = 0; i < length; i++) {
    text += pieces[Math.floor(random() * pieces.length)];
  }
  return text;
}

Deno.test("addresses read with URL are spelled as Node's isIP with ipaddr.js spells them, hostile ones included", () => {
  const cases = [
    "192.0.2.1",
    "0.0.0.0",
    "255.255.255.255",
    "256.1.1.1",
    "01.2.3.4",
    "1.2.3",
    "1.2.3.4.5",
    "0x7f.0.0.1",
    "127.1",
    "1.2.3.4 ",
    " 1.2.3.4",
    "1.2.3.4:80",
    "::",
    "::1",
    "::0:1",
    "0:0:0:0:0:0:0:1",
    "2001:DB8::1",
    "2001:db8:0:0:1:0:0:1",
    "2001:db8::0:1:0:0:1",
    "fe80::1%eth0",
    "fe80::1%",
    "fe80::1%25eth0",
    "fe80::1%eth0%eth1",
    "::ffff:192.0.2.1",
    "::FFFF:c000:0201",
    "0:0:0:0:0:ffff:192.0.2.1",
    "::ffff:0:192.0.2.1",
    "::192.0.2.1",
    "::1.2.3.256",
    "::01.2.3.4",
    "1::2::3",
    ":::1",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7::",
    "::2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8",
    "[::1]",
    "::1]",
    "12345::1",
    "g::1",
    "",
    ":",
    ".",
    "::ffff:1.2.3.4%eth0",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "a".repeat(101),
  ];
  let seed = 42;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 50_000; i++) cases.push(addressLike(random));
  for (const text of cases) {
    const ours = canonicalAddress(text);
    const theirs = byIpaddr(text);
    if (theirs === null) {
      // Still one spelling: the answer reads back as itself.
      assert.ok(ours, JSON.stringify(text));
      assert.equal(canonicalAddress(ours), ours, JSON.stringify(text));
    } else if (theirs === undefined || ours === undefined) {
      assert.equal(ours, theirs, JSON.stringify(text));
    } else {
      // The same address, in RFC 5952's spelling, which URL writes and
      // ipaddr.js 1.x does not quite (it shortens the first run of zeros,
      // not the longest, and a single zero too).
      assert.equal(sameAddress(ours, theirs), true, JSON.stringify(text));
      assert.equal(canonicalAddress(ours), ours, JSON.stringify(text));
    }
  }
});
