/**
 * The call page's states around the visit, in headless Chromium: a patient
 * whose camera is refused joins by voice and the doctor sees their name, a
 * camera turned off shows a name too, plain quality hints that go when the
 * peer leaves, the call timer, chat times and the chat's labels, focus after
 * Start camera, Join and Leave, an `h1` in every state, no site menu, the
 * warning before leaving the page, "Join again" after Leave, and "End
 * visit" only after its confirmation, with "You ended the visit".
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { ARTIFACTS, browserTest } from "./helpers/browser.ts";
import { assertAccessible } from "./helpers/axe.ts";
import {
  closeAll,
  focused,
  onlyHeading,
  passCheckIn,
  waitForVideo,
  warnsBeforeLeaving,
  withoutCamera,
} from "./helpers/call_pages.ts";
import { Client, startServer } from "./helpers/server.ts";
import { openVisitNow } from "./helpers/signal_client.ts";

const shot = (name: string) => new URL(name, ARTIFACTS).pathname;

/** The `[data-placeholder]` standing in for a video, and its text. */
async function placeholder(page: Page, which: "peer" | "self") {
  const box = page.locator(`[data-placeholder=${which}]`);
  await box.waitFor();
  return (await box.innerText()).replace(/\s+/g, " ").trim();
}

browserTest(
  "a patient without a camera joins by voice; the call's states, focus, end and leave",
  async (browser) => {
    const server = await startServer({ CALL_TEST_HOOKS: "1" });
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const patientContext = await browser.newContext({
      viewport: { width: 390, height: 844 },
    });
    const doctorContext = await browser.newContext({
      viewport: { width: 1100, height: 800 },
    });
    try {
      const visit = await openVisitNow(server);
      await withoutCamera(patientContext, "NotAllowedError");
      const patient = await patientContext.newPage();
      await patient.goto(visit.visitUrl + "/call");
      await passCheckIn(patient);
      await patient.waitForSelector("html[data-islands-ready]");
      assert.equal(
        await onlyHeading(patient),
        "Check your camera and microphone",
      );

      // The camera is refused: said plainly, and joining by voice offered
      // (and focused: it is the next thing to do).
      await patient.getByRole("button", { name: "Start camera and microphone" })
        .click();
      const join = patient.getByRole("button", {
        name: "Join with audio only",
      });
      await join.waitFor();
      assert.match(
        await patient.textContent(".audio-only") ?? "",
        /Camera blocked\. You can still join with your microphone only/,
      );
      await patient.waitForFunction(() =>
        document.activeElement?.textContent === "Join with audio only"
      );
      assert.equal(await placeholder(patient, "self"), "You Audio only");
      await patient.screenshot({ path: shot("call-audio-only-check.png") });
      await assertAccessible(patient, "device check, camera blocked");
      await join.click();
      await patient.waitForSelector(".call[data-status=waiting]");
      // Joined: the call's heading has the focus, the page warns before
      // leaving, and the site's menu is not there to leave by.
      assert.equal(await onlyHeading(patient), "Video visit with admin");
      assert.equal(await focused(patient), "h1: Video visit with admin");
      assert.ok(await warnsBeforeLeaving(patient));
      assert.equal(await patient.locator("header a, nav").count(), 0);
      assert.equal(
        await patient.getByRole("button", { name: "Camera off" }).count(),
        0,
        "no camera button without a camera",
      );

      // The doctor joins from the call page, with no site menu either.
      const [name, value] = visit.doctor.cookie.split("=");
      await doctorContext.addCookies([{ name, value, url: server.url }]);
      const doctor = await doctorContext.newPage();
      await doctor.goto(`${server.url}/appointments/${visit.id}/call`);
      await doctor.waitForSelector("html[data-islands-ready]");
      assert.equal(await doctor.locator("nav").count(), 0, "no site menu");
      assert.equal(await doctor.locator(".site-header a").count(), 0);
      assert.equal(
        await doctor.locator("a.skip-link").getAttribute("href"),
        "#main",
      );
      assert.ok(!await warnsBeforeLeaving(doctor), "not yet in the call");
      await doctor.getByRole("button", { name: "Start camera and microphone" })
        .click();
      await doctor.waitForFunction(() =>
        document.activeElement?.textContent === "Join the visit"
      );
      await doctor.getByRole("button", { name: "Join the visit" }).click();
      await Promise.all([
        patient.waitForSelector(".call[data-status=connected]"),
        doctor.waitForSelector(".call[data-status=connected]"),
      ]);
      // The patient hears and sees the doctor; the doctor sees the
      // patient's initials and name, and that their camera is off.
      await waitForVideo(patient);
      assert.equal(
        await placeholder(doctor, "peer"),
        "TP Test Patient Camera off",
      );
      await doctor.waitForSelector(
        '.peer-media:has-text("Test Patient\'s camera is off")',
      );
      assert.equal(
        await doctor.evaluate(() =>
          (globalThis as unknown as {
            clinicCall: { peerConnection: RTCPeerConnection };
          }).clinicCall.peerConnection.getReceivers()
            .filter((r) => r.track.kind === "audio").length
        ),
        1,
        "the patient's voice arrives",
      );

      // Plain quality hints, the timer, and the chat's labels and times.
      for (const page of [patient, doctor]) {
        const hint = page.locator(".quality");
        await hint.waitFor({ timeout: 15_000 });
        const text = await hint.textContent() ?? "";
        assert.match(text, /^(Connection good|Connection unsteady|Weak)/);
        assert.doesNotMatch(text, /ms|direct|relayed|·/);
        const timer = page.getByRole("timer");
        assert.match(await timer.textContent() ?? "", /\d\d:\d\d$/);
        assert.equal(
          await timer.evaluate((el) => el.closest("[aria-live=polite]")),
          null,
          "the timer is not announced",
        );
      }
      await patient.getByRole("textbox", { name: "Message to admin" }).fill(
        "Can you hear me?",
      );
      await patient.getByRole("button", { name: "Send" }).click();
      const log = doctor.getByRole("log", { name: "Messages" });
      await log.locator("li.theirs:has-text('Can you hear me?')").waitFor();
      assert.match(
        (await log.locator("li").first().textContent() ?? "").trim(),
        /^\d\d:\d\d\s?(AM|PM)? Test Patient: Can you hear me\?$/,
      );
      assert.ok(
        await doctor.getByRole("textbox", { name: "Message to Test Patient" })
          .isVisible(),
        "the chat box has a visible label",
      );
      await patient.screenshot({ path: shot("call-audio-only.png") });
      await doctor.screenshot({ path: shot("call-peer-placeholder.png") });
      await assertAccessible(patient, "call, audio only");
      await assertAccessible(doctor, "call, the other side's camera off");

      // The doctor turns the camera off: the patient sees the doctor's name.
      await doctor.getByRole("button", { name: "Camera off" }).click();
      assert.equal(await placeholder(patient, "peer"), "A admin Camera off");
      assert.equal(await placeholder(doctor, "self"), "You Your camera is off");
      await assertAccessible(doctor, "call, one's own camera off");
      await doctor.getByRole("button", { name: "Camera on" }).click();
      await patient.locator("[data-placeholder=peer]").waitFor({
        state: "detached",
      });

      // The patient leaves: said so, with a way back in; the doctor's hint
      // goes with the patient.
      await patient.getByRole("button", { name: "Leave" }).click();
      await patient.waitForSelector(".call[data-phase=done]");
      assert.equal(await onlyHeading(patient), "You left the visit.");
      assert.equal(await focused(patient), "h1: You left the visit.");
      assert.ok(!await warnsBeforeLeaving(patient), "no warning once out");
      await doctor.waitForSelector(".call[data-status=peer-left]");
      await doctor.locator(".quality").waitFor({ state: "detached" });
      await doctor.waitForTimeout(2500); // a quality sample's interval
      assert.equal(await doctor.locator(".quality").count(), 0);
      assert.equal(
        await doctor.textContent(".call-status"),
        "Test Patient left the call.",
      );
      await patient.screenshot({ path: shot("call-left.png") });
      await assertAccessible(patient, "call, left");
      await assertAccessible(doctor, "call, the other side left");
      await patient.getByRole("button", { name: "Join again" }).click();
      await Promise.all([
        patient.waitForSelector(".call[data-status=connected]"),
        doctor.waitForSelector(".call[data-status=connected]"),
      ]);
      assert.equal(await focused(patient), "h1: Video visit with admin");

      // "End visit" asks first: Escape and "No" keep the visit going, with
      // the focus back on the button.
      const endButton = doctor.getByRole("button", { name: "End visit" });
      const dialog = doctor.getByRole("dialog", {
        name: "End the visit for both of you?",
      });
      await endButton.click();
      await dialog.waitFor();
      assert.equal(
        await focused(doctor),
        "button: No, keep the visit going",
      );
      assert.match(
        await dialog.textContent() ?? "",
        /Test Patient will be disconnected/,
      );
      await doctor.screenshot({ path: shot("call-end-confirm.png") });
      await assertAccessible(doctor, "call, End visit's confirmation");
      await doctor.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      assert.equal(await focused(doctor), "button: End visit");
      await endButton.click();
      await dialog.getByRole("button", { name: "No, keep the visit going" })
        .click();
      await dialog.waitFor({ state: "hidden" });
      await doctor.waitForTimeout(500);
      assert.equal(
        await doctor.getAttribute(".call", "data-status"),
        "connected",
      );
      assert.equal(
        await patient.getAttribute(".call", "data-status"),
        "connected",
      );

      // Confirmed: ended for both, in words that say who ended it.
      await endButton.click();
      await dialog.getByRole("button", { name: "Yes, end the visit" }).click();
      await Promise.all([
        doctor.waitForSelector(".call[data-phase=done]"),
        patient.waitForSelector(".call[data-phase=done]"),
      ]);
      assert.equal(await onlyHeading(doctor), "You ended the visit.");
      assert.equal(await focused(doctor), "h1: You ended the visit.");
      assert.equal(
        await onlyHeading(patient),
        "The doctor ended the visit. Thank you.",
      );
      assert.equal(
        await patient.getByRole("button", { name: "Join again" }).count(),
        0,
        "an ended visit cannot be joined again",
      );
      for (const page of [patient, doctor]) {
        assert.ok(!await warnsBeforeLeaving(page), "no warning after the end");
      }
      await doctor.screenshot({ path: shot("call-ended-doctor.png") });
      await patient.screenshot({ path: shot("call-ended-patient.png") });
      await assertAccessible(doctor, "call, ended by oneself");
      await assertAccessible(patient, "call, ended by the doctor");
    } finally {
      await closeAll([patientContext, doctorContext]);
      await server.close();
    }
  },
);

