/**
 * Headless Firefox ESR (Debian's `firefox-esr`) for browser tests, driven by
 * puppeteer-core over WebDriver BiDi, in a fresh profile that fakes the
 * camera and microphone and lets WebRTC connect over loopback. Patients use
 * Firefox: the calls between it and Chromium are tested with this. Without
 * a Firefox the tests are skipped with a loud message, except in CI
 * (`CI=true`), where a missing browser fails the run.
 *
 * @module
 */
import puppeteer, { type Browser } from "puppeteer-core";
import { firstFile, inCI, warnIfSkipped } from "./find_browser.ts";

export function findFirefox(): string | null {
  return firstFile([
    Deno.env.get("FIREFOX_PATH"),
    "/usr/bin/firefox-esr",
    "/usr/bin/firefox",
  ]);
}

const executablePath = findFirefox();
warnIfSkipped(
  executablePath,
  "Firefox browser tests SKIPPED: no Firefox found (set FIREFOX_PATH, or apt-get install firefox-esr).",
);

/**
 * The profile's preferences: a fake camera and microphone with no prompt
 * (as Chromium's `--use-fake-*-for-media-stream`), and ICE that may pair
 * loopback and real host addresses, as Chromium's
 * `--allow-loopback-in-peer-connection` does, since both browsers run on the
 * test machine with no STUN server. (Host addresses are not hidden behind
 * mDNS names once the camera is allowed, so Chromium can reach them.)
 */
export const FIREFOX_PREFS: Record<string, unknown> = {
  "media.navigator.streams.fake": true,
  "media.navigator.permission.disabled": true,
  "permissions.default.camera": 1,
  "permissions.default.microphone": 1,
  "media.peerconnection.ice.loopback": true,
  // Nothing from the network the test did not ask for.
  "app.update.enabled": false,
  "browser.shell.checkDefaultBrowser": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "toolkit.telemetry.enabled": false,
};

/** Starts Firefox in a new, empty profile; `close` also deletes the profile. */
export async function launchFirefox(): Promise<
  { browser: Browser; close(): Promise<void> }
> {
  if (!executablePath) {
    throw new Error(
      "Firefox is required in CI; install the firefox-esr package",
    );
  }
  const profile = await Deno.makeTempDir({ prefix: "clinic-firefox-" });
  try {
    const browser = await puppeteer.launch({
      browser: "firefox",
      protocol: "webDriverBiDi",
      executablePath,
      headless: true,
      userDataDir: profile,
      extraPrefsFirefox: FIREFOX_PREFS,
    });
    return {
      browser,
      async close() {
        await browser.close().catch(() => {});
        await Deno.remove(profile, { recursive: true }).catch(() => {});
      },
    };
  } catch (error) {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
    throw error;
  }
}

/**
 * Whether a Firefox test is skipped: only locally without a Firefox (the
 * warning above says so); in CI a missing Firefox fails the test instead.
 */
export const skipFirefox = !executablePath && !inCI;
