/**
 * The doctor copies a patient's link with one click: the link lands on the
 * clipboard and "Copied" is announced; where the clipboard is refused the
 * link is selected instead, to copy by hand. The appointment page also
 * shows the patient's email and phone as links.
 */
import assert from "node:assert/strict";
import { ADMIN, startServer } from "./helpers/server.ts";
import { ARTIFACTS, browserTest } from "./helpers/browser.ts";
import { toLocalInput } from "@/lib/clinic/time.ts";

browserTest(
  "the copy buttons put the visit link and the personal page link on the clipboard",
  async (browser) => {
    const server = await startServer();
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    try {
      const context = await browser.newContext({
        viewport: { width: 1100, height: 900 },
      });
      await context.grantPermissions(["clipboard-read", "clipboard-write"], {
        origin: server.url,
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/dashboard$/);
      await page.getByLabel("Patient name").fill("Grace Hopper");
      await page.getByLabel("Patient email (optional)").fill(
        "grace@example.org",
      );
      await page.getByLabel("Patient phone (optional)").fill("+1 555 0100");
      await page.getByLabel("Start (UTC)").fill(
        toLocalInput(Date.now() + 60 * 60_000, "UTC"),
      );
      await page.getByRole("button", { name: "Schedule visit" }).click();
      await page.waitForURL(/\/appointments\/[0-9a-f]{32}$/);
      await page.waitForSelector("html[data-islands-ready]");

      // The contact details, as links the doctor can use at once.
      assert.equal(
        await page.getByRole("link", { name: "grace@example.org" })
          .getAttribute("href"),
        "mailto:grace@example.org",
      );
      assert.equal(
        await page.getByRole("link", { name: "+1 555 0100" })
          .getAttribute("href"),
        "tel:+15550100",
      );

      const clipboard = () =>
        page.evaluate(() => navigator.clipboard.readText());
      for (
        const [what, label] of [
          ["visit link", "Visit link"],
          ["personal page link", "Patient's personal page"],
        ]
      ) {
        const link = await page.getByLabel(label).inputValue();
        assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/(visit|patient)\//);
        // Something else on the clipboard first, so the test can fail.
        await page.evaluate(() => navigator.clipboard.writeText("before"));
        const button = page.getByRole("button", { name: `Copy ${what}` });
        const status = button.locator("xpath=..").locator(".copy-status");
        assert.equal(await status.getAttribute("aria-live"), "polite");
        await button.click();
        await status.getByText("Copied").waitFor();
        assert.equal(await clipboard(), link);
      }
      await page.screenshot({
        path: new URL("appointment-contact-copy.png", ARTIFACTS).pathname,
        fullPage: true,
      });

      // The clipboard refused: the link is selected for copying by hand.
      await page.evaluate(() => {
        navigator.clipboard.writeText = () =>
          Promise.reject(new DOMException("refused", "NotAllowedError"));
      });
      await page.getByRole("button", { name: "Copy visit link" }).click();
      const refused = page.locator(".copy-status", { hasText: "refused" });
      await refused.waitFor();
      const selected = await page.evaluate(() => {
        const input = document.activeElement as HTMLInputElement;
        return {
          id: input.id,
          all: input.selectionStart === 0 &&
            input.selectionEnd === input.value.length,
        };
      });
      assert.deepEqual(selected, { id: "visit-link", all: true });
      assert.equal(
        await page.getByLabel("Visit link").getAttribute("readonly"),
        "",
      );
      await context.close();
    } finally {
      await server.close();
    }
  },
);
