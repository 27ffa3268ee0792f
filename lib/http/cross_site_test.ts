import assert from "node:assert/strict";
import { Hono } from "hono";
import { crossSiteProtection } from "./cross_site.ts";

function app() {
  const a = new Hono();
  a.use(
    "*",
    crossSiteProtection({ trustedOrigins: ["https://clinic.example"] }),
  );
  a.all("/x", (c) => c.text("done"));
  return a;
}

const post = (headers: Record<string, string>) =>
  app().request("http://127.0.0.1:8000/x", { method: "POST", headers });

Deno.test("same-origin and script requests pass", async () => {
  assert.equal((await post({ "sec-fetch-site": "same-origin" })).status, 200);
  assert.equal((await post({ origin: "http://127.0.0.1:8000" })).status, 200);
  assert.equal((await post({})).status, 200);
  assert.equal(
    (await post({
      "sec-fetch-site": "cross-site",
      origin: "https://clinic.example",
    })).status,
    200,
  );
});

Deno.test("cross-site forms and JSON are refused", async () => {
  const form = await post({
    "sec-fetch-site": "cross-site",
    origin: "https://evil.example",
  });
  assert.equal(form.status, 403);
  assert.equal((await form.json()).error.code, "cross_site_request");
  assert.equal(
    (await post({
      origin: "https://evil.example",
      "content-type": "application/json",
    })).status,
    403,
  );
  assert.equal((await post({ "sec-fetch-site": "same-site" })).status, 403);
});

Deno.test("safe methods are never refused", async () => {
  const res = await app().request("http://127.0.0.1:8000/x", {
    headers: { "sec-fetch-site": "cross-site" },
  });
  assert.equal(res.status, 200);
});
