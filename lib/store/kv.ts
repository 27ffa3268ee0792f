/**
 * Opens the clinic's Deno KV store: a local file (its folder is created),
 * `:memory:` for tests, or a remote `denokv` / Deno Deploy URL.
 *
 * @module
 */

export async function openStore(path: string): Promise<Deno.Kv> {
  if (path === ":memory:" || /^https?:\/\//.test(path)) {
    return await Deno.openKv(path);
  }
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
  return lockTolerant(await Deno.openKv(path));
}

const RETRIED = new Set(["get", "getMany", "set", "delete"]);

/**
 * A local KV file shared by several isolates: reads and writes that find the
 * file locked by another isolate are tried again. A refused write was not
 * applied, so trying it again is safe.
 */
function lockTolerant(kv: Deno.Kv): Deno.Kv {
  return new Proxy(kv, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === "atomic") {
        return () => {
          const op = target.atomic();
          const commit = op.commit.bind(op);
          op.commit = () => retryWhileLocked(commit);
          return op;
        };
      }
      if (typeof value !== "function") return value;
      if (RETRIED.has(String(property))) {
        return (...args: unknown[]) =>
          retryWhileLocked(() => value.apply(target, args));
      }
      return value.bind(target);
    },
  });
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

/**
 * Runs `work` again while a local KV file is locked by another isolate:
 * under `deno serve --parallel` every isolate opens the same file at start,
 * and SQLite then refuses some writes until the others are done.
 */
export async function retryWhileLocked<T>(
  work: () => Promise<T>,
  attempts = 30,
): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (
        attempt >= attempts || !String(error).includes("database is locked")
      ) throw error;
      await new Promise((r) =>
        setTimeout(r, Math.min(20 * attempt, 250) * (0.5 + Math.random()))
      );
    }
  }
}
