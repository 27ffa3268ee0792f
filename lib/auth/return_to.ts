/**
 * Signing in returns the doctor to the page that asked for it: the doctors'
 * pages send a signed-out browser to `/login?next=<path>&reason=<why>`, the
 * sign-in page says why, and a successful sign-in goes to `next`.
 *
 * `next` comes from the address bar, so anyone can write it: it is only
 * ever a path on this site (never another host, scheme or header), or it
 * is ignored and the doctor goes to the dashboard.
 *
 * @module
 */
import { z } from "zod";
import type { SignInEnd } from "./login_sessions.ts";

/** Longer paths are not kept: no page of the clinic needs one. */
export const NEXT_MAX_LENGTH = 512;

/** A base no real address shares: only paths resolve onto it. */
const BASE = "https://clinic.invalid";

/** Where signing in would only lead back here, or out again. */
const NOT_AFTER_SIGN_IN = new Set(["/login", "/logout"]);

/**
 * The same-site path `raw` names, normalised (`/a/../b` is `/b`), or
 * `null` if it is anything else: another host (`//host`, `/\host`), a
 * scheme (`https:`, `javascript:`), control characters (CR, LF, tab, which
 * URL parsing would silently drop), or over `NEXT_MAX_LENGTH`.
 */
export function safeNext(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  if (raw.length === 0 || raw.length > NEXT_MAX_LENGTH) return null;
  if (!raw.startsWith("/") || raw.startsWith("//")) return null;
  // Browsers read a backslash as a slash in web addresses.
  if (raw.includes("\\")) return null;
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  const path = url.pathname + url.search;
  // `/.//host` normalises to `//host`, which a browser reads as a host.
  if (path.startsWith("//") || path.length > NEXT_MAX_LENGTH) return null;
  if (NOT_AFTER_SIGN_IN.has(url.pathname)) return null;
  return path;
}

/** Why the sign-in page is shown, as its address says it. */
export const SIGN_IN_REASONS = [
  "required",
  "expired",
  "maximum",
  "ended",
] as const;
export type SignInReason = typeof SIGN_IN_REASONS[number];

export const signInQuery = z.object({
  next: z.string().optional().transform((v) => safeNext(v)),
  reason: z.enum(SIGN_IN_REASONS).optional().catch(undefined),
});

/** The reason for a browser whose sign-in ended (or that had none). */
export function reasonFor(ended: SignInEnd | null): SignInReason {
  if (ended === "idle") return "expired";
  if (ended === "maximum") return "maximum";
  if (ended === "gone") return "ended";
  return "required";
}

/** The sign-in page's address for a request to `url` that needs one. */
export function signInUrl(url: URL, ended: SignInEnd | null): string {
  const query = new URLSearchParams();
  const next = safeNext(url.pathname + url.search);
  if (next) query.set("next", next);
  query.set("reason", reasonFor(ended));
  return `/login?${query}`;
}

const ID = "[0-9a-f]{32}";
const PAGE_NAMES: [RegExp, string][] = [
  [/^\/dashboard$/, "your visits"],
  [new RegExp(`^/appointments/${ID}$`), "the visit's page"],
  [new RegExp(`^/appointments/${ID}/call$`), "the visit's call"],
  [new RegExp(`^/sessions/${ID}$`), "the visit report"],
  [/^\/history$/, "the visit history"],
  [/^\/profile$/, "your profile"],
  [/^\/doctors$/, "the doctors' accounts"],
  [/^\/audit$/, "the audit trail"],
];

/** The page `next` leads to, in words: "the visit report". */
export function pageName(next: string): string {
  const path = next.split("?")[0];
  return PAGE_NAMES.find(([pattern]) => pattern.test(path))?.[1] ??
    "the page you asked for";
}

/** "30 minutes", "12 hours", "1 minute", "5 seconds". */
function spell(ms: number): string {
  const [n, unit] = ms >= 3_600_000 && ms % 3_600_000 === 0
    ? [ms / 3_600_000, "hour"]
    : ms >= 60_000
    ? [Math.round(ms / 60_000), "minute"]
    : [Math.round(ms / 1000), "second"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** What the sign-in page says, for why it is shown and where it leads. */
export function signInMessage(
  reason: SignInReason | undefined,
  next: string | null,
  policy: { idleMs: number; maxMs: number },
): string | null {
  const to = next ? ` to ${pageName(next)}` : "";
  switch (reason) {
    case "expired":
      return `Your sign-in ended after ${
        spell(policy.idleMs)
      } without activity; sign in again to continue${to}.`;
    case "maximum":
      return `Your sign-in ended after ${
        spell(policy.maxMs)
      }, the longest a sign-in lasts; sign in again to continue${to}.`;
    case "ended":
      return `Your sign-in has ended; sign in again to continue${to}.`;
    case "required":
      return `Sign in to continue${to}.`;
    default:
      return next ? `Sign in to continue${to}.` : null;
  }
}
