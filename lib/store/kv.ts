/**
 * Opens the clinic's Deno KV store: a local file (its folder is created),
 * `:memory:` for tests, or a remote `denokv` / Deno Deploy URL.
 *
 * @module
 */

export async function openStore(path: string): Promise<Deno.Kv> {
  if (path !== ":memory:" && !/^https?:\/\//.test(path)) {
    const slash = path.lastIndexOf("/");
    if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
  }
  return await Deno.openKv(path);
}

/** Thrown when a record changed since it was read; nothing was written. */
export class ConflictError extends Error {
  override name = "ConflictError";
}

/** How many times a read-modify-write retries a lost race before giving up. */
export const MAX_ATTEMPTS = 10;

/** A listing cursor that this listing did not hand out. */
export class InvalidCursorError extends Error {
  override name = "InvalidCursorError";
  constructor() {
    super("The cursor is not valid for this listing.");
  }
}
