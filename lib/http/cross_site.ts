/**
 * Refuses state-changing requests that a browser sent from another site,
 * forms and JSON alike. Browsers mark requests with `Sec-Fetch-Site` (or at
 * least `Origin`); scripts such as curl send neither and pass, since they
 * cannot carry a victim's cookie.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "./errors.ts";

export interface CrossSiteOptions {
  /** Origins allowed besides the request's own (the public URL's). */
  trustedOrigins: string[];
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function crossSiteProtection(
  options: CrossSiteOptions,
): MiddlewareHandler {
  const trusted = new Set(options.trustedOrigins);
  return async function crossSite(c, next) {
    if (SAFE.has(c.req.method)) return await next();
    const site = c.req.header("sec-fetch-site");
    const origin = c.req.header("origin");
    const own = new URL(c.req.url).origin;
    let allowed: boolean;
    if (site !== undefined) {
      allowed = site === "same-origin" || site === "none" ||
        (origin !== undefined && trusted.has(origin));
    } else if (origin !== undefined) {
      allowed = origin === own || trusted.has(origin);
    } else {
      allowed = true;
    }
    if (!allowed) {
      return new HttpError(
        403,
        "cross_site_request",
        "This request came from another site and was refused.",
      ).toResponse();
    }
    await next();
  };
}
