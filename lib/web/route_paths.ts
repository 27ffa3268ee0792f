/**
 * Turns Fresh-style route file names into Hono path patterns, and orders
 * them so that static segments win over parameters, and parameters over
 * catch-alls (Hono matches in registration order).
 *
 * @module
 */

/** What a file under `routes/` is, from its name alone. */
export type RouteFileKind =
  | "route"
  | "app"
  | "layout"
  | "middleware"
  | "notFound"
  | "error";

const SPECIAL: Record<string, RouteFileKind> = {
  _app: "app",
  _layout: "layout",
  _middleware: "middleware",
  _404: "notFound",
  _500: "error",
};

/** The file's kind and the folder it applies to (without `./routes`). */
export function classifyRouteFile(file: string): {
  kind: RouteFileKind;
  dir: string;
} {
  const rel = file.replace(/^\.\/routes\//, "");
  const slash = rel.lastIndexOf("/");
  const dir = slash === -1 ? "" : rel.slice(0, slash);
  const base = rel.slice(slash + 1).replace(/\.(tsx?|jsx?)$/, "");
  return { kind: SPECIAL[base] ?? "route", dir };
}

/**
 * `./routes/(doctor)/appointments/[id]/index.tsx` becomes
 * `/appointments/:id`; `[...rest]` becomes a `:rest{.+}` catch-all.
 */
export function routePattern(file: string): string {
  const rel = file.replace(/^\.\/routes\//, "").replace(/\.(tsx?|jsx?)$/, "");
  const segments = rel.split("/")
    .filter((s) => !/^\(.+\)$/.test(s))
    .filter((s, i, all) => !(s === "index" && i === all.length - 1))
    .map((s) => {
      const rest = /^\[\.\.\.(\w+)\]$/.exec(s);
      if (rest) return `:${rest[1]}{.+}`;
      return s.replace(/\[(\w+)\]/g, ":$1");
    });
  return "/" + segments.join("/");
}

function segmentRank(segment: string): number {
  if (segment.includes("{.+}")) return 2;
  if (segment.includes(":")) return 1;
  return 0;
}

/** Compares two patterns so the more specific one sorts first. */
export function comparePatterns(a: string, b: string): number {
  const as = a.split("/");
  const bs = b.split("/");
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const diff = segmentRank(as[i]) - segmentRank(bs[i]);
    if (diff !== 0) return diff;
  }
  if (as.length !== bs.length) return bs.length - as.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The folders from the root down to `dir`: "", "a", "a/b". */
export function ancestorDirs(dir: string): string[] {
  const parts = dir === "" ? [] : dir.split("/");
  return ["", ...parts.map((_, i) => parts.slice(0, i + 1).join("/"))];
}
