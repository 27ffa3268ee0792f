/**
 * Calls between Firefox ESR and Chromium, as patients and doctors use them:
 * one side in Debian's Firefox (puppeteer over WebDriver BiDi), the other
 * in Chromium (Playwright), both with fake cameras. Both orders of arrival
 * and both roles in each browser, so that each browser makes the offer once
 * and answers once. Each side decodes the other's video (more frames with
 * time, a real width, the remote video playing), over VP8, which both
 * have: Debian's Firefox has no H.264, so the call must never insist on it.
 * Chat goes both ways, a reload of the Firefox side (after the page's
 * warning) comes back into the call by itself, and the end reaches both.
 */
import assert from "node:assert/strict";
import type {
  Browser as Chromium,
  Page as ChromiumPage,
} from "playwright-core";
import type { Browser as Firefox, Page as FirefoxPage } from "puppeteer-core";
import { ARTIFACTS, findChromium, launchBrowser } from "./helpers/browser.ts";
import {
  type DecodedVideo,
  decodedVideo,
  endVisit,
  enterCall,
} from "./helpers/call_pages.ts";
import { launchFirefox, skipFirefox } from "./helpers/firefox.ts";
import { inCI } from "./helpers/find_browser.ts";
import {
  button,
  chatFromFirefox,
  decodedVideoInFirefox,
  enterCallInFirefox,
  reloadFirefoxInCall,
} from "./helpers/firefox_pages.ts";
import { checkIn, openVisitNow, type Visit } from "./helpers/signal_client.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

/** A test with both browsers: skipped locally when either is missing, failed in CI. */
function crossBrowserTest(
  name: string,
  fn: (chromium: Chromium, firefox: Firefox) => Promise<void>,
) {
  Deno.test({
    name,
    ignore: skipFirefox || (!findChromium() && !inCI),
    // Both drivers keep their connections open between tests.
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const chromium = await launchBrowser();
      try {
        const firefox = await launchFirefox();
        try {
          await fn(chromium, firefox.browser);
        } finally {
          await firefox.close();
        }
      } finally {
        await chromium.close();
      }
    },
  });
}

/**
 * Waits (with a deadline, so a broken call fails instead of hanging) until
 * `read` shows decoded, playing video, then until more frames were decoded
 * than that: the video flows, it did not just show one frame.
 */
