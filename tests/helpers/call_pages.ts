/**
 * Browser-side helpers for call tests: entering a call through the device
 * check, opening a call with both participants' pages, an ICE restart, and
 * reading what the page's peer connection decoded.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Visit } from "./signal_client.ts";

/** What a page decoded of the other side's video. */
export interface DecodedVideo {
  /** Frames decoded so far. */
  frames: number;
  /** The remote video element's width (0 before its first frame). */
  width: number;
  /** The negotiated video codec, as "video/VP8" (null before any). */
  codec: string | null;
  /** Whether the remote video element plays (autoplay was allowed). */
  playing: boolean;
}

/**
 * Reads `DecodedVideo` inside the page, through the test hooks' peer
 * connection. Self-contained, so that both Playwright (Chromium) and
 * puppeteer (Firefox) can evaluate it.
 */
export async function readDecodedVideo(): Promise<DecodedVideo> {
  const call = (globalThis as unknown as {
    clinicCall?: { peerConnection: RTCPeerConnection | null };
  }).clinicCall;
  const video = document.querySelector("video.remote") as
    | HTMLVideoElement
    | null;
  let frames = 0;
  let codecId: string | undefined;
  const stats = await call?.peerConnection?.getStats();
  stats?.forEach((s) => {
    if (s.type === "inbound-rtp" && s.kind === "video") {
      frames += s.framesDecoded ?? 0;
      codecId ??= s.codecId;
    }
  });
  const codec = codecId ? stats?.get(codecId)?.mimeType ?? null : null;
  return {
    frames,
    width: video?.videoWidth ?? 0,
    codec,
    playing: Boolean(video && !video.paused && video.readyState >= 2),
  };
}

/** Frames of remote video decoded so far, the remote video's width, its codec. */
export async function decodedVideo(page: Page): Promise<DecodedVideo> {
  return await page.evaluate(readDecodedVideo);
}

/** Waits (with a deadline, so a broken call fails instead of hanging) for decoded video. */
export async function waitForVideo(page: Page, deadlineMs = 20_000) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const { frames, width } = await decodedVideo(page);
    if (frames > 0 && width > 0) return;
    await page.waitForTimeout(250);
  }
  throw new Error(
    `no decoded video on ${page.url()}: ${await page.textContent(
      ".call-status",
    )}`,
  );
}

/**
 * The check-in step of the patient's call page, when it is shown: the name
 * as the visit gives it, the consent ticked; then the call page proper.
 */
export async function passCheckIn(page: Page) {
  if (await page.locator("form.check-in-form").count() === 0) return;
  await page.check("input[name=consent]");
  await page.click("form.check-in-form button[type=submit]");
  await page.waitForSelector("html[data-islands-ready]");
}

/** The device check, then "Join the visit" (or its buttons in another language). */
export async function enterCall(
  page: Page,
  buttons = { start: "Start camera and microphone", join: "Join the visit" },
) {
  await page.getByRole("button", { name: buttons.start }).click();
  await page.getByRole("button", { name: buttons.join }).click();
}

/** "End visit", then "Yes, end the visit" in its confirmation (or in another language). */
export async function endVisit(
  page: Page,
  buttons = { end: "End visit", confirm: "Yes, end the visit" },
) {
  await page.getByRole("button", { name: buttons.end }).click();
  await page.getByRole("dialog").getByRole("button", { name: buttons.confirm })
    .click();
}

/**
 * Reloads a page in a call: the page asks "Leave site?" first (it warns
 * before leaving a call), and the person says yes.
 */
export async function reloadInCall(page: Page) {
  const asked = new Promise<string>((resolve) =>
    page.once("dialog", (dialog) => {
      resolve(dialog.type());
      void dialog.accept();
    })
  );
  await page.reload();
  assert.equal(await asked, "beforeunload");
}

/** Whether leaving the page now would ask first (a `beforeunload` handler cancels). */
export function warnsBeforeLeaving(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const event = new Event("beforeunload", { cancelable: true });
    dispatchEvent(event);
    return event.defaultPrevented;
  });
}

/**
 * Makes a context's pages act as if the camera were refused
 * (`NotAllowedError`) or missing (`NotFoundError`, and no camera listed),
 * while the microphone works: `getUserMedia` rejects any request for video.
 */
export async function withoutCamera(
  context: BrowserContext,
  error: "NotAllowedError" | "NotFoundError",
) {
  await context.addInitScript((name: string) => {
    const devices = navigator.mediaDevices;
    const capture = devices.getUserMedia.bind(devices);
    devices.getUserMedia = (constraints) =>
      constraints?.video
        ? Promise.reject(new DOMException(`camera: ${name}`, name))
        : capture(constraints);
    if (name === "NotFoundError") {
      const list = devices.enumerateDevices.bind(devices);
      devices.enumerateDevices = async () =>
        (await list()).filter((d) => d.kind !== "videoinput");
    }
  }, error);
}

/** The page's one `h1`, which every state of the call page has. */
export async function onlyHeading(page: Page): Promise<string> {
  const headings = await page.locator("h1").allTextContents();
  assert.equal(headings.length, 1, `one h1 on ${page.url()}: ${headings}`);
  assert.ok(headings[0].trim() !== "", "the h1 says something");
  return headings[0].trim();
}

