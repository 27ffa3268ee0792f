/**
 * The call page's test hooks (`globalThis.clinicCall`, `?relay=only`) are
 * off unless `CALL_TEST_HOOKS=1`: both call pages hand the Call island the
 * switch as the server has it, and with it off a page opened with
 * `?relay=only` exposes no call client.
 */
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "@/lib/config.ts";
import { browserTest } from "./helpers/browser.ts";
import { enterCall, passCheckIn } from "./helpers/call_pages.ts";
import { startServer } from "./helpers/server.ts";
import { checkIn, openVisitNow } from "./helpers/signal_client.ts";

/** The props the page gives its Call island. */
function callProps(html: string): Record<string, unknown> {
  const json = /<script type="application\/json" id="__islands">(.*?)<\/script>/
    .exec(html)?.[1];
  assert.ok(json, "the page carries island props");
  return JSON.parse(json).props[0];
}

Deno.test("both call pages pass the test-hooks switch as the server has it", async () => {
  for (
    const [env, expected] of [[{}, false], [
      { CALL_TEST_HOOKS: "1" },
      true,
    ]] as const
  ) {
    const server = await startServer(env);
    try {
      const visit = await openVisitNow(server);
      await checkIn(visit.visitUrl);
      const patientPage = await fetch(`${visit.visitUrl}/call?relay=only`);
      assert.equal(callProps(await patientPage.text()).testHooks, expected);
      const doctorPage = await visit.doctor.fetch(
        `/appointments/${visit.id}/call?relay=only`,
      );
      assert.equal(callProps(await doctorPage.text()).testHooks, expected);
    } finally {
      await server.close();
    }
  }
  assert.equal(loadConfig({}).callTestHooks, false);
  assert.throws(
    () => loadConfig({ CALL_TEST_HOOKS: "yes" }),
    (error) =>
      error instanceof ConfigError && /CALL_TEST_HOOKS/.test(error.message),
  );
});

browserTest(
  "with the test hooks off, a call page exposes no call client",
  async (browser) => {
    const server = await startServer();
    try {
      const visit = await openVisitNow(server);
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${visit.visitUrl}/call?relay=only`);
      await passCheckIn(page);
      await page.waitForSelector("html[data-islands-ready]");
      await enterCall(page);
      await page.waitForSelector(".call[data-status=waiting]");
      assert.equal(
        await page.evaluate(() => "clinicCall" in globalThis),
        false,
      );
    } finally {
      await server.close();
    }
  },
);