browserTest(
  "no camera at all: said so, and the visit is joined by voice",
  async (browser) => {
    const server = await startServer({ CALL_TEST_HOOKS: "1" });
    const context = await browser.newContext();
    try {
      const visit = await openVisitNow(server);
      await withoutCamera(context, "NotFoundError");
      const patient = await context.newPage();
      await patient.goto(visit.visitUrl + "/call");
      await passCheckIn(patient);
      await patient.waitForSelector("html[data-islands-ready]");
      await patient.getByRole("button", { name: "Start camera and microphone" })
        .click();
      await patient.getByRole("button", { name: "Join with audio only" })
        .waitFor();
      assert.match(
        await patient.textContent(".audio-only") ?? "",
        /^No camera found\./,
      );
      // Trying again without a camera changes nothing, and breaks nothing.
      await patient.getByRole("button", { name: "Try the camera again" })
        .click();
      await patient.getByRole("button", { name: "Join with audio only" })
        .click();
      await patient.waitForSelector(".call[data-status=waiting]");
      assert.equal(await onlyHeading(patient), "Video visit with admin");
      assert.equal(await placeholder(patient, "self"), "You Audio only");
    } finally {
      await closeAll([context]);
      await server.close();
    }
  },
);

browserTest(
  "the visit page's countdown speaks once a minute in the last ten, then that the call is open",
  async (browser) => {
    const server = await startServer();
    const context = await browser.newContext();
    try {
      const doctor = await new Client(server.url).signIn();
      // Opens (10 minutes before the start) in about two minutes.
      const res = await doctor.json("/api/appointments", {
        patientName: "Test Patient",
        startsAt: new Date(Date.now() + 12 * 60_000 + 5_000).toISOString(),
        durationMinutes: 20,
      });
      assert.equal(res.status, 201);
      const { visitUrl } = await res.json();
      const page = await context.newPage();
      await page.clock.install({ time: Date.now() });
      await page.goto(visitUrl);
      await page.waitForSelector("html[data-islands-ready]");
      const live = page.locator("[data-announce]");
      assert.equal(await live.getAttribute("aria-live"), "polite");
      assert.equal(await live.textContent(), "The call opens in 3 min.");
      assert.equal(
        await page.locator(".countdown").evaluate((el) =>
          el.closest("[aria-live]")
        ),
        null,
        "the per-second countdown is not a live region",
      );
      await live.evaluate((el) => {
        const said: string[] = [];
        (globalThis as unknown as { said: string[] }).said = said;
        new MutationObserver(() => said.push(el.textContent ?? "")).observe(
          el,
          { childList: true, characterData: true, subtree: true },
        );
      });
      const before = await page.textContent(".countdown");
      await page.clock.runFor(30_000);
      assert.notEqual(await page.textContent(".countdown"), before);
      await page.clock.runFor(150_000);
      await page.getByRole("link", { name: "Join call" }).waitFor();
      const said = await page.evaluate(() =>
        (globalThis as unknown as { said: string[] }).said
      );
      assert.deepEqual([...new Set(said)], [
        "The call opens in 2 min.",
        "The call opens in 1 min.",
        "The call is open: you can join now.",
      ]);
    } finally {
      await closeAll([context]);
      await server.close();
    }
  },
);
