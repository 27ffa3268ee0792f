/**
 * The ICE servers a participant gets with a ticket: the configured STUN and
 * TURN servers and, when a TURN shared secret is set, ephemeral TURN
 * credentials in the TURN REST API form (username `expiry:id`, credential
 * the base64 HMAC-SHA1 of the username with the secret), as coturn's
 * `use-auth-secret` expects.
 *
 * @module
 */
import type { ClinicConfig } from "@/lib/config.ts";

export const TURN_CREDENTIAL_TTL_S = 12 * 3600;

export async function turnCredential(
  secret: string,
  id: string,
  nowMs = Date.now(),
): Promise<{ username: string; credential: string }> {
  const username = `${Math.floor(nowMs / 1000) + TURN_CREDENTIAL_TTL_S}:${id}`;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign(
    "HMAC",
    key,
    new TextEncoder().encode(username),
  );
  return {
    username,
    credential: btoa(String.fromCharCode(...new Uint8Array(mac))),
  };
}

export async function iceServersFor(
  config: ClinicConfig,
  participantId: string,
): Promise<RTCIceServer[]> {
  const servers: RTCIceServer[] = config.iceServers.map((s) => ({ ...s }));
  if (config.turnSecret && config.turnUrls.length > 0) {
    servers.push({
      urls: config.turnUrls,
      ...(await turnCredential(config.turnSecret, participantId)),
    });
  }
  return servers;
}
