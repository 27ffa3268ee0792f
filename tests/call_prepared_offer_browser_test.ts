/**
 * The doctor's offer made during the device check, in headless Chromium:
 * once the early ticket is in, the page makes its peer connection and offer
 * with the camera and microphone as they are, again when another
 * microphone is picked, and "Join the visit" takes that very connection
 * over: it carries the picked microphone, and video flows both ways. A
 * patient's page (the side that answers) makes no offer ahead.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { browserTest } from "./helpers/browser.ts";
import { closeAll, waitAsPatient, waitForVideo } from "./helpers/call_pages.ts";
import { startServer } from "./helpers/server.ts";
import { openVisitNow } from "./helpers/signal_client.ts";

type Watched = typeof globalThis & {
  peerConnections: RTCPeerConnection[];
  clinicCall?: { peerConnection: RTCPeerConnection | null };
};

/** Keeps every peer connection the context's pages make, in order. */
async function watchPeerConnections(context: BrowserContext) {
  await context.addInitScript(() => {
    const made: RTCPeerConnection[] = [];
    (globalThis as Watched).peerConnections = made;
    const Original = RTCPeerConnection;
    globalThis.RTCPeerConnection = class extends Original {
      constructor(config?: RTCConfiguration) {
        super(config);
        made.push(this);
      }
    };
  });
}

/** Waits until the page's newest open peer connection holds an offer of its own. */
async function offerMadeAhead(page: Page, after: number) {
  await page.waitForFunction((after) => {
    const made = (globalThis as Watched).peerConnections.slice(after);
    return made.some((pc) =>
      pc.signalingState === "have-local-offer" &&
      pc.getSenders().some((s) => s.track?.kind === "audio")
    );
  }, after);
  return await page.evaluate(() =>
    (globalThis as Watched).peerConnections.length
  );
}

browserTest(
  "the doctor's offer is made during the device check, again for a picked microphone, and the call takes it over",
  async (browser) => {
    const server = await startServer({ CALL_TEST_HOOKS: "1" });
    const patientContext = await browser.newContext();
    const doctorContext = await browser.newContext();
    try {
      const visit = await openVisitNow(server);
      await watchPeerConnections(patientContext);
      await watchPeerConnections(doctorContext);

      const patient = await patientContext.newPage();
      await waitAsPatient(patient, visit.visitUrl + "/call");
      assert.equal(
        await patient.evaluate(() =>
          (globalThis as Watched).peerConnections.filter((pc) =>
            pc.signalingState !== "closed"
          ).length
        ),
        0,
        "the answering side holds no connection while it waits",
      );

      const [name, value] = visit.doctor.cookie.split("=");
      await doctorContext.addCookies([{ name, value, url: server.url }]);
      const doctor = await doctorContext.newPage();
      await doctor.goto(`${server.url}/appointments/${visit.id}/call`);
      await doctor.waitForSelector("html[data-islands-ready]");
      await doctor.getByRole("button", { name: "Start camera and microphone" })
        .click();
      const firstOffer = await offerMadeAhead(doctor, 0);

      // Another microphone: the offer is made again, with it.
      const microphone = doctor.locator("label", { hasText: "Microphone" })
        .locator("select");
      const picked = await microphone.locator("option").nth(1).textContent();
      await microphone.selectOption({ index: 1 });
      const made = await offerMadeAhead(doctor, firstOffer);
      const prepared = made - 1;
      assert.equal(
        await doctor.evaluate(
          (i) => (globalThis as Watched).peerConnections[i].signalingState,
          prepared,
        ),
        "have-local-offer",
      );

      await doctor.getByRole("button", { name: "Join the visit" }).click();
      await Promise.all([waitForVideo(patient), waitForVideo(doctor)]);
      const call = await doctor.evaluate((i) => {
        const g = globalThis as Watched;
        const pc = g.clinicCall!.peerConnection!;
        return {
          taken: pc === g.peerConnections[i],
          earlier: g.peerConnections.slice(0, i).map((p) => p.signalingState),
          microphone: pc.getSenders().find((s) => s.track?.kind === "audio")
            ?.track?.label,
        };
      }, prepared);
      assert.ok(call.taken, "the call goes on the connection made ahead");
      assert.equal(call.microphone, picked, "with the microphone picked");
      assert.ok(
        call.earlier.every((state) => state === "closed"),
        `the connections made before are closed: ${call.earlier}`,
      );
    } finally {
      await closeAll([patientContext, doctorContext]);
      await server.close();
    }
  },
);
