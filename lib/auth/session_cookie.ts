/**
 * The doctor's sign-in cookie: HttpOnly, SameSite=Lax, and Secure with the
 * `__Host-` prefix when the clinic is served over HTTPS.
 *
 * @module
 */
import type { ClinicConfig } from "@/lib/config.ts";

function secure(config: ClinicConfig) {
  return config.publicUrl.startsWith("https:");
}

export function cookieName(config: ClinicConfig) {
  return secure(config) ? "__Host-clinic_session" : "clinic_session";
}

/** The session id from the request's cookies, if any. */
export function readSessionCookie(
  req: Request,
  config: ClinicConfig,
): string | undefined {
  const name = cookieName(config);
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) {
      return part.slice(eq + 1).trim();
    }
  }
  return undefined;
}

/** A `Set-Cookie` value that sets (or, with `null`, clears) the session. */
export function sessionCookie(config: ClinicConfig, id: string | null): string {
  const parts = [
    `${cookieName(config)}=${id ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${id === null ? 0 : Math.floor(config.sessionMaxMs / 1000)}`,
  ];
  if (secure(config)) parts.push("Secure");
  return parts.join("; ");
}
