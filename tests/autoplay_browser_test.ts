/**
 * A browser that will not start the other side's video and sound by
 * itself, as an iPhone's rules may decide: the page offers a button over
 * the video, which starts it. Chromium and Firefox allow it (a page using
 * the camera may play sound), so the refusal is made in the page: `play()`
 * on a video with sound fails with `NotAllowedError` and `autoplay` does
 * nothing, until the test lets sound through as a tap would.
 */
import assert from "node:assert/strict";
import { assertAccessible } from "./helpers/axe.ts";
import { ARTIFACTS, browserTest } from "./helpers/browser.ts";
import {
  decodedVideo,
  enterCall,
  waitAsPatient,
} from "./helpers/call_pages.ts";
import { startServer } from "./helpers/server.ts";
import { openVisitNow } from "./helpers/signal_client.ts";

/** In the page, before its scripts: sound refused until `soundAllowed`. */
function refuseSound() {
  const play = HTMLMediaElement.prototype.play;
  const page = globalThis as unknown as { soundAllowed?: boolean };
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    if (!this.muted && !page.soundAllowed) {
      return Promise.reject(new DOMException("no sound", "NotAllowedError"));
    }
    return play.call(this);
  };
  Object.defineProperty(HTMLMediaElement.prototype, "autoplay", {
    configurable: true,
    get: () => false,
    set() {},
  });
}

browserTest(
  "sound refused by the browser: a button over the video starts it",
  async (browser) => {
    const server = await startServer({ CALL_TEST_HOOKS: "1" });
    try {
      const visit = await openVisitNow(server);
      const patientContext = await browser.newContext({ locale: "en-GB" });
      await patientContext.addInitScript(refuseSound);
      const patient = await patientContext.newPage();
      await waitAsPatient(patient, visit.visitUrl + "/call");

      const doctorContext = await browser.newContext();
      const [name, value] = visit.doctor.cookie.split("=");
      await doctorContext.addCookies([{ name, value, url: server.url }]);
      const doctor = await doctorContext.newPage();
      await doctor.goto(`${server.url}/appointments/${visit.id}/call`);
      await doctor.waitForSelector("html[data-islands-ready]");
      await enterCall(doctor);
      await patient.waitForSelector(".call[data-status=connected]");

      const start = patient.getByRole("button", {
        name: "Start the sound and video of admin",
      });
      await start.waitFor();
      assert.equal((await decodedVideo(patient)).playing, false, "refused");
      await assertAccessible(patient, "call, sound refused");
      await Deno.mkdir(ARTIFACTS, { recursive: true });
      await patient.screenshot({
        path: new URL("call-sound-refused.png", ARTIFACTS).pathname,
      });
      // Only the video with sound was refused: the doctor's page, and the
      // patient's own muted camera, play as before.
      assert.equal(await doctor.locator(".start-media").count(), 0);

      await patient.evaluate(() => {
        (globalThis as unknown as { soundAllowed: boolean }).soundAllowed =
          true;
      });
      await start.click();
      await start.waitFor({ state: "detached" });
      await patient.waitForFunction(() => {
        const video = document.querySelector("video.remote") as
          | HTMLVideoElement
          | null;
        return video !== null && !video.paused && !video.muted;
      });
      await patientContext.close();
      await doctorContext.close();
    } finally {
      await server.close();
    }
  },
);
