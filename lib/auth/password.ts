/**
 * Password hashing with Argon2id, OWASP's first choice, at OWASP's
 * recommended minimum (19 MiB of memory, 2 passes, 1 lane). hash-wasm runs
 * it in WebAssembly, so it works the same locally and on Deno Deploy.
 *
 * @module
 */

// hash-wasm carries every algorithm it has as WebAssembly in its source
// (about 4 MB held once imported); it is loaded by the first sign-in or
// new password, not by every server at start.
const hashWasm = () => import("hash-wasm");

const PARAMS = { parallelism: 1, iterations: 2, memorySize: 19456 };

/** A PHC-encoded Argon2id hash of the password with a random salt. */
export async function hashPassword(password: string): Promise<string> {
  const { argon2id } = await hashWasm();
  return await argon2id({
    ...PARAMS,
    password: password.normalize("NFC"),
    salt: crypto.getRandomValues(new Uint8Array(16)),
    hashLength: 32,
    outputType: "encoded",
  });
}

/** Whether the password matches the encoded hash. */
export async function verifyPassword(
  password: string,
  hash: string,
): Promise<boolean> {
  const { argon2Verify } = await hashWasm();
  try {
    return await argon2Verify({ password: password.normalize("NFC"), hash });
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same work as a real check when the account does not exist, so
 * response time does not tell which emails have accounts.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword("no account has this password");
  await verifyPassword(password, await dummyHash);
  return false;
}
