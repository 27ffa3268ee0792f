/**
 * A server for the sign-in throttling tests, with limits whose waits are
 * ten minutes, so that no wait ends during a test, and a sign-in from the
 * address the proxy in front reports.
 *
 * @module
 */
import type { LoginLimits } from "@/lib/config.ts";
import { ADMIN, type Client, startServer } from "./server.ts";

const WAIT = { firstDelayMs: 10 * 60_000, maxDelayMs: 60 * 60_000 };

/** The limits with ten-minute waits; `over` changes a rule's free tries. */
export function limits(
  over: { pair?: number; address?: number; account?: number } = {},
): LoginLimits {
  return {
    pair: { free: over.pair ?? 3, ...WAIT },
    address: { free: over.address ?? 30, ...WAIT },
    account: { free: over.account ?? 10, addresses: 5, ...WAIT },
  };
}

/** A test server whose sign-ins are held to `rules`. */
export async function serve(
  env: Record<string, string> = {},
  rules = limits(),
) {
  const server = await startServer(env);
  server.config.loginLimits = rules;
  return server;
}

/** A sign-in from `address`, as the proxy in front reports it. */
export async function signIn(
  client: Client,
  password: string,
  address?: string,
  email = ADMIN.email,
) {
  const res = await client.fetch("/login", {
    method: "POST",
    headers: address ? { "x-forwarded-for": address } : {},
    body: new URLSearchParams({ email, password }),
  });
  await res.body?.cancel();
  return res;
}
