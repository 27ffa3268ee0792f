/**
 * An outsider's attempts to read files through `/static/`, sent as raw HTTP
 * so that no client tidies the path first: every spelling of `..`, schemes,
 * absolute paths, separators, NUL, overlong UTF-8 and malformed escapes.
 * Each must be answered 400 or 404, and no answer may carry a byte of a file
 * outside `static/`; the files that are in it are served, typed and cached.
 */
import assert from "node:assert/strict";
import { hostileFailures, hostilePaths } from "./helpers/hostile_paths.ts";
import { startServer } from "./helpers/server.ts";

/** At least this many hostile paths are tried (the list is checked). */
const MIN_HOSTILE_PATHS = 50;

Deno.test("no request reads a file outside static/", async () => {
  const canaryDir = await Deno.makeTempDir();
  const secret = `canary-${crypto.randomUUID()}`;
  await Deno.writeTextFile(`${canaryDir}/canary.txt`, secret);
  // Bytes that would show a file outside static/ came back.
  const leaks = [
    secret,
    (await Deno.readTextFile("/etc/hostname").catch(() => "")).trim() ||
    secret,
    "root:x:0",
    '"tasks"',
    "createClinicApp",
    "# Clinic video visits",
    "SQLite format",
  ];
  const server = await startServer();
  try {
    const port = Number(new URL(server.url).port);
    const paths = hostilePaths(canaryDir);
    assert.ok(paths.length >= MIN_HOSTILE_PATHS, `${paths.length} paths`);
    assert.deepEqual(await hostileFailures(port, paths, leaks), []);
  } finally {
    await server.close();
    await Deno.remove(canaryDir, { recursive: true });
  }
});

Deno.test("the files in static/ are served, typed and cached", async () => {
  const server = await startServer();
  try {
    const assets = JSON.parse(
      await Deno.readTextFile(
        new URL("../static/_islands/assets.json", import.meta.url),
      ),
    ) as { boot: string; islands: Record<string, string> };
    for (const path of [assets.boot, ...Object.values(assets.islands)]) {
      const res = await fetch(server.url + path);
      assert.equal(res.status, 200, path);
      assert.equal(
        res.headers.get("content-type"),
        "text/javascript; charset=utf-8",
      );
      assert.equal(
        res.headers.get("cache-control"),
        "public, max-age=31536000, immutable",
      );
      await res.body?.cancel();
    }
    const css = await fetch(`${server.url}/static/styles.css`);
    assert.equal(css.status, 200);
    assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
    assert.equal(css.headers.get("cache-control"), "public, max-age=300");
    assert.equal(
      await css.text(),
      await Deno.readTextFile(new URL("../static/styles.css", import.meta.url)),
    );
    const etag = css.headers.get("etag");
    assert.ok(etag);
    const again = await fetch(`${server.url}/static/styles.css`, {
      headers: { "If-None-Match": etag },
    });
    assert.equal(again.status, 304);
    await again.body?.cancel();
    const head = await fetch(`${server.url}/static/styles.css`, {
      method: "HEAD",
    });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-type"), "text/css; charset=utf-8");
    // GET is compressed, which makes its ETag weak; HEAD is not.
    assert.equal(head.headers.get("etag"), etag.replace(/^W\//, ""));
    assert.equal(await head.text(), "");
  } finally {
    await server.close();
  }
});
