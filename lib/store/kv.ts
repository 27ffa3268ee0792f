/**
 * Opens the clinic's Deno KV store: a local file (its folder is created if
 * the server may write there), `:memory:` for tests, a remote `denokv` /
 * Deno Deploy URL, or (no path) the project's own KV on Deno Deploy.
 *
 * @module
 */

export async function openStore(path: string | null): Promise<Deno.Kv> {
  // Deno Deploy gives each project its own KV, opened without a path.
  if (path === null) return await Deno.openKv();
  if (path === ":memory:" || /^https?:\/\//.test(path)) {
    return await Deno.openKv(path);
  }
  const slash = path.lastIndexOf("/");
  if (slash > 0) {
    try {
      await Deno.mkdir(path.slice(0, slash), { recursive: true });
    } catch (error) {
      // `deno task start` lets the server write its KV file and nothing
      // else, not even the folder: there the folder must exist already.
      if (!(error instanceof Deno.errors.NotCapable)) throw error;
    }
  }
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

/** `getMany` reads at most this many keys at once. */
const GET_MANY_LIMIT = 10;

/**
 * The entries of any number of keys, in their order: `getMany` ten keys at
 * a time, the calls all at once, so that a page listing many records waits
 * for the store once rather than once per ten.
 */
export async function getAll<T>(
  kv: Deno.Kv,
  wanted: Deno.KvKey[],
): Promise<Deno.KvEntryMaybe<T>[]> {
  const reads = [];
  for (let i = 0; i < wanted.length; i += GET_MANY_LIMIT) {
    reads.push(kv.getMany<T[]>(wanted.slice(i, i + GET_MANY_LIMIT)));
  }
  return (await Promise.all(reads)).flat();
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

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; absent on the last page. */
  cursor?: string;
}

export interface PageRequest {
  /** Keys from here (inclusive), after the prefix: a time in ms. */
  from?: number;
  /** Keys before here (exclusive). */
  to?: number;
  limit: number;
  cursor?: string;
  /** Newest first. */
  reverse?: boolean;
}

/**
 * One page of an index whose keys are `[...prefix, time, id]`, parsed by
 * `parse`. The cursor handed out is Deno KV's own behind a tag of the
 * listing it belongs to (the index, its range and its order), so a cursor
 * from another listing, another doctor's or another filter's, is an
 * `InvalidCursorError` and never reads from a place it was not made for.
 */
export async function listPage<T>(
  kv: Deno.Kv,
  prefix: Deno.KvKey,
  request: PageRequest,
  parse: (entry: Deno.KvEntry<unknown>) => T,
): Promise<Page<T>> {
  const start = request.from ?? 0;
  const end = request.to ?? Number.MAX_SAFE_INTEGER;
  if (start >= end) return { items: [] };
  const selector: Deno.KvListSelector = {
    start: [...prefix, start],
    end: [...prefix, end],
  };
  const options = { reverse: request.reverse ?? false };
  const tag = await listingTag(selector, options.reverse);
  let kvCursor: string | undefined;
  if (request.cursor !== undefined) {
    kvCursor = request.cursor.slice(tag.length);
    // The tag alone would read from the start: a cursor always names a place.
    if (!request.cursor.startsWith(tag) || !kvCursor) {
      throw new InvalidCursorError();
    }
  }
  const iter = kv.list(selector, {
    ...options,
    limit: request.limit,
    ...(kvCursor ? { cursor: kvCursor } : {}),
  });
  const items: T[] = [];
  try {
    for await (const entry of iter) items.push(parse(entry));
  } catch (error) {
    if (kvCursor && items.length === 0) throw new InvalidCursorError();
    throw error;
  }
  let cursor = items.length === request.limit && iter.cursor
    ? iter.cursor
    : undefined;
  if (cursor) {
    // Hand out a cursor only if a next page exists, so the last page says so.
    const probe = kv.list(selector, { ...options, limit: 1, cursor });
    if ((await probe.next()).done) cursor = undefined;
  }
  return { items, ...(cursor ? { cursor: tag + cursor } : {}) };
}

/** 12 characters that name one listing: its keys, range and order. */
async function listingTag(
  selector: Deno.KvListSelector,
  reverse: boolean,
): Promise<string> {
  const text = JSON.stringify(
    [selector, reverse],
    (_, v) =>
      typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? [...v] : v,
  );
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  return [...digest.slice(0, 6)].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}
