/**
 * The Fresh-style layer on its own, through a small fixture app in
 * tests/fixtures/web_app: manifest, params, groups, layouts, middleware
 * order, 404 and 500 pages, and an island with a signal prop hydrated and
 * clicked in headless Chromium.
 */
import assert from "node:assert/strict";
import { createFreshApp } from "@/lib/web/app.ts";
import { bundleIslands, writeManifest } from "@/lib/web/build.ts";
import { loadStaticFiles, staticFiles } from "@/lib/web/static_files.ts";
import type { Manifest } from "@/lib/web/types.ts";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { browserTest } from "./helpers/browser.ts";

const fixture = new URL("./fixtures/web_app/", import.meta.url);

async function startFixture() {
  // The committed manifest must be what the generator writes.
  const changed = await writeManifest(fixture);
  const assets = await bundleIslands(fixture);
  const files = await loadStaticFiles(new URL("static/", fixture));
  const manifest = (await import(new URL("fresh.gen.ts", fixture).href))
    .default as Manifest;
  const app = createFreshApp<{ trail: string[] }>({
    manifest,
    assets,
    createState: () => ({ trail: [] }),
    before: [
      secureHeaders({
        contentSecurityPolicy: { scriptSrc: [NONCE, "'strict-dynamic'"] },
      }),
    ],
    mount: (a) => a.get("/static/*", staticFiles(files)),
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    app.fetch,
  );
  return { changed, url: `http://127.0.0.1:${server.addr.port}`, server };
}

Deno.test("the Fresh-style layer routes, wraps and orders like Fresh", async (t) => {
  const { changed, url, server } = await startFixture();
  try {
    await t.step("the generated manifest is up to date", () => {
      assert.equal(changed, false);
    });

    await t.step("params, groups, layouts and middleware order", async () => {
      const res = await fetch(`${url}/hello/ada`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-trail"), "root,group,handler");
      const html = await res.text();
      assert.match(html, /^<!DOCTYPE html><html lang="en">/);
      // _app wraps the root layout, which wraps the group's layout.
      assert.match(
        html,
        /<body><div data-layout="root"><section data-layout="group"><p id="greeting" data-trail="root,group,handler">Hello ada<\/p><\/section><\/div><\/body>/,
      );
    });

    await t.step(
      "a middleware can answer without calling the route",
      async () => {
        const res = await fetch(`${url}/hello/ada?stop`);
        assert.equal(res.status, 418);
        assert.equal(await res.text(), "stopped by group middleware");
      },
    );

    await t.step("catch-all segments", async () => {
      const res = await fetch(`${url}/files/a/b/c.txt`);
      assert.deepEqual(await res.json(), { path: "a/b/c.txt" });
    });

    await t.step("unknown paths render _404 inside the layouts", async () => {
      const res = await fetch(`${url}/nowhere`);
      assert.equal(res.status, 404);
      assert.equal(res.headers.get("x-trail"), "root");
      assert.match(
        await res.text(),
        /<div data-layout="root"><h1 id="not-found">Nothing here<\/h1>/,
      );
    });

    await t.step("a throwing handler renders _500 with the error", async () => {
      const res = await fetch(`${url}/boom`);
      assert.equal(res.status, 500);
      assert.match(await res.text(), /<h1 id="error">Failed: kaboom<\/h1>/);
    });

    await t.step("a method the route lacks is 405 with Allow", async () => {
      const res = await fetch(`${url}/hello/ada`, { method: "DELETE" });
      assert.equal(res.status, 405);
      assert.equal(res.headers.get("allow"), "GET");
      await res.body?.cancel();
    });

    await t.step(
      "islands: markers, escaped props, nonce, title from <Head>",
      async () => {
        const res = await fetch(`${url}/counter`);
        const html = await res.text();
        const csp = res.headers.get("content-security-policy") ?? "";
        const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
        assert.ok(nonce);
        assert.match(html, /<x-island data-island="Counter" data-props="0">/);
        assert.match(html, /<x-island data-island="Counter" data-props="1">/);
        assert.ok(
          html.includes(`<script type="module" src="/static/_islands/client-`),
        );
        assert.ok(html.includes(`nonce="${nonce}"`));
        assert.equal(html.match(/<title>/g)?.length, 1);
        assert.match(html, /<title>Counters<\/title>/);
        const json =
          /<script type="application\/json" id="__islands">(.*?)<\/script>/
            .exec(html)![1];
        assert.ok(!json.includes("</script>"));
        const payload = JSON.parse(json);
        assert.deepEqual(payload.signals, [5]);
        assert.deepEqual(payload.props[0].count, { $signal: 0 });
        assert.deepEqual(payload.props[1].count, { $signal: 0 });
      },
    );

    await t.step(
      "island bundles are served with long cache headers",
      async () => {
        const html = await (await fetch(`${url}/counter`)).text();
        const boot =
          /src="(\/static\/_islands\/client-[0-9a-f]+\.js)"/.exec(html)![1];
        const res = await fetch(url + boot);
        assert.equal(res.status, 200);
        assert.equal(
          res.headers.get("cache-control"),
          "public, max-age=31536000, immutable",
        );
        assert.match(res.headers.get("content-type") ?? "", /javascript/);
        await res.body?.cancel();
        const traversal = await fetch(`${url}/static/%2e%2e/state.ts`);
        assert.equal(traversal.status, 404);
        await traversal.body?.cancel();
      },
    );
  } finally {
    await server.shutdown();
  }
});

browserTest(
  "an island with a signal prop hydrates and shares its signal",
  async (browser) => {
    const { url, server } = await startFixture();
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("console", (m) => {
        // Failed loads are checked by URL below (the fixture has no favicon).
        if (
          m.type() === "error" &&
          !m.text().startsWith("Failed to load resource")
        ) {
          problems.push(m.text());
        }
      });
      page.on("response", (r) => {
        if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) {
          problems.push(`${r.status()} ${r.url()}`);
        }
      });
      page.on("pageerror", (e) => problems.push(String(e)));
      await page.goto(`${url}/counter`);
      await page.waitForSelector("html[data-islands-ready]");
      assert.equal(await page.textContent("#first-value"), "5");
      await page.click("#first-add");
      await page.click("#second-add");
      await page.waitForFunction(() =>
        document.querySelector("#second-value")?.textContent === "7"
      );
      // Both islands got the same signal: each click shows in both.
      assert.equal(await page.textContent("#first-value"), "7");
      assert.equal(await page.textContent(".label"), "</script><b>label</b>");
      assert.deepEqual(problems, []);
    } finally {
      await server.shutdown();
    }
  },
);
