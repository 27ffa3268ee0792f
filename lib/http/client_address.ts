/**
 * The address a request came from, for rate limits. Forwarded headers are
 * not trusted: a clinic behind a proxy limits by the proxy's view.
 *
 * @module
 */
import type { Context } from "hono";
import { getConnInfo } from "hono/deno";

export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
