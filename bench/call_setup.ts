/**
 * Call setup on loopback, in headless Chromium with fake devices, beside a
 * reference call in the same run: the clinic's call page and a bare page
 * (bench/reference_call/: getUserMedia, one RTCPeerConnection, the raw
 * relay) take turns, call by call. Each call times the second
 * participant's "Join the visit" to a connected peer connection and to the
 * first frame of the other side's video (bench/call_marks.ts); the table
 * gives the app's time over the reference's, round by round (a round's
 * median over its calls), and the times themselves. Also the Call island's
 * bundle size.
 *
 * @module
 */
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "@/tests/helpers/browser.ts";
import { Client } from "@/tests/helpers/server.ts";
import { checkIn, openVisitNow } from "@/tests/helpers/signal_client.ts";
import { type JoinMarks, timeJoin } from "./call_marks.ts";
import {
  type ReferenceServers,
  startReference,
} from "./reference_call/server.ts";
import {
  interleave,
  ratiosOf,
  ROUNDS,
  showSpread,
  spreadOf,
} from "./rounds.ts";
import { startClinic } from "./signaling/servers.ts";
import { median, printTable, type Row } from "./table.ts";

/**
 * Rounds, each of a few calls of the app and as many of the reference,
 * taken in turns (app, reference, app, …); a round's figure is the median
 * of its calls, since one call's time swings with whatever else the
 * machine runs.
 */
const CALL_ROUNDS = ROUNDS;
const CALLS_PER_ROUND = 3;
/** A person looks at their preview for a moment before joining. */
const PREVIEW_MS = 1000;

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

/**
 * One visit on the clinic's pages (each clicked once its island is live):
 * the patient checks in, starts the camera, joins and waits; the doctor
 * starts the camera, looks at the preview (the page fetches the ticket,
 * opens the socket and makes its offer meanwhile), and joins.
 */
async function appCall(
  browser: Browser,
  url: string,
  doctor: Client,
): Promise<JoinMarks> {
  const visit = await openVisitNow({ url }, doctor);
  await checkIn(visit.visitUrl);
  const patientContext = await browser.newContext();
  const doctorContext = await browser.newContext();
  try {
    const patient = await patientContext.newPage();
    await patient.goto(`${visit.visitUrl}/call`);
    await patient.waitForSelector("html[data-islands-ready]");
    await patient.getByRole("button", { name: "Start camera and microphone" })
      .click();
    await patient.getByRole("button", { name: "Join the visit" }).click();
    await patient.waitForSelector(".call[data-status=waiting]");
    const [name, value] = doctor.cookie.split("=");
    await doctorContext.addCookies([{ name, value, url }]);
    const page = await doctorContext.newPage();
    await page.goto(`${url}/appointments/${visit.id}/call`);
    await page.waitForSelector("html[data-islands-ready]");
    return await previewThenJoin(page);
  } finally {
    await patientContext.close();
    await doctorContext.close();
  }
}

/**
 * The joining side's steps on either page: it starts its camera, looks at
 * the preview for PREVIEW_MS once it may join, then joins, timed.
 */
async function previewThenJoin(page: Page): Promise<JoinMarks> {
  await page.getByRole("button", { name: "Start camera and microphone" })
    .click();
  await page.getByRole("button", { name: "Join the visit" }).waitFor();
  await page.waitForTimeout(PREVIEW_MS);
  return await timeJoin(page);
}

/**
 * One call on the bare page, the same steps: the first side starts its
 * camera and its relay socket and waits; the second does the same, looks
 * at the preview as long, and joins.
 */
async function referenceCall(
  browser: Browser,
  reference: ReferenceServers,
): Promise<JoinMarks> {
  const room = crypto.randomUUID();
  const firstContext = await browser.newContext();
  const secondContext = await browser.newContext();
  try {
    const first = await firstContext.newPage();
    await first.goto(reference.pageUrl(room));
    await first.getByRole("button", { name: "Start camera and microphone" })
      .click();
    await first.waitForSelector("body[data-ready]");
    const page = await secondContext.newPage();
    await page.goto(reference.pageUrl(room));
    return await previewThenJoin(page);
  } finally {
    await firstContext.close();
    await secondContext.close();
  }
}

/** Each round's median of a step, the calls taken in order. */
function roundMedians(calls: JoinMarks[], step: "connected" | "frame") {
  const rounds: number[] = [];
  for (let i = 0; i < calls.length; i += CALLS_PER_ROUND) {
    rounds.push(
      median(calls.slice(i, i + CALLS_PER_ROUND).map((c) => c[step])),
    );
  }
  return rounds;
}

/** The median of a step over the calls, with its spread, in ms. */
function stepFigures(calls: JoinMarks[]) {
  const steps = ["peerConnection", "offer", "answer", "connected", "frame"];
  return Object.fromEntries(steps.map((step) => {
    const values = calls.map((c) => c[step as keyof JoinMarks])
      .filter((v): v is number => v !== undefined);
    return [step, values.length ? spreadOf(values) : null];
  }));
}

export async function callRows(): Promise<Row[]> {
  const rows: Row[] = [await bundleRow()];
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    rows.push({
      measure: "call setup",
      size: "-",
      value: `not run: ${(error as Error).message}`,
      target: "≤ 1.2× the reference",
      ok: false,
    });
    return rows;
  }
  const clinic = await startClinic({ CALL_TEST_HOOKS: "1" });
  const reference = await startReference();
  let runs: Record<string, JoinMarks[]>;
  try {
    const doctor = await new Client(clinic.url).signIn();
    const contenders = {
      app: () => appCall(browser, clinic.url, doctor),
      reference: () => referenceCall(browser, reference),
    };
    // A call of each first, not counted: the browser's first call sets up
    // what later calls find ready.
    await interleave(1, contenders);
    runs = await interleave(CALL_ROUNDS * CALLS_PER_ROUND, contenders);
  } finally {
    await reference.close();
    await clinic.stop();
    await browser.close();
  }
  const { app, reference: bare } = runs;
  const size = `${CALL_ROUNDS} rounds × ${CALLS_PER_ROUND} calls, loopback`;
  for (
    const [step, words] of [
      ["connected", "connected"],
      ["frame", "first frame"],
    ] as const
  ) {
    const ratio = ratiosOf(
      roundMedians(app, step),
      roundMedians(bare, step),
    );
    const ours = spreadOf(app.map((c) => c[step]));
    const theirs = spreadOf(bare.map((c) => c[step]));
    rows.push({
      measure: `call setup: join → ${words}, app / reference`,
      size,
      value: showSpread(ratio, 2),
      target: "≤ 1.2×",
      ok: ratio.median <= 1.2,
      figures: { ratio, app: ours, reference: theirs },
    }, {
      measure: `call setup: join → ${words}, app ; reference`,
      size: `${app.length} calls each`,
      value: `${showSpread(ours, 0, "ms")} ; ${showSpread(theirs, 0, "ms")}`,
      target: "-",
      ok: true,
      figures: {
        app: stepFigures(app),
        reference: stepFigures(bare),
      },
    });
  }
  return rows;
}

if (import.meta.main) {
  printTable(await callRows());
}
