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
import { getConnInfo } from "hono/deno";
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
const IP = /^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/;

function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

export function clientAddress(
  c: Context,
  trust: TrustedProxies = TRUST_NOBODY,
): string {
  const peer = peerAddress(c);
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
  return IP.test(address) ? address : peer;
}
