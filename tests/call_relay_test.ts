/**
 * A relay-only call (`iceTransportPolicy: "relay"`) through a real coturn on
 * 127.0.0.1 with the TURN REST API shared secret: with the right secret the
 * call connects through the relay and decodes video; with a wrong one no
 * relay candidate is ever gathered and the call does not connect.
 */
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { startServer, type TestServer } from "./helpers/server.ts";
import { browserTest } from "./helpers/browser.ts";
import { openVisitNow } from "./helpers/signal_client.ts";
import {
  enterCall,
  iceSummary,
  waitAsPatient,
  waitForVideo,
} from "./helpers/call_pages.ts";
import { hasTurnServer, startTurn } from "./helpers/turn.ts";

const SECRET = "coturn-shared-secret-for-tests";
const inCI = Deno.env.get("CI") === "true";

if (!hasTurnServer() && !inCI) {
  console.warn(
    "\n!!! TURN relay tests SKIPPED: no coturn (apt-get install coturn).\n",
  );
}

function relayTest(name: string, fn: (browser: Browser) => Promise<void>) {
  if (!hasTurnServer() && !inCI) {
    Deno.test({ name, ignore: true, fn() {} });
    return;
  }
  browserTest(name, fn);
}

async function openRelayCall(browser: Browser, server: TestServer) {
  const visit = await openVisitNow(server);
  const patient = await (await browser.newContext()).newPage();
  await waitAsPatient(patient, `${visit.visitUrl}/call?relay=only`);
  const doctorContext = await browser.newContext();
  const [name, value] = visit.doctor.cookie.split("=");
  await doctorContext.addCookies([{ name, value, url: server.url }]);
  const doctor = await doctorContext.newPage();
  await doctor.goto(`${server.url}/appointments/${visit.id}/call?relay=only`);
  await doctor.waitForSelector("html[data-islands-ready]");
  await enterCall(doctor);
  return { patient, doctor };
}

relayTest(
  "relay-only: a call through coturn connects and decodes video",
  async (browser) => {
    const turn = await startTurn(SECRET);
    const server = await startServer({
      TURN_SECRET: SECRET,
      TURN_URLS: turn.url,
      CALL_TEST_HOOKS: "1",
    });
    try {
      const { patient, doctor } = await openRelayCall(browser, server);
      await Promise.all([waitForVideo(patient), waitForVideo(doctor)]);
      for (const page of [patient, doctor]) {
        const ice = await iceSummary(page);
        assert.equal(ice.selectedLocal, "relay", JSON.stringify(ice));
        assert.ok(
          ice.localTypes.every((t) => t === "relay"),
          JSON.stringify(ice),
        );
      }
    } finally {
      await server.close();
      await turn.close();
    }
  },
);

relayTest(
  "relay-only: with a wrong shared secret the call does not connect",
  async (browser) => {
    const turn = await startTurn(SECRET);
    const server = await startServer({
      TURN_SECRET: "not-the-coturn-secret-at-all",
      TURN_URLS: turn.url,
      CALL_TEST_HOOKS: "1",
    });
    try {
      const { patient, doctor } = await openRelayCall(browser, server);
      // Gathering ends once coturn has refused the credentials.
      for (const page of [patient, doctor]) {
        await page.waitForFunction(
          () => {
            const call = (globalThis as unknown as {
              clinicCall?: { peerConnection: RTCPeerConnection | null };
            }).clinicCall;
            return call?.peerConnection?.iceGatheringState === "complete";
          },
          undefined,
          { timeout: 20_000 },
        );
      }
      for (const page of [patient, doctor]) {
        const ice = await iceSummary(page);
        assert.deepEqual(ice.localTypes, [], JSON.stringify(ice));
        assert.notEqual(ice.connection, "connected");
        assert.doesNotMatch(
          await page.textContent(".call-status") ?? "",
          /Connected/,
        );
      }
    } finally {
      await server.close();
      await turn.close();
    }
  },
);
