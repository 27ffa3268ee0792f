/**
 * Call setup on loopback, in headless Chromium with fake devices: over 10
 * calls, the median time from the second participant's "Join the visit" to
 * a connected peer connection, and to the first decoded remote frame. Also
 * the Call island's bundle size.
 *
 * @module
 */
import { launchBrowser } from "@/tests/helpers/browser.ts";
import { startServer } from "@/tests/helpers/server.ts";
import { checkIn, openVisitNow } from "@/tests/helpers/signal_client.ts";
import { percentile, type Row } from "./table.ts";

const CALLS = 10;

async function bundleRow(): Promise<Row> {
  const assets = JSON.parse(
    await Deno.readTextFile(
      new URL("../static/_islands/assets.json", import.meta.url),
    ),
  ) as { islands: Record<string, string> };
  const dir = new URL("../static/_islands/", import.meta.url);
  const seen = new Set<string>();
  const queue = [assets.islands.Call.replace("/static/_islands/", "")];
  let gzip = 0;
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const bytes = await Deno.readFile(new URL(file, dir));
    const compressed = new Blob([bytes]).stream().pipeThrough(
      new CompressionStream("gzip"),
    );
    gzip += (await new Response(compressed).arrayBuffer()).byteLength;
    for (
      const m of new TextDecoder().decode(bytes).matchAll(
        /from\s*["']\.\/([^"']+\.js)["']/g,
      )
    ) {
      queue.push(m[1]);
    }
  }
  return {
    measure: "Call island bundle with its chunks",
    size: `${seen.size} files`,
    value: `${(gzip / 1024).toFixed(1)} KB gzipped`,
    target: "< 25 KB",
    ok: gzip < 25 * 1024,
  };
}

export async function callRows(): Promise<Row[]> {
  const rows: Row[] = [await bundleRow()];
  let browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    rows.push({
      measure: "call setup",
      size: "-",
      value: `not run: ${(error as Error).message}`,
      target: "< 500 ms / < 800 ms",
      ok: false,
    });
    return rows;
  }
  const server = await startServer({ CALL_TEST_HOOKS: "1" });
  const toConnected: number[] = [];
  const toFrame: number[] = [];
  try {
    for (let i = 0; i < CALLS; i++) {
      const visit = await openVisitNow(server);
      const patientContext = await browser.newContext();
      const patient = await patientContext.newPage();
      await checkIn(visit.visitUrl);
      await patient.goto(`${visit.visitUrl}/call`);
      await patient.getByRole("button", { name: "Start camera and microphone" })
        .click();
      await patient.getByRole("button", { name: "Join the visit" }).click();
      await patient.waitForSelector(".call[data-status=waiting]");
      const doctorContext = await browser.newContext();
      const [name, value] = visit.doctor.cookie.split("=");
      await doctorContext.addCookies([{ name, value, url: server.url }]);
      const doctor = await doctorContext.newPage();
      await doctor.goto(`${server.url}/appointments/${visit.id}/call`);
      await doctor.getByRole("button", { name: "Start camera and microphone" })
        .click();
      await doctor.getByRole("button", { name: "Join the visit" }).waitFor();
      // A person looks at their preview for a moment before joining; the
      // page uses it to fetch the ticket and open the socket.
      await doctor.waitForTimeout(1000);
      // Marks are taken in the page, every few milliseconds, from the click on.
      await doctor.evaluate(() => {
        const marks: Record<string, number> = {};
        (globalThis as unknown as { benchMarks: Record<string, number> })
          .benchMarks = marks;
        const button = [...document.querySelectorAll("button")]
          .find((b) => b.textContent === "Join the visit")!;
        button.addEventListener("click", () => {
          marks.start = performance.now();
          const timer = setInterval(() => {
            const call = (globalThis as unknown as {
              clinicCall?: { peerConnection: RTCPeerConnection | null };
            }).clinicCall;
            const video = document.querySelector("video.remote") as
              | HTMLVideoElement
              | null;
            if (
              !marks.connected &&
              call?.peerConnection?.connectionState === "connected"
            ) {
              marks.connected = performance.now();
            }
            if (!marks.frame && (video?.videoWidth ?? 0) > 0) {
              marks.frame = performance.now();
            }
            if (marks.connected && marks.frame) clearInterval(timer);
          }, 2);
        }, { capture: true });
      });
      await doctor.getByRole("button", { name: "Join the visit" }).click();
      await doctor.waitForFunction(
        () => {
          const m =
            (globalThis as unknown as { benchMarks: Record<string, number> })
              .benchMarks;
          return m.connected && m.frame;
        },
        undefined,
        { timeout: 20_000 },
      );
      const marks = await doctor.evaluate(() =>
        (globalThis as unknown as { benchMarks: Record<string, number> })
          .benchMarks
      );
      toConnected.push(marks.connected - marks.start);
      toFrame.push(marks.frame - marks.start);
      await patientContext.close();
      await doctorContext.close();
    }
  } finally {
    await server.close();
    await browser.close();
  }
  const connected = percentile(toConnected, 50);
  const frame = percentile(toFrame, 50);
  rows.push({
    measure: "call setup: second join to connected, median",
    size: `${CALLS} calls, loopback`,
    value: `${connected.toFixed(0)} ms`,
    target: "< 500 ms",
    ok: connected < 500,
  }, {
    measure: "call setup: second join to first decoded frame, median",
    size: `${CALLS} calls, loopback`,
    value: `${frame.toFixed(0)} ms`,
    target: "< 800 ms",
    ok: frame < 800,
  });
  return rows;
}