/** What has the keyboard focus: its tag and text. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}: ${el.textContent?.trim()}` : "";
  });
}

/** Candidate types of the selected pair, and the local candidate types gathered. */
export async function iceSummary(page: Page) {
  return await page.evaluate(async () => {
    const call = (globalThis as unknown as {
      clinicCall?: { peerConnection: RTCPeerConnection | null };
    }).clinicCall;
    const pc = call?.peerConnection;
    // The selected pair shows in the stats a moment after "connected".
    for (let tries = 0;; tries++) {
      const stats = await pc?.getStats();
      const byId = new Map<string, Record<string, unknown>>();
      stats?.forEach((s) => byId.set(s.id, s));
      const localTypes: string[] = [];
      let selectedLocal: string | null = null;
      stats?.forEach((s) => {
        if (s.type === "local-candidate") localTypes.push(s.candidateType);
        const pair = s.type === "transport" && s.selectedCandidatePairId
          ? byId.get(s.selectedCandidatePairId)
          : s.type === "candidate-pair" && s.nominated &&
              s.state === "succeeded"
          ? s
          : undefined;
        const local = pair && byId.get(pair.localCandidateId as string);
        if (local) selectedLocal = local.candidateType as string;
      });
      if (selectedLocal !== null || tries >= 30) {
        return {
          gathering: pc?.iceGatheringState ?? "none",
          connection: pc?.connectionState ?? "none",
          localTypes,
          selectedLocal,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}

/** Starts keeping every status the call shows, in order (read with `statuses`). */
export async function recordStatuses(page: Page) {
  await page.evaluate(() => {
    const call = document.querySelector(".call")!;
    const seen: string[] = [];
    (globalThis as unknown as { statuses: string[] }).statuses = seen;
    new MutationObserver(() => {
      const status = call.getAttribute("data-status") ?? "";
      if (seen.at(-1) !== status) seen.push(status);
    }).observe(call, { attributes: true, attributeFilter: ["data-status"] });
  });
}

/** The statuses shown since `recordStatuses`. */
export function statuses(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (globalThis as unknown as { statuses: string[] }).statuses
  );
}

/** The ICE username fragment the page's peer connection now answers to. */
export function localUfrag(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const call = (globalThis as unknown as {
      clinicCall?: { peerConnection: RTCPeerConnection | null };
    }).clinicCall;
    const sdp = call?.peerConnection?.localDescription?.sdp ?? "";
    return /a=ice-ufrag:(\S+)/.exec(sdp)?.[1] ?? null;
  });
}

/** Waits (with a deadline) until the page has decoded more video frames than now. */
export async function waitForMoreFrames(page: Page, deadlineMs = 20_000) {
  const before = (await decodedVideo(page)).frames;
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const { frames } = await decodedVideo(page);
    if (frames > before) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`video stopped on ${page.url()} after ${before} frames`);
}

export interface OpenCall {
  patient: Page;
  doctor: Page;
  contexts: BrowserContext[];
}

/**
 * The patient's call page at `url` (the visit link's `/call`, perhaps with
 * a query): checked in, past the device check, and waiting for the doctor.
 */
export async function waitAsPatient(page: Page, url: string) {
  await page.goto(url);
  await passCheckIn(page);
  await enterCall(page);
  await page.waitForSelector(".call[data-status=waiting]");
}

/**
 * The patient enters from the visit link, then the doctor from the
 * appointment's call page at `doctorUrl` (signed in with the visit's
 * doctor's cookie); both see video from the other.
 */
export async function openCall(
  browser: Browser,
  visit: Visit,
  doctorUrl: string,
): Promise<OpenCall> {
  const patientContext = await browser.newContext();
  const doctorContext = await browser.newContext();
  const contexts = [patientContext, doctorContext];
  const patient = await patientContext.newPage();
  await waitAsPatient(patient, visit.visitUrl + "/call");

  const [name, value] = visit.doctor.cookie.split("=");
  await doctorContext.addCookies([{ name, value, url: doctorUrl }]);
  const doctor = await doctorContext.newPage();
  await doctor.goto(`${doctorUrl}/appointments/${visit.id}/call`);
  await doctor.waitForSelector("html[data-islands-ready]");
  await enterCall(doctor);
  await Promise.all([
    patient.waitForSelector(".call[data-status=connected]"),
    doctor.waitForSelector(".call[data-status=connected]"),
  ]);
  await Promise.all([waitForVideo(patient), waitForVideo(doctor)]);
  return { patient, doctor, contexts };
}

/** Closes the pages' contexts, whatever state they are in. */
export async function closeAll(contexts: BrowserContext[]) {
  for (const context of contexts) await context.close().catch(() => {});
}

/**
 * An ICE restart from `page`'s side: waits until new credentials are
 * negotiated and the connection is up again, and checks they are new.
 */
export async function restartIce(page: Page, timeoutMs: number) {
  const before = await localUfrag(page);
  assert.ok(before);
  await page.evaluate(() =>
    (globalThis as unknown as {
      clinicCall: { peerConnection: RTCPeerConnection };
    }).clinicCall.peerConnection.restartIce()
  );
  await page.waitForFunction(
    (old) => {
      const call = (globalThis as unknown as {
        clinicCall?: { peerConnection: RTCPeerConnection | null };
      }).clinicCall;
      const pc = call?.peerConnection;
      const ufrag = /a=ice-ufrag:(\S+)/.exec(
        pc?.localDescription?.sdp ?? "",
      )?.[1];
      return pc?.signalingState === "stable" && ufrag !== old &&
        pc.connectionState === "connected";
    },
    before,
    { timeout: timeoutMs },
  );
  assert.notEqual(await localUfrag(page), before);
}
