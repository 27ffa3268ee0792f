/**
 * Random tokens for links and sessions: 256 random bits, base64url. The
 * store keeps only their hash (`hashToken` in `lib/store/ids.ts`).
 *
 * @module
 */

/** A new random token (32 bytes, base64url without padding). */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

/** Tokens look like this; anything else is rejected before any lookup. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
