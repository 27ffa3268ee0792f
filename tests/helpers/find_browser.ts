/**
 * Finding a browser the tests drive: the first of its usual paths that is
 * a file (an environment variable first). Without one, its tests are
 * skipped with a loud message, except in CI (`CI=true`), where a missing
 * browser fails the run.
 *
 * @module
 */

export const inCI = Deno.env.get("CI") === "true";

/** The first path that is a file, or `null`. */
export function firstFile(paths: (string | undefined)[]): string | null {
  for (const path of paths) {
    if (!path) continue;
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not here; try the next one
    }
  }
  return null;
}

/** Says loudly, once, that `what` tests are skipped and how to get them. */
export function warnIfSkipped(found: string | null, message: string) {
  if (!found && !inCI) console.warn(`\n!!! ${message}\n`);
}
