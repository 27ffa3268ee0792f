/**
 * In Chromium: a call longer than the sign-in's idle time (shortened here)
 * keeps the doctor signed in, and "Visit report and notes" opens the
 * report; the ended visit then reads "Completed" on the dashboard and the
 * appointment page, which offer its report and nothing else. A doctor
 * whose sign-in lapsed is told why and brought back to the page asked for.
 */
import assert from "node:assert/strict";
import { ADMIN, Client, startServer } from "./helpers/server.ts";
import { ARTIFACTS, browserTest } from "./helpers/browser.ts";
import { assertAccessible } from "./helpers/axe.ts";
import { openVisitNow } from "./helpers/signal_client.ts";
import { closeAll, endVisit, openCall } from "./helpers/call_pages.ts";

/** The sign-in's idle time in this test: far shorter than the call. */
const IDLE_MS = 4_000;

browserTest(
  "a call longer than the idle time keeps the doctor signed in; the ended visit offers only its report",
  async (browser) => {
    const server = await startServer({
      CALL_TEST_HOOKS: "1",
      SIGNALING_KEEPALIVE_SECONDS: "1",
    });
    // The setting cannot go under a minute; the test knob is the config.
    server.config.sessionIdleMs = IDLE_MS;
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    try {
      const visit = await openVisitNow(server);
      const call = await openCall(browser, visit, server.url);
      try {
        const { doctor } = call;
        // Three idle times in the call, with no page asked meanwhile.
        await doctor.waitForTimeout(3 * IDLE_MS);
        await doctor.waitForSelector(".call[data-status=connected]");
        await endVisit(doctor);
        await doctor.waitForSelector(".call[data-status=ended]");
        await doctor.getByRole("link", { name: "Visit report and notes" })
          .click();
        await doctor.waitForURL(`${server.url}/sessions/${visit.id}`);
        assert.match(
          await doctor.textContent("h1") ?? "",
          /Visit report: Test Patient/,
        );

        // The dashboard: "Completed", the report, and no "Open to join".
        await doctor.setViewportSize({ width: 1100, height: 800 });
        await doctor.goto(`${server.url}/dashboard`);
        const row = doctor.locator("tr", {
          has: doctor.locator(`a[href="/appointments/${visit.id}"]`),
        });
        assert.equal(
          await row.locator("[data-lifecycle]").getAttribute("data-lifecycle"),
          "completed",
        );
        assert.match(await row.textContent() ?? "", /Completed/);
        assert.doesNotMatch(await row.textContent() ?? "", /Open to join/);
        await row.getByRole("link", { name: /Report/ }).waitFor();
        await doctor.screenshot({
          path: new URL("dashboard-completed.png", ARTIFACTS).pathname,
          fullPage: true,
        });
        await assertAccessible(doctor, "dashboard with a completed visit");

        // The appointment page: its report, and no Join, Reschedule, Cancel or new link.
        await doctor.goto(`${server.url}/appointments/${visit.id}`);
        assert.equal(
          await doctor.locator("[data-lifecycle]").getAttribute(
            "data-lifecycle",
          ),
          "completed",
        );
        for (
          const name of [
            "Join call",
            "Save changes",
            "Cancel visit",
            "New visit link",
            "New personal page link",
          ]
        ) {
          assert.equal(await doctor.getByText(name).count(), 0, name);
        }
        await doctor.getByRole("link", { name: "Visit report and notes" })
          .waitFor();
        await doctor.screenshot({
          path: new URL("appointment-completed.png", ARTIFACTS).pathname,
          fullPage: true,
        });
        await assertAccessible(doctor, "appointment page of a completed visit");
      } finally {
        await closeAll(call.contexts);
      }

      // Without a call, a sign-in lapses: the doctor is told why, signs in
      // and lands on the page asked for.
      const idle = await new Client(server.url).signIn();
      const context = await browser.newContext();
      try {
        const [name, value] = idle.cookie.split("=");
        await context.addCookies([{ name, value, url: server.url }]);
        const page = await context.newPage();
        await page.waitForTimeout(IDLE_MS + 1_000);
        await page.goto(`${server.url}/sessions/${visit.id}`);
        await page.waitForURL(
          /\/login\?next=%2Fsessions%2F[0-9a-f]{32}&reason=expired$/,
        );
        assert.match(
          await page.textContent(".sign-in-reason") ?? "",
          /Your sign-in ended after 4 seconds without activity; sign in again to continue to the visit report\./,
        );
        await page.screenshot({
          path: new URL("sign-in-expired.png", ARTIFACTS).pathname,
        });
        await assertAccessible(page, "sign-in after an idle logoff");
        await page.getByLabel("Email").fill(ADMIN.email);
        await page.getByLabel("Password").fill(ADMIN.password);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${server.url}/sessions/${visit.id}`);
        assert.match(await page.textContent("h1") ?? "", /Visit report/);
      } finally {
        await context.close();
      }
    } finally {
      await server.close();
    }
  },
);
