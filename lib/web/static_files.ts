/**
 * Serves `static/` under `/static/` from a map of the files that were there
 * at start. A request only ever picks an entry of that map by its exact
 * path: nothing it sends becomes a file path, so no spelling of `..`, no
 * scheme, no absolute path and no escape can reach another file, and the
 * disk is not read after start.
 *
 * Built island bundles carry a content hash in their names and are cached
 * for a year; other files are revalidated (with an ETag).
 *
 * @module
 */
import type { Context } from "hono";
import { HttpError } from "@/lib/http/errors.ts";

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  json: "application/json",
  txt: "text/plain; charset=utf-8",
  webmanifest: "application/manifest+json",
};

/** A name that may be served: plain characters, one known extension. */
const SERVABLE = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.([a-z]+)$/;

const FOLDER = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

export interface StaticFile {
  body: Uint8Array;
  type: string;
  etag: string;
  cacheControl: string;
}

/** URL path (`/static/styles.css`) to the file it serves. */
export type StaticFiles = ReadonlyMap<string, StaticFile>;

async function etagOf(body: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", body as BufferSource);
  const hex = [...new Uint8Array(digest).slice(0, 12)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  return `"${hex}"`;
}

/**
 * Reads every servable file below `dir` once. Hidden files and folders,
 * unknown types and symbolic links are left out (a link could point
 * anywhere).
 */
export async function loadStaticFiles(
  dir: URL,
  urlPrefix = "/static/",
): Promise<StaticFiles> {
  const files = new Map<string, StaticFile>();
  const walk = async (folder: URL, rel: string) => {
    for await (const entry of Deno.readDir(folder)) {
      if (entry.isSymlink || entry.name.startsWith(".")) continue;
      if (entry.isDirectory) {
        if (!FOLDER.test(entry.name)) continue;
        await walk(
          new URL(`${encodeURIComponent(entry.name)}/`, folder),
          `${rel}${entry.name}/`,
        );
        continue;
      }
      const match = SERVABLE.exec(entry.name);
      const type = match && TYPES[match[2]];
      if (!entry.isFile || !type) continue;
      const path = `${rel}${entry.name}`;
      const body = await Deno.readFile(
        new URL(encodeURIComponent(entry.name), folder),
      );
      const immutable = path.startsWith("_islands/") &&
        path !== "_islands/assets.json";
      files.set(urlPrefix + path, {
        body,
        type,
        etag: await etagOf(body),
        cacheControl: immutable
          ? "public, max-age=31536000, immutable"
          : "public, max-age=300",
      });
    }
  };
  await walk(dir, "");
  return files;
}

/** A Hono handler for `/static/*` answering from the map, or 404. */
export function staticFiles(files: StaticFiles) {
  return (c: Context) => {
    // The raw path, undecoded: a file is named only by its exact spelling.
    const file = files.get(new URL(c.req.url).pathname);
    if (!file) {
      return new HttpError(404, "not_found", "No such file.").toResponse();
    }
    const headers = {
      "Content-Type": file.type,
      "Cache-Control": file.cacheControl,
      ETag: file.etag,
    };
    if (matchesEtag(c.req.header("if-none-match"), file.etag)) {
      return new Response(null, { status: 304, headers });
    }
    return new Response(file.body as BodyInit, { headers });
  };
}

/**
 * Whether `If-None-Match` names this ETag. Compression turns the ETag weak
 * (`W/"…"`), and the header may list several, so compare without the flag.
 */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === etag;
  });
}
