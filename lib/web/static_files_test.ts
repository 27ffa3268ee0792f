import assert from "node:assert/strict";
import { Hono } from "hono";
import { loadStaticFiles, staticFiles } from "./static_files.ts";

Deno.test("only plain files of known types below the folder are in the map", async () => {
  const root = await Deno.makeTempDir();
  try {
    const dir = `${root}/static`;
    await Deno.mkdir(`${dir}/_islands`, { recursive: true });
    await Deno.mkdir(`${dir}/.private`);
    await Deno.writeTextFile(`${root}/secret.css`, "outside");
    await Deno.writeTextFile(`${dir}/styles.css`, "body{}");
    await Deno.writeTextFile(`${dir}/_islands/Call-0a1b.js`, "x");
    await Deno.writeTextFile(`${dir}/.env.css`, "hidden");
    await Deno.writeTextFile(`${dir}/.private/a.css`, "hidden");
    await Deno.writeTextFile(`${dir}/notes.kv`, "no type");
    await Deno.writeTextFile(`${dir}/we ird.css`, "odd name");
    await Deno.symlink(`${root}/secret.css`, `${dir}/linked.css`);
    await Deno.symlink(root, `${dir}/up`);

    const files = await loadStaticFiles(new URL(`file://${dir}/`));
    assert.deepEqual([...files.keys()].sort(), [
      "/static/_islands/Call-0a1b.js",
      "/static/styles.css",
    ]);
    assert.equal(
      files.get("/static/_islands/Call-0a1b.js")?.cacheControl,
      "public, max-age=31536000, immutable",
    );

    const app = new Hono().get("/static/*", staticFiles(files));
    const res = await app.request("/static/styles.css");
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "body{}");
    for (
      const path of [
        "/static/linked.css",
        "/static/up/secret.css",
        "/static/%2e%2e/secret.css",
        "/static/STYLES.css",
      ]
    ) {
      const miss = await app.request(path);
      assert.equal(miss.status, 404, path);
      assert.doesNotMatch(await miss.text(), /outside/);
    }
    // The map is what was there at start: later files are not served.
    await Deno.writeTextFile(`${dir}/late.css`, "late");
    assert.equal((await app.request("/static/late.css")).status, 404);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
