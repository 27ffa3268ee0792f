/**
 * Headless Chromium for browser tests, driven by playwright-core. Without a
 * Chromium the tests are skipped with a loud message, except in CI
 * (`CI=true`), where a missing browser fails the run.
 *
 * @module
 */
import { type Browser, chromium } from "playwright-core";
import { firstFile, inCI, warnIfSkipped } from "./find_browser.ts";

export function findChromium(): string | null {
  return firstFile([
    Deno.env.get("CHROMIUM_PATH"),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ]);
}

const executablePath = findChromium();
warnIfSkipped(
  executablePath,
  "Browser tests SKIPPED: no Chromium found (set CHROMIUM_PATH, or apt-get install chromium).",
);

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--allow-loopback-in-peer-connection",
];

export async function launchBrowser(): Promise<Browser> {
  if (!executablePath) {
    throw new Error("Chromium is required in CI; install the chromium package");
  }
  return await chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

/** A test that needs Chromium: skipped locally without one, failed in CI. */
export function browserTest(
  name: string,
  fn: (browser: Browser) => Promise<void>,
) {
  Deno.test({
    name,
    ignore: !executablePath && !inCI,
    // playwright keeps its pipe to the browser open between tests.
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const browser = await launchBrowser();
      try {
        await fn(browser);
      } finally {
        await browser.close();
      }
    },
  });
}

/** Where screenshots of test runs are kept (gitignored). */
export const ARTIFACTS = new URL("../artifacts/", import.meta.url);
