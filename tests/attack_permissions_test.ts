/**
 * The start task's permissions, the wall behind the static files: no -A,
 * reads only static/ and its KV file, writes only that file, as the docs show
 * them. Started with exactly those flags, the server answers every hostile
 * path without a byte of a file outside `static/`, and a process with them
 * cannot read one.
 */
import assert from "node:assert/strict";
import {
  hostileFailures,
  hostilePaths,
  rawGet,
} from "./helpers/hostile_paths.ts";
import { appPermissions, START_PERMISSIONS } from "./helpers/permissions.ts";
import { freePort } from "./helpers/ports.ts";
import { BUILT_SERVER } from "@/lib/web/build.ts";
import { startOutput } from "./helpers/launch.ts";

const root = new URL("../", import.meta.url);

Deno.test("the start task's permissions: no -A, reads only static/ and its KV file, writes only that file", async () => {
  const lists = (name: string) =>
    appPermissions("KV").filter((f) =>
      f === `--allow-${name}` || f.startsWith(`--allow-${name}=`)
    ).map((f) => f.split("=")[1]);
  for (const flag of ["-A", "--allow-all", "--allow-run", "--allow-ffi"]) {
    assert.ok(!START_PERMISSIONS.includes(flag), flag);
  }
  assert.deepEqual(lists("read"), ["static,KV"]);
  assert.deepEqual(lists("write"), ["KV"]);
  // The documented deno serve lines give the same flags, never -A.
  for (const doc of ["README.md", "docs/deploy.md"]) {
    const text = await Deno.readTextFile(new URL(doc, root));
    const lines = text.match(/deno serve [^`\n]*/g) ?? [];
    const runnable = lines.filter((l) => l.includes("main.ts"));
    assert.ok(runnable.length > 0, doc);
    for (const line of runnable) {
      assert.doesNotMatch(line, /(^|\s)(-A|--allow-all)(\s|$)/, doc);
      for (const flag of START_PERMISSIONS) {
        assert.ok(line.split(/\s+/).includes(flag), `${doc}: ${flag}`);
      }
    }
  }
});

Deno.test("started with the start task's exact flags, the server serves no file outside static/ and cannot read one", async () => {
  // The KV file sits in data/, where hostile paths would look for it.
  const kvDir = `data/attack-${crypto.randomUUID()}`;
  await Deno.mkdir(new URL(kvDir, root), { recursive: true });
  const kvPath = `${kvDir}/clinic.kv`;
  const canaryDir = await Deno.makeTempDir();
  const secret = `canary-${crypto.randomUUID()}`;
  await Deno.writeTextFile(`${canaryDir}/canary.txt`, secret);
  try {
    const port = freePort();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", ...appPermissions(kvPath), BUILT_SERVER],
      cwd: root,
      env: {
        PORT: String(port),
        KV_PATH: kvPath,
        NO_COLOR: "1",
        LOG_LEVEL: "warn",
      },
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const { out, reader } = await startOutput(child);
    try {
      assert.match(out, /Clinic video visits:/);
      const kvName = encodeURIComponent(`${kvDir}/clinic.kv`);
      const paths = [
        ...hostilePaths(canaryDir),
        `/static/file:../${kvDir}/clinic.kv%3F.txt`,
        `/static/..%2f${kvName}`,
        `/static/%2e%2e/${kvDir}/clinic.kv`,
        `/static/../${kvDir}/clinic.kv`,
      ];
      assert.deepEqual(
        await hostileFailures(port, paths, [
          secret,
          "SQLite format",
          '"tasks"',
          "root:x:0",
        ]),
        [],
      );
      assert.equal((await rawGet(port, "/static/styles.css")).status, 200);
    } finally {
      child.kill("SIGTERM");
      await reader.cancel();
      await child.status;
    }

    // A process with the same flags in the same folder is refused every
    // file outside static/ but the KV file, even beside it, and every write
    // but to the KV file.
    const probe = `${canaryDir}/probe.ts`;
    await Deno.writeTextFile(
      probe,
      `const outcomes: Record<string, string> = {};
const attempt = async (name: string, f: () => Promise<unknown>) => {
  try { await f(); outcomes[name] = "ok"; }
  catch (e) { outcomes[name] = (e as Error).name; }
};
for (const file of Deno.args) {
  await attempt("read " + file, () => Deno.readFile(file));
}
await attempt("write static", () => Deno.writeTextFile("static/x.css", "x"));
await attempt("write tmp", () => Deno.writeTextFile(Deno.args[0] + ".w", "x"));
await attempt("write beside the store", () => Deno.writeTextFile("${kvDir}/x", "x"));
await attempt("write the store", () => Deno.writeTextFile("${kvPath}", "x"));
console.log(JSON.stringify(outcomes));
`,
    );
    const outside = [
      `${canaryDir}/canary.txt`,
      "/etc/hostname",
      "/etc/passwd",
      "deno.json",
      "lib/server.ts",
      `${kvDir}/clinic.kv.backup`,
    ];
    const result = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        ...appPermissions(kvPath),
        probe,
        ...outside,
      ],
      cwd: root,
      stdout: "piped",
      stderr: "inherit",
    }).output();
    const outcomes = JSON.parse(new TextDecoder().decode(result.stdout));
    assert.deepEqual(outcomes, {
      ...Object.fromEntries(
        outside.map((file) => [`read ${file}`, "NotCapable"]),
      ),
      "write static": "NotCapable",
      "write tmp": "NotCapable",
      "write beside the store": "NotCapable",
      "write the store": "ok",
    });
  } finally {
    await Deno.remove(new URL(kvDir, root), { recursive: true });
    await Deno.remove(canaryDir, { recursive: true });
  }
});
