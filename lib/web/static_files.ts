/**
 * Serves `static/` under `/static/`. Built island bundles carry a content
 * hash in their names and are cached for a year; other files are
 * revalidated.
 *
 * @module
 */
import type { Context } from "hono";

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

/** A Hono handler for `/static/*` reading from `dir`. */
export function staticFiles(dir: URL) {
  return async (c: Context) => {
    const rel = decodeURIComponent(c.req.path.replace(/^\/static\//, ""));
    if (
      rel === "" ||
      rel.split("/").some((s) => s === ".." || s.startsWith(".")) ||
      rel.includes("\\") || rel.includes("\0")
    ) return c.notFound();
    const ext = rel.slice(rel.lastIndexOf(".") + 1);
    const type = TYPES[ext];
    if (!type) return c.notFound();
    let body: Uint8Array;
    try {
      body = await Deno.readFile(new URL(rel, dir));
    } catch {
      return c.notFound();
    }
    const immutable = rel.startsWith("_islands/") &&
      rel !== "_islands/assets.json";
    return new Response(body as BodyInit, {
      headers: {
        "Content-Type": type,
        "Cache-Control": immutable
          ? "public, max-age=31536000, immutable"
          : "public, max-age=300",
      },
    });
  };
}