async function waitForFlowingVideo(
  read: () => Promise<DecodedVideo>,
  who: string,
  deadlineMs = 30_000,
): Promise<{ first: DecodedVideo; later: DecodedVideo }> {
  const deadline = Date.now() + deadlineMs;
  let first: DecodedVideo | undefined;
  let last: DecodedVideo | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (!first && last.frames > 0 && last.width > 0 && last.playing) {
      first = last;
    } else if (first && last.frames > first.frames) {
      return { first, later: last };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${who}: no flowing video; last read ${JSON.stringify(last)}`,
  );
}

/** Signs the visit's doctor in on a Chromium page and opens the call page. */
async function doctorInChromium(
  chromium: Chromium,
  server: TestServer,
  visit: Visit,
): Promise<ChromiumPage> {
  const context = await chromium.newContext({
    viewport: { width: 1100, height: 800 },
  });
  const [name, value] = visit.doctor.cookie.split("=");
  await context.addCookies([{ name, value, url: server.url }]);
  const page = await context.newPage();
  await page.goto(`${server.url}/appointments/${visit.id}/call`);
  await page.waitForSelector("html[data-islands-ready]");
  return page;
}

/** Opens the visit link's call page in Firefox. */
async function patientInFirefox(
  firefox: Firefox,
  visit: Visit,
): Promise<FirefoxPage> {
  const page = await firefox.newPage();
  await page.setViewport({ width: 390, height: 844 });
  await checkIn(visit.visitUrl);
  await page.goto(visit.visitUrl + "/call");
  await page.waitForSelector("html[data-islands-ready]");
  return page;
}

/** Checks video both ways and reports what each side decoded. */
async function assertVideoBothWays(
  chromiumPage: ChromiumPage,
  firefoxPage: FirefoxPage,
) {
  const [inFirefox, inChromium] = await Promise.all([
    waitForFlowingVideo(() => decodedVideoInFirefox(firefoxPage), "Firefox"),
    waitForFlowingVideo(() => decodedVideo(chromiumPage), "Chromium"),
  ]);
  for (
    const [who, seen] of [["Firefox", inFirefox], [
      "Chromium",
      inChromium,
    ]] as const
  ) {
    console.log(
      `${who} decoded ${seen.first.frames} then ${seen.later.frames} frames, ` +
        `${seen.later.width} px wide, ${seen.later.codec}, playing: ${seen.later.playing}`,
    );
    assert.ok(seen.later.frames > seen.first.frames, `${who}: frames grow`);
    assert.ok(seen.later.width > 0, `${who}: the remote video has a width`);
    assert.ok(seen.later.playing, `${who}: the remote video plays`);
    // VP8: what both browsers have. Never H.264, which Debian's Firefox lacks.
    assert.equal(seen.later.codec?.toLowerCase(), "video/vp8", who);
  }
}

/** The text of the Firefox page's element matching `selector`. */
function firefoxText(page: FirefoxPage, selector: string) {
  return page.$eval(selector, (element) => element.textContent ?? "");
}

crossBrowserTest(
  "the patient in Firefox waits; the doctor joins from Chromium",
  async (chromium, firefox) => {
    const server = await startServer({ CALL_TEST_HOOKS: "1" });
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    try {
      const visit = await openVisitNow(server);
      const patient = await patientInFirefox(firefox, visit);
      await enterCallInFirefox(patient);
      await patient.waitForSelector(".call[data-status=waiting]");
      assert.match(
        await firefoxText(patient, ".call-status"),
        /doctor will join you shortly/,
      );

      const doctor = await doctorInChromium(chromium, server, visit);
      await enterCall(doctor);
      await Promise.all([
        patient.waitForSelector(".call[data-status=connected]"),
        doctor.waitForSelector(".call[data-status=connected]"),
      ]);
      await assertVideoBothWays(doctor, patient);
      await patient.screenshot({
        path: new URL("call-firefox-patient.png", ARTIFACTS).pathname,
      });

      // Chat both ways.
      await chatFromFirefox(patient, "admin", "Hello from Firefox");
      await doctor.waitForSelector(
        ".chat-log li.theirs:has-text('Hello from Firefox')",
      );
      await doctor.getByRole("textbox", { name: "Message" }).fill(
        "Hello from Chromium",
      );
      await doctor.getByRole("button", { name: "Send" }).click();
      await patient.waitForSelector(
        "::-p-text(Hello from Chromium)",
      );
      assert.match(
        await firefoxText(patient, ".chat-log li.theirs"),
        /Hello from Chromium/,
      );

      // The patient reloads Firefox mid-call, warned first: back in the
      // call with nobody clicking, the doctor's video playing with its sound.
      assert.equal(await reloadFirefoxInCall(patient), "beforeunload");
      await patient.waitForSelector(".call[data-status=connected]");
      await assertVideoBothWays(doctor, patient);

      // The doctor ends the visit: the patient in Firefox sees it ended.
      await endVisit(doctor);
      await patient.waitForSelector(".call[data-status=ended]");
      assert.match(
        await firefoxText(patient, "h1"),
        /doctor ended the visit/,
      );
      await doctor.context().close();
    } finally {
      await server.close();
    }
  },
);

crossBrowserTest(
  "the doctor in Firefox waits; the patient joins from Chromium",
  async (chromium, firefox) => {
    const server = await startServer({ CALL_TEST_HOOKS: "1" });
    try {
      const visit = await openVisitNow(server);
      const doctor = await firefox.newPage();
      const [name, value] = visit.doctor.cookie.split("=");
      await firefox.setCookie({ name, value, domain: "127.0.0.1", path: "/" });
      await doctor.goto(`${server.url}/appointments/${visit.id}/call`);
      await doctor.waitForSelector("html[data-islands-ready]");
      await enterCallInFirefox(doctor);
      await doctor.waitForSelector(".call[data-status=waiting]");

      const context = await chromium.newContext({
        viewport: { width: 390, height: 844 },
      });
      const patient = await context.newPage();
      await checkIn(visit.visitUrl);
      await patient.goto(visit.visitUrl + "/call");
      await patient.waitForSelector("html[data-islands-ready]");
      await enterCall(patient);
      await Promise.all([
        patient.waitForSelector(".call[data-status=connected]"),
        doctor.waitForSelector(".call[data-status=connected]"),
      ]);
      await assertVideoBothWays(patient, doctor);
      await doctor.screenshot({
        path: new URL("call-firefox-doctor.png", ARTIFACTS).pathname,
      });

      // Chat both ways.
      await patient.getByRole("textbox", { name: "Message" }).fill(
        "Hello from Chromium",
      );
      await patient.getByRole("button", { name: "Send" }).click();
      await doctor.waitForSelector("::-p-text(Hello from Chromium)");
      await chatFromFirefox(doctor, "Test Patient", "Hello from Firefox");
      await patient.waitForSelector(
        ".chat-log li.theirs:has-text('Hello from Firefox')",
      );

      // The doctor reloads Firefox mid-call: back in, video both ways.
      assert.equal(await reloadFirefoxInCall(doctor), "beforeunload");
      await doctor.waitForSelector(".call[data-status=connected]");
      await assertVideoBothWays(patient, doctor);

      // The doctor in Firefox ends the visit; it ends for the patient too.
      await button(doctor, "End visit").click();
      await button(doctor, "Yes, end the visit").click();
      await patient.waitForSelector(".call[data-status=ended]");
      await doctor.waitForSelector(".call[data-status=ended]");
      assert.equal(await firefoxText(doctor, "h1"), "You ended the visit.");
      await context.close();
    } finally {
      await server.close();
    }
  },
);
