/**
 * `deno task build`: regenerates `fresh.gen.ts`, bundles the islands with
 * Deno's own bundler, and bundles the server that `deno task serve` runs.
 * Island bundles are split so that Preact is loaded once, named by content
 * hash so they can be cached for a year, and listed in
 * `static/_islands/assets.json` for the server.
 *
 * @module
 */
import { islandName } from "./app.ts";
import { ASSETS_URL_PATH, islandsDirOf, PROJECT_ROOT } from "./assets.ts";
import { listModules, manifestSource } from "./manifest.ts";
import type { ClientAssets } from "./render.tsx";

/**
 * The server `deno task serve` runs, as built from `start.ts`: two folders
 * deep, as `assets.ts` expects.
 */
export const BUILT_SERVER = "build/server/start.js";

/**
 * Packages the server bundle imports as they are, from the npm cache:
 * CommonJS code that calls `require()` for Node's modules, which a bundle
 * cannot do.
 */
const LOADED_AS_PACKAGES = ["@redis/client"];

async function run(root: URL, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdout: "inherit",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `deno ${args[0]} failed:\n${new TextDecoder().decode(out.stderr)}`,
    );
  }
}

async function contentHash(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return [...new Uint8Array(digest).slice(0, 6)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function formatTs(root: URL, source: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=ts", "-"],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(source));
  await writer.close();
  const out = await child.output();
  if (!out.success) throw new Error("deno fmt could not format fresh.gen.ts");
  return new TextDecoder().decode(out.stdout);
}

/** An import specifier for `target` from a module in the folder `from`. */
function relativeImport(from: URL, target: URL): string {
  const a = from.pathname.split("/").filter(Boolean);
  const b = target.pathname.split("/").filter(Boolean);
  let common = 0;
  while (common < a.length && a[common] === b[common]) common++;
  const up = a.length - common;
  return (up === 0 ? "./" : "../".repeat(up)) + b.slice(common).join("/");
}

/** Writes the manifest; answers whether it changed. */
export async function writeManifest(root = PROJECT_ROOT): Promise<boolean> {
  const routes = await listModules(root, "routes");
  const islands = await listModules(root, "islands");
  const target = new URL("fresh.gen.ts", root);
  const text = await formatTs(
    root,
    manifestSource(
      routes,
      islands,
      relativeImport(root, new URL("./types.ts", import.meta.url)),
    ),
  );
  const old = await Deno.readTextFile(target).catch(() => "");
  if (old === text) return false;
  await Deno.writeTextFile(target, text);
  return true;
}

/** Bundles the boot module and every island; returns their URLs. */
export async function bundleIslands(
  root = PROJECT_ROOT,
): Promise<ClientAssets> {
  const islands = await listModules(root, "islands");
  const outDir = islandsDirOf(root);
  // Entries in one folder give flat output names next to the shared chunks.
  const entries = new URL(".islands-build/", root);
  await Deno.remove(entries, { recursive: true }).catch(() => {});
  await Deno.mkdir(entries, { recursive: true });
  const entryFiles = [`${entries.pathname}client.ts`];
  await Deno.writeTextFile(
    entryFiles[0],
    `import ${JSON.stringify(new URL("./client.ts", import.meta.url).href)};\n`,
  );
  for (const file of islands) {
    const entry = `${entries.pathname}${islandName(file)}.ts`;
    const target = new URL(file, root).href;
    await Deno.writeTextFile(
      entry,
      `export { default } from ${JSON.stringify(target)};\n`,
    );
    entryFiles.push(entry);
  }
  await Deno.remove(outDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(outDir, { recursive: true });
  await run(root, [
    "bundle",
    "--quiet",
    "--platform=browser",
    "--minify",
    "--code-splitting",
    "--outdir",
    outDir.pathname,
    ...entryFiles,
  ]).finally(() => Deno.remove(entries, { recursive: true }));
  const named = async (entryFile: string) => {
    const name = islandName(entryFile);
    const built = new URL(`${name}.js`, outDir);
    const hashed = `${name}-${await contentHash(
      await Deno.readFile(built),
    )}.js`;
    await Deno.rename(built, new URL(hashed, outDir));
    return ASSETS_URL_PATH + hashed;
  };
  const assets: ClientAssets = {
    boot: await named("client.ts"),
    islands: {},
  };
  for (const file of islands) {
    assets.islands[islandName(file)] = await named(file);
  }
  await Deno.writeTextFile(
    new URL("assets.json", outDir),
    JSON.stringify(assets, null, 2) + "\n",
  );
  return assets;
}

/**
 * Bundles `start.ts` into `BUILT_SERVER`, as Fresh builds its server: one
 * module and its lazily loaded routes as chunks, instead of some 250
 * modules, each held in memory with its source. Minified (with the names
 * of functions and classes kept for stack traces), the idle server holds
 * about 8 MB less; a source map is left out, as Deno would load it at start
 * (25 MB).
 */
export async function bundleServer(root = PROJECT_ROOT) {
  const folder = new URL("./", new URL(BUILT_SERVER, root));
  await Deno.remove(folder, { recursive: true }).catch(() => {});
  await run(root, [
    "bundle",
    "--quiet",
    "--platform=deno",
    "--minify",
    "--keep-names",
    "--code-splitting",
    ...LOADED_AS_PACKAGES.map((name) => `--external=${name}`),
    "--outdir",
    folder.pathname,
    new URL("start.ts", root).pathname,
  ]);
  for await (const file of Deno.readDir(folder)) {
    const text = await Deno.readTextFile(new URL(file.name, folder));
    if (text.includes("Dynamic require of")) {
      throw new Error(
        `The server bundle's ${file.name} calls require(), which fails when it runs: add the CommonJS package it comes from to LOADED_AS_PACKAGES.`,
      );
    }
  }
}

if (import.meta.main) {
  const changed = await writeManifest();
  const assets = await bundleIslands();
  await bundleServer();
  console.log(
    `Built ${Object.keys(assets.islands).length} island(s) and the server${
      changed ? "; fresh.gen.ts updated" : ""
    }.`,
  );
}
