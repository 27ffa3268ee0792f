/**
 * The timing of a join, taken inside the joining page by the same code for
 * the clinic's call page and for the reference page: from the click on
 * "Join the visit" (caught before the page's own handler) to each step of
 * the joining side's peer connection (`globalThis.clinicCall.peerConnection`
 * on both pages), and to the first frame of the other side's video
 * (`video.remote` with a width), every 2 ms.
 *
 * @module
 */
import type { Page } from "playwright-core";

/** Milliseconds from the click to each step; a step not seen is missing. */
export interface JoinMarks {
  /** The peer connection exists. */
  peerConnection?: number;
  /** Its offer is set as local description. */
  offer?: number;
  /** The other side's answer is set as remote description. */
  answer?: number;
  /** `connectionState === "connected"`. */
  connected: number;
  /** The other side's video has its first frame (`videoWidth > 0`). */
  frame: number;
}

type Marks = Record<string, number>;
type Marked = typeof globalThis & {
  benchMarks: Marks;
  clinicCall?: { peerConnection: RTCPeerConnection | null };
};

/** Runs in the page: starts marking at the click on "Join the visit". */
function watchJoin() {
  const marks: Marks = {};
  const page = globalThis as Marked;
  page.benchMarks = marks;
  const button = [...document.querySelectorAll("button")]
    .find((b) => b.textContent === "Join the visit")!;
  button.addEventListener("click", () => {
    marks.start = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      const pc = page.clinicCall?.peerConnection;
      const video = document.querySelector("video.remote") as
        | HTMLVideoElement
        | null;
      const mark = (name: string, reached: unknown) => {
        if (marks[name] === undefined && reached) marks[name] = now;
      };
      mark("peerConnection", pc);
      mark("offer", pc?.localDescription?.type === "offer");
      mark("answer", pc?.remoteDescription?.type === "answer");
      mark("connected", pc?.connectionState === "connected");
      mark("frame", (video?.videoWidth ?? 0) > 0);
      if (marks.connected && marks.frame) clearInterval(timer);
    }, 2);
  }, { capture: true });
}

/** Clicks "Join the visit" on the page and answers the marks of that join. */
export async function timeJoin(page: Page): Promise<JoinMarks> {
  await page.evaluate(watchJoin);
  await page.getByRole("button", { name: "Join the visit" }).click();
  await page.waitForFunction(
    () => {
      const m = (globalThis as Marked).benchMarks;
      return m.connected !== undefined && m.frame !== undefined;
    },
    undefined,
    { timeout: 20_000 },
  );
  const marks = await page.evaluate(() => (globalThis as Marked).benchMarks);
  const since: Marks = {};
  for (const [name, at] of Object.entries(marks)) {
    if (name !== "start") since[name] = at - marks.start;
  }
  return since as unknown as JoinMarks;
}
