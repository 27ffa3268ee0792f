/**
 * `deno task dev`: rebuilds the manifest and island bundles, then serves.
 * The task restarts this script whenever a route, island or lib file
 * changes, so every change is rebuilt.
 *
 * @module
 */
import { bundleIslands, writeManifest } from "./lib/web/build.ts";

await writeManifest();
await bundleIslands();
await import("./start.ts");
