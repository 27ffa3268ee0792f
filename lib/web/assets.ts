/**
 * Where the server finds what `deno task build` made: the folder served
 * under `/static/` and the islands' bundles listed in
 * `static/_islands/assets.json`.
 *
 * @module
 */
import type { ClientAssets } from "./render.tsx";

/**
 * The project's folder, two up from this module: from `lib/web/` when the
 * server runs from source, and from `build/server/` when it runs as built,
 * so the bundle must stay two folders deep.
 */
export const PROJECT_ROOT = new URL("../../", import.meta.url);
/** The folder served under `/static/`. */
export const STATIC_DIR = new URL("static/", PROJECT_ROOT);
export const ASSETS_URL_PATH = "/static/_islands/";
export const islandsDirOf = (root: URL) => new URL("static/_islands/", root);

/** Reads what the last build wrote; a clear error if there was none. */
export async function readAssets(root = PROJECT_ROOT): Promise<ClientAssets> {
  try {
    return JSON.parse(
      await Deno.readTextFile(new URL("assets.json", islandsDirOf(root))),
    ) as ClientAssets;
  } catch {
    throw new Error(
      'The island bundles are missing: run "deno task build" first.',
    );
  }
}
