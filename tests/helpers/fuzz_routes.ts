/**
 * The routes the HTTP fuzz test sends to, read from the generated manifest
 * so that a new route is fuzzed without touching the test.
 *
 * @module
 */
import manifest from "@/fresh.gen.ts";
import { classifyRouteFile, routePattern } from "@/lib/web/route_paths.ts";

/** Routes that other tests cover: the call's WebSocket. */
const EXCLUDED = new Set(["/api/signal"]);

export interface FuzzRoute {
  pattern: string;
  methods: string[];
  regex: RegExp;
}

/** The routes of the manifest, with the methods each one answers. */
export async function routesOfManifest(): Promise<FuzzRoute[]> {
  const files = Object.entries(manifest.routes)
    .filter(([file]) => classifyRouteFile(file).kind === "route");
  const modules = await Promise.all(files.map(([, load]) => load()));
  return files
    .map(([file], i) => {
      const module = modules[i];
      const pattern = routePattern(file);
      const handler = (module as { handler?: unknown }).handler;
      const methods = handler && typeof handler === "object"
        ? Object.keys(handler)
        : ["GET", "POST"];
      const regex = new RegExp(
        "^" + pattern.split(/(:\w+(?:\{[^}]*\})?)/).map((part) =>
          part.startsWith(":")
            ? "[^/]+"
            : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        ).join("") + "$",
      );
      return { pattern, methods, regex };
    })
    .filter((route) => !EXCLUDED.has(route.pattern));
}
