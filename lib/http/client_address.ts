/**
 * The address a request came from, for rate limits, socket caps and the
 * audit trail. `X-Forwarded-For` is believed only from a proxy the clinic
 * named in `TRUSTED_PROXIES`, and then read right to left past the trusted
 * hops (the maintained `proxy-addr` does this, as Express does); a client
 * cannot choose its own address by sending the header.
 *
 * @module
 */
import type { Context } from "hono";
// @ts-types="npm:@types/proxy-addr@2.0.3"
import proxyaddr from "proxy-addr";

/** Whether an address (at a hop) is one of the clinic's proxies. */
export type TrustedProxies = (address: string, hop: number) => boolean;

/** Nobody is trusted: the socket's peer is the client. */
export const TRUST_NOBODY: TrustedProxies = () => false;

/** Compiles a list of addresses and CIDR ranges; throws on a bad entry. */
export function trustedProxies(list: string[]): TrustedProxies {
  return list.length === 0 ? TRUST_NOBODY : proxyaddr.compile(list);
}

/** Longer forwarded headers are cut from the left: the right end is ours. */
const MAX_FORWARDED_CHARS = 1024;

/**
 * The socket's peer, as `Deno.serve` hands it to the app (hono/deno's
 * getConnInfo reads the same field, but importing that module loads Hono's
 * static file server and Node's path module with it).
 */
function peerAddress(c: Context): string | undefined {
  const info = c.env as Partial<Deno.ServeHandlerInfo> | undefined;
  const remote = info?.remoteAddr as Partial<Deno.NetAddr> | undefined;
  return typeof remote?.hostname === "string" ? remote.hostname : undefined;
}

/** The clinic's proxies, from the request's state when the app set it. */
function trustOf(c: Context): TrustedProxies {
  const state = c.get("state" as never) as
    | { clinic?: { config?: { trustedProxies?: TrustedProxies } } }
    | undefined;
  return state?.clinic?.config?.trustedProxies ?? TRUST_NOBODY;
}

/**
 * IPv4 as four decimal numbers, each without a leading zero: not the short,
 * octal or hexadecimal forms a URL parser would also take.
 */
const IPV4 =
  /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
/** An IPv6 zone (`%eth0`): where the address was seen, not part of it. */
const ZONE = /%[0-9A-Za-z.:-]+$/;
/** What `URL` writes for an IPv4 address carried in IPv6 (`::ffff:a.b.c.d`). */
const MAPPED_IPV4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * One spelling per address: IPv6 in lower case and compressed, without a
 * zone, an IPv4 address carried in IPv6 (`::ffff:192.0.2.1`) as plain IPv4;
 * `undefined` for anything that is not an address (ports, names, brackets,
 * the short or octal IPv4 forms). IPv6 is read and written by the web's own
 * URL parser, which follows the standard's rules for both; it is part of
 * Deno, where an address library would load Deno's Node compatibility
 * layer for this (2-5 MB more held by every server, measured).
 */
export function canonicalAddress(text: string): string | undefined {
  if (text.length > 100) return undefined;
  if (IPV4.test(text)) return text;
  const address = text.replace(ZONE, "");
  if (!address.includes(":") || !/^[0-9A-Fa-f:.]+$/.test(address)) {
    return undefined;
  }
  let ipv6: string;
  try {
    ipv6 = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const mapped = MAPPED_IPV4.exec(ipv6);
  if (!mapped) return ipv6;
  const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** The eight groups of a canonical IPv6 address, `::` filled with zeros. */
function groupsOf(ipv6: string): string[] {
  const [head, tail] = ipv6.split("::");
  const left = head ? head.split(":") : [];
  if (tail === undefined) return left;
  const right = tail ? tail.split(":") : [];
  const zeros = Array(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right];
}

/**
 * The client's address. `trust` defaults to the clinic's `TRUSTED_PROXIES`
 * from the request's state, so every caller reads the same address.
 */
export function clientAddress(
  c: Context,
  trust: TrustedProxies = trustOf(c),
): string {
  const raw = peerAddress(c);
  const peer = raw === undefined ? undefined : canonicalAddress(raw) ?? raw;
  if (!peer) return "unknown";
  if (trust === TRUST_NOBODY) return peer;
  let forwarded = c.req.header("x-forwarded-for") ?? "";
  if (forwarded.length > MAX_FORWARDED_CHARS) {
    forwarded = forwarded.slice(-MAX_FORWARDED_CHARS);
    forwarded = forwarded.slice(forwarded.indexOf(",") + 1);
  }
  const address = proxyaddr(
    {
      connection: { remoteAddress: peer },
      socket: { remoteAddress: peer },
      headers: { "x-forwarded-for": forwarded },
    } as unknown as Parameters<typeof proxyaddr>[0],
    trust,
  );
  // A malformed entry the proxy passed on is not an address: use the peer's.
  return canonicalAddress(address) ?? peer;
}

/**
 * The block one client holds: an IPv4 address itself, the /64 network of an
 * IPv6 address (one home or one server gets a whole /64, so counting single
 * IPv6 addresses would let one machine count as millions of clients).
 */
export function addressBlock(address: string): string {
  const canonical = canonicalAddress(address);
  if (!canonical) return address;
  if (!canonical.includes(":")) return canonical;
  const network = groupsOf(canonical).slice(0, 4).join(":");
  return `${canonicalAddress(`${network}::`)}/64`;
}
