/**
 * A real visit in headless Chromium with fake camera and microphone: the
 * patient waits, the doctor joins, both decode the other's video, chat
 * both ways, mute shows on the other side, a reload recovers by itself, and
 * the doctor's "End visit" ends it for both.
 */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";
import { ARTIFACTS, browserTest } from "./helpers/browser.ts";
import { assertAccessible } from "./helpers/axe.ts";
import { assertVideosPlayInline } from "./helpers/video_markup.ts";
import { openVisitNow } from "./helpers/signal_client.ts";
import {
  decodedVideo,
  endVisit,
  enterCall,
  reloadInCall,
  waitAsPatient,
  waitForVideo,
} from "./helpers/call_pages.ts";

browserTest(
  "a full visit: waiting room, video both ways, chat, mute, reload, end",
  async (browser) => {
    const server = await startServer({ CALL_TEST_HOOKS: "1" });
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    try {
      const visit = await openVisitNow(server);
      const doctorContext = await browser.newContext({
        viewport: { width: 1100, height: 800 },
      });
      await doctorContext.addCookies([{
        name: visit.doctor.cookie.split("=")[0],
        value: visit.doctor.cookie.split("=")[1],
        url: server.url,
      }]);
      const doctor = await doctorContext.newPage();
      await doctor.goto(`${server.url}/dashboard`);
      await doctor.waitForSelector("html[data-islands-ready]");
      assert.match(
        await doctor.textContent(".waiting-room") ?? "",
        /Nobody is waiting/,
      );
      await assertAccessible(doctor, "dashboard, nobody waiting");

      const patientContext = await browser.newContext({
        viewport: { width: 390, height: 844 },
      });
      const patient = await patientContext.newPage();
      await waitAsPatient(patient, visit.visitUrl + "/call");
      assert.match(
        await patient.textContent(".call-status") ?? "",
        /doctor will join you shortly/,
      );
      await assertAccessible(patient, "call, waiting");
      await patient.screenshot({
        path: new URL("call-waiting-room.png", ARTIFACTS).pathname,
      });

      // The doctor's dashboard shows the patient waiting, live, and joins from there.
      await doctor.waitForSelector(".waiting-list li:has-text('Test Patient')");
      assert.match(await doctor.title(), /^\(1\) waiting/);
      await assertAccessible(doctor, "dashboard, a patient waiting");
      await doctor.screenshot({
        path: new URL("dashboard-waiting.png", ARTIFACTS).pathname,
      });
      await doctor.getByRole("link", { name: "Join" }).click();
      await doctor.waitForURL(/\/appointments\/[0-9a-f]{32}\/call$/);
      await doctor.waitForSelector("html[data-islands-ready]");
      await enterCall(doctor);

      await Promise.all([waitForVideo(patient), waitForVideo(doctor)]);
      for (const page of [patient, doctor]) {
        const { frames, width } = await decodedVideo(page);
        assert.ok(
          frames > 0 && width > 0,
          `decoded ${frames} frames, width ${width}`,
        );
        await page.waitForSelector(".call[data-status=connected]");
      }
      await doctor.screenshot({
        path: new URL("call-doctor.png", ARTIFACTS).pathname,
      });

      // Chat both ways.
      await patient.getByRole("textbox", { name: "Message" }).fill(
        "Hello doctor",
      );
      await patient.getByRole("button", { name: "Send" }).click();
      await doctor.waitForSelector(
        ".chat-log li.theirs:has-text('Hello doctor')",
      );
      await doctor.getByRole("textbox", { name: "Message" }).fill(
        "Hello, how are you?",
      );
      await doctor.getByRole("button", { name: "Send" }).click();
      await patient.waitForSelector(
        ".chat-log li.theirs:has-text('Hello, how are you?')",
      );
      await assertAccessible(patient, "call, in call, patient");
      await assertAccessible(doctor, "call, in call, doctor");
      // Inline, autoplaying videos, the own one muted (what iOS needs).
      assert.equal(await assertVideosPlayInline(patient), 2);
      assert.equal(await assertVideosPlayInline(doctor), 2);

      // Mute shows on the other side.
      await patient.getByRole("button", { name: "Mute" }).click();
      await doctor.waitForSelector(".peer-media:has-text('is muted')");
      await patient.getByRole("button", { name: "Unmute" }).click();
      await doctor.waitForFunction(() =>
        !document.querySelector(".peer-media")?.textContent?.includes(
          "is muted",
        )
      );

      // The patient reloads mid-call: video decodes again on both sides with
      // nobody clicking anything.
      await reloadInCall(patient);
      await patient.waitForSelector(".call[data-status=connected]", {
        timeout: 20_000,
      });
      await Promise.all([waitForVideo(patient), waitForVideo(doctor)]);
      // Playing, sound and all, with no click after the reload: the page
      // captures the camera, which lets it.
      assert.ok((await decodedVideo(patient)).playing, "plays after a reload");
      assert.equal(
        await patient.locator(".chat-log li").count(),
        2,
        "chat so far after rejoin",
      );

      // The doctor ends the visit; the patient sees it ended.
      await endVisit(doctor);
      await patient.waitForSelector(".call[data-status=ended]");
      assert.match(
        await patient.textContent("h1") ?? "",
        /doctor ended the visit/,
      );
      await doctor.waitForSelector(".call[data-status=ended]");
      assert.equal(await doctor.textContent("h1"), "You ended the visit.");
      await patient.screenshot({
        path: new URL("call-ended.png", ARTIFACTS).pathname,
      });
      await assertAccessible(patient, "call, ended, patient");
      await assertAccessible(doctor, "call, ended, doctor");

      // The visit's report: the call's facts, and the doctor's notes saved
      // from the page and shared with the patient.
      await doctor.getByRole("link", { name: "Visit report and notes" })
        .click();
      await doctor.waitForURL(`${server.url}/sessions/${visit.id}`);
      assert.match(
        await doctor.textContent("[data-session-status]") ?? "",
        /Ended by the doctor/,
      );
      await doctor.getByLabel("Notes", { exact: true }).fill(
        "Reviewed at home; rest for two days.",
      );
      await doctor.getByLabel("Share these notes with the patient").check();
      await doctor.getByRole("button", { name: "Save notes" }).click();
      await doctor.getByText("The notes were saved.").waitFor();
      await assertAccessible(doctor, "visit report, notes saved");
      await doctor.screenshot({
        path: new URL("session-report.png", ARTIFACTS).pathname,
        fullPage: true,
      });
      await patientContext.close();
      await doctorContext.close();
    } finally {
      await server.close();
    }
  },
);
