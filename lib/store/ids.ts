/**
 * What records are keyed by: random ids, and the SHA-256 hash that is all
 * the store ever keeps of a secret token (a visit link, a sign-in session).
 * The tokens themselves are made in `lib/auth/tokens.ts`.
 *
 * @module
 */

/** Record ids look like this; anything else is refused before any lookup. */
export const ID_PATTERN = /^[0-9a-f]{32}$/;

/** A short random id for records (128 bits, hex). */
export function newId(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The hex SHA-256 of a token, as stored. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(token),
  );
  return [...new Uint8Array(digest)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}
