/**
 * A doctor's known browser: after a right password the browser gets a
 * long-lived random cookie (kept in KV only as a hash, bound to the doctor).
 * A browser that shows it has its own sign-in counter, so it is never slowed
 * by failures that others cause on the same account (OWASP's "device
 * cookies").
 *
 * @module
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { ClinicConfig } from "@/lib/config.ts";
import { keys } from "@/lib/store/keys.ts";
import { randomToken, TOKEN_PATTERN } from "./tokens.ts";
import { hashToken } from "@/lib/store/ids.ts";

const KEEP_MS = 180 * 24 * 3_600_000;

function cookieName(config: ClinicConfig) {
  return config.publicUrl.startsWith("https:")
    ? "__Host-clinic_device"
    : "clinic_device";
}

/**
 * The hash of the device cookie the browser shows, when it is one this
 * doctor signed in with; `undefined` otherwise.
 */
export async function knownDevice(
  c: Context,
  config: ClinicConfig,
  kv: Deno.Kv,
  doctorId: string | undefined,
): Promise<string | undefined> {
  const token = getCookie(c, cookieName(config));
  if (!doctorId || !token || !TOKEN_PATTERN.test(token)) return undefined;
  const hash = await hashToken(token);
  const device = await kv.get<{ doctorId: string }>(keys.knownDevice(hash));
  return device.value?.doctorId === doctorId ? hash : undefined;
}

/** Remembers this browser for the doctor; answers the `Set-Cookie` value. */
export async function rememberDevice(
  config: ClinicConfig,
  kv: Deno.Kv,
  doctorId: string,
): Promise<string> {
  const token = randomToken();
  await kv.set(keys.knownDevice(await hashToken(token)), { doctorId }, {
    expireIn: KEEP_MS,
  });
  const parts = [
    `${cookieName(config)}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${KEEP_MS / 1000}`,
  ];
  if (config.publicUrl.startsWith("https:")) parts.push("Secure");
  return parts.join("; ");
}
