/**
 * Real calls in Chromium with the patient and the doctor on two server
 * processes: a visit across the two over Redis; Redis stopped and started
 * again mid-call (both browsers start a fresh peer connection and the call
 * goes on); and, behind nginx, the patient's server killed or shut down
 * mid-call (the patient's page reconnects through nginx to the other server
 * by itself).
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { browserTest } from "./helpers/browser.ts";
import {
  decodedVideo,
  enterCall,
  localUfrag,
  recordStatuses,
  statuses,
  waitForMoreFrames,
  waitForVideo,
} from "./helpers/call_pages.ts";
import { NO_NGINX, startNginx } from "./helpers/nginx.ts";
import { type Node, startNodes } from "./helpers/nodes.ts";
import { freePort } from "./helpers/ports.ts";
import { NO_REDIS, startRedis } from "./helpers/redis_server.ts";
import { openVisitNow, type Visit } from "./helpers/signal_client.ts";

/** Long enough for a fresh peer connection on a busy 2-core machine. */
const RECOVERY_MS = 30_000;

/** A browser test that needs Redis (and nginx): skipped locally without them. */
function nodesTest(
  name: string,
  needs: { nginx?: boolean },
  fn: (browser: Browser) => Promise<void>,
) {
  if (NO_REDIS || (needs.nginx && NO_NGINX)) {
    Deno.test({ name, ignore: true, fn() {} });
    return;
  }
  browserTest(name, fn);
}

/** Settings of each node: Redis between them, the test hooks, join logs. */
function nodeEnv(redisUrl: string): Record<string, string> {
  return {
    SIGNAL_RELAY: "redis",
    REDIS_URL: redisUrl,
    CALL_TEST_HOOKS: "1",
    // `signaling.join` and `signaling.resync` lines, to see which node
    // holds a socket and to explain a failure.
    LOG_LEVEL: "info",
  };
}

interface OpenCall {
  patient: Page;
  doctor: Page;
  contexts: BrowserContext[];
}

/**
 * The patient enters from the visit link, then the doctor from the
 * appointment's call page at `doctorUrl` (signed in with the visit's
 * doctor's cookie); both see video from the other.
 */
async function openCall(
  browser: Browser,
  visit: Visit,
  doctorUrl: string,
): Promise<OpenCall> {
  const patientContext = await browser.newContext();
  const doctorContext = await browser.newContext();
  const contexts = [patientContext, doctorContext];
  const patient = await patientContext.newPage();
  await patient.goto(visit.visitUrl + "/call");
  await patient.waitForSelector("html[data-islands-ready]");
  await enterCall(patient);
  await patient.waitForSelector(".call[data-status=waiting]");

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

/** One chat line typed on `from`, seen arriving on `to`. */
async function chat(from: Page, to: Page, text: string) {
  await from.getByRole("textbox", { name: "Message" }).fill(text);
  await from.getByRole("button", { name: "Send" }).click();
  await to.waitForSelector(`.chat-log li.theirs:has-text('${text}')`, {
    timeout: RECOVERY_MS,
  });
}

/** Remembers the page's peer connection, to see it replaced later. */
async function markPeerConnection(page: Page) {
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      clinicCall: { peerConnection: RTCPeerConnection | null };
      markedPeerConnection: RTCPeerConnection | null;
    };
    g.markedPeerConnection = g.clinicCall.peerConnection;
  });
}

/** Waits for a peer connection other than the marked one to connect. */
async function waitForFreshConnection(page: Page) {
  await page.waitForFunction(
    () => {
      const g = globalThis as unknown as {
        clinicCall: { peerConnection: RTCPeerConnection | null };
        markedPeerConnection: RTCPeerConnection | null;
      };
      const pc = g.clinicCall.peerConnection;
      return pc !== null && pc !== g.markedPeerConnection &&
        pc.connectionState === "connected";
    },
    undefined,
    { timeout: RECOVERY_MS },
  );
}

/** What the nodes printed, for a failing assertion's message. */
function outputs(nodes: Node[]): string {
  return nodes.map((node, i) => `--- node ${i}:\n${node.output()}`).join("\n");
}

async function closeAll(contexts: BrowserContext[]) {
  for (const context of contexts) await context.close().catch(() => {});
}

nodesTest(
  "two nodes over Redis: the patient on one, the doctor on the other, video and chat",
  {},
  async (browser) => {
    const redis = await startRedis();
    let contexts: BrowserContext[] = [];
    try {
      const { nodes, close } = await startNodes(2, nodeEnv(redis.url));
      try {
        const [patientNode, doctorNode] = nodes;
        const visit = await openVisitNow({
          url: doctorNode.url,
          patientUrl: patientNode.url,
        });
        const call = await openCall(browser, visit, doctorNode.url);
        contexts = call.contexts;
        const { patient, doctor } = call;
        for (const page of [patient, doctor]) {
          const { frames, width } = await decodedVideo(page);
          assert.ok(frames > 0 && width > 0, `${frames} frames, ${width} px`);
        }
        await chat(patient, doctor, "Hello from the other server");
        assert.equal(
          lastJoin(nodes, visit.id, "patient"),
          0,
          outputs(nodes),
        );
        assert.equal(lastJoin(nodes, visit.id, "doctor"), 1, outputs(nodes));
      } finally {
        await closeAll(contexts);
        await close();
      }
    } finally {
      await redis.close();
    }
  },
);

nodesTest(
  "Redis stopped for 2 s mid-call: both browsers start afresh, renegotiate, and chat goes on",
  {},
  async (browser) => {
    const redis = await startRedis();
    let contexts: BrowserContext[] = [];
    try {
      const { nodes, close } = await startNodes(2, nodeEnv(redis.url));
      try {
        const [patientNode, doctorNode] = nodes;
        const visit = await openVisitNow({
          url: doctorNode.url,
          patientUrl: patientNode.url,
        });
        const call = await openCall(browser, visit, doctorNode.url);
        contexts = call.contexts;
        const { patient, doctor } = call;
        for (const page of [patient, doctor]) {
          await recordStatuses(page);
          await markPeerConnection(page);
        }

        await redis.stop();
        await new Promise((r) => setTimeout(r, 2000));
        await redis.start();

        // Back on Redis, each server tells its browser `resync`: a fresh
        // peer connection on both sides, connected again.
        try {
          await Promise.all([
            waitForFreshConnection(patient),
            waitForFreshConnection(doctor),
          ]);
          await Promise.all([
            patient.waitForSelector(".call[data-status=connected]"),
            doctor.waitForSelector(".call[data-status=connected]"),
          ]);
        } catch (error) {
          throw new Error(`${error}\n${outputs(nodes)}`);
        }
        nodes.forEach((node, i) =>
          assert.match(
            node.output(),
            /"event":"signaling.resync"/,
            `node ${i} sent no resync:\n${outputs(nodes)}`,
          )
        );
        for (const page of [patient, doctor]) {
          const seen = await statuses(page);
          assert.ok(seen.includes("joining-peer"), seen.join(", "));
          assert.equal(seen.at(-1), "connected", seen.join(", "));
        }
        await Promise.all([waitForVideo(patient), waitForVideo(doctor)]);

        // A renegotiation over the restarted Redis: an ICE restart from the
        // doctor's side gets new credentials and video keeps coming.
        const before = await localUfrag(doctor);
        assert.ok(before);
        await doctor.evaluate(() =>
          (globalThis as unknown as {
            clinicCall: { peerConnection: RTCPeerConnection };
          }).clinicCall.peerConnection.restartIce()
        );
        await doctor.waitForFunction(
          (old) => {
            const pc = (globalThis as unknown as {
              clinicCall: { peerConnection: RTCPeerConnection | null };
            }).clinicCall.peerConnection;
            const ufrag = /a=ice-ufrag:(\S+)/.exec(
              pc?.localDescription?.sdp ?? "",
            )?.[1];
            return pc?.signalingState === "stable" && ufrag !== old &&
              pc.connectionState === "connected";
          },
          before,
          { timeout: RECOVERY_MS },
        );
        assert.notEqual(await localUfrag(doctor), before);
        await Promise.all([
          waitForMoreFrames(patient),
          waitForMoreFrames(doctor),
        ]);

        await chat(patient, doctor, "Still there after the restart?");
        await chat(doctor, patient, "Yes, I can see you.");
      } finally {
        await closeAll(contexts);
        await close();
      }
    } finally {
      await redis.close();
    }
  },
);

/**
 * Which node (index) logged the last `signaling.join` of `role` in the
 * room: the one that holds that participant's socket now.
 */
function lastJoin(nodes: Node[], roomId: string, role: string): number {
  let latest: { at: string; node: number } | null = null;
  nodes.forEach((node, i) => {
    for (const line of node.output().split("\n")) {
      if (!line.startsWith("{")) continue;
      const entry = JSON.parse(line);
      if (
        entry.event === "signaling.join" && entry.room === roomId &&
        entry.role === role && (!latest || entry.at >= latest.at)
      ) {
        latest = { at: entry.at, node: i };
      }
    }
  });
  if (!latest) throw new Error(`no ${role} joined:\n${outputs(nodes)}`);
  return (latest as { node: number }).node;
}

/** A crash (nothing said), or a clean shutdown (1012: come back at once). */
const ENDINGS = [
  { signal: "SIGKILL", how: "killed" },
  { signal: "SIGTERM", how: "shut down" },
] as const;

for (const { signal, how } of ENDINGS) {
  nodesTest(
    `behind nginx, the patient's server ${how} mid-call: the patient reconnects to the other one and video resumes`,
    { nginx: true },
    async (browser) => {
      const redis = await startRedis();
      let contexts: BrowserContext[] = [];
      try {
        // The nodes' public URL is nginx's, so its port is chosen first.
        const nginxPort = freePort();
        const publicUrl = `http://127.0.0.1:${nginxPort}`;
        const { nodes, close } = await startNodes(2, {
          ...nodeEnv(redis.url),
          PUBLIC_URL: publicUrl,
          TRUSTED_PROXIES: "127.0.0.1",
        });
        try {
          const nginx = await startNginx(nodes.map((n) => n.url), nginxPort);
          try {
            const visit = await openVisitNow({ url: nginx.url });
            assert.ok(visit.visitUrl.startsWith(nginx.url), visit.visitUrl);
            const call = await openCall(browser, visit, nginx.url);
            contexts = call.contexts;
            const { patient, doctor } = call;

            // nginx takes the nodes in turn, request by request, so which
            // node holds which socket depends on how many requests each page
            // made; the nodes' join logs tell. The case worth testing is the
            // patient's node dying under a doctor on the other one: while
            // both sockets share a node, the doctor's page is reloaded. A
            // reload makes the same number of requests each time, so every
            // other one is preceded by one more request: of any two reloads,
            // one moves nginx's turn by an odd number and lands elsewhere.
            let patientNode = lastJoin(nodes, visit.id, "patient");
            for (
              let tries = 0;
              lastJoin(nodes, visit.id, "doctor") === patientNode;
              tries++
            ) {
              assert.ok(tries < 8, `always on one node:\n${outputs(nodes)}`);
              if (tries % 2 === 1) {
                await (await fetch(`${nginx.url}/login`)).body?.cancel();
              }
              await doctor.reload();
              await doctor.waitForSelector(".call[data-status=connected]", {
                timeout: RECOVERY_MS,
              });
              await Promise.all([waitForVideo(patient), waitForVideo(doctor)]);
              patientNode = lastJoin(nodes, visit.id, "patient");
            }
            for (const page of [patient, doctor]) {
              await recordStatuses(page);
              await markPeerConnection(page);
            }

            nodes[patientNode].kill(signal);
            const ended = await nodes[patientNode].stopped;
            if (signal === "SIGTERM") assert.equal(ended.code, 0);

            try {
              await patient.waitForFunction(
                () =>
                  (globalThis as unknown as { statuses: string[] }).statuses
                    .includes("reconnecting"),
                undefined,
                { timeout: RECOVERY_MS },
              );
              // The patient's rejoin on the doctor's node takes the dead
              // socket's place, and both sides start a fresh connection.
              await Promise.all([
                waitForFreshConnection(patient),
                waitForFreshConnection(doctor),
              ]);
              await Promise.all([
                patient.waitForSelector(".call[data-status=connected]", {
                  timeout: RECOVERY_MS,
                }),
                doctor.waitForSelector(".call[data-status=connected]", {
                  timeout: RECOVERY_MS,
                }),
              ]);
            } catch (error) {
              throw new Error(
                `${error}\n${outputs(nodes)}\n--- nginx:\n${await nginx
                  .errorLog()}`,
              );
            }
            const survivor = 1 - patientNode;
            assert.equal(lastJoin(nodes, visit.id, "patient"), survivor);
            const seen = await statuses(patient);
            assert.ok(seen.includes("reconnecting"), seen.join(", "));
            assert.equal(seen.at(-1), "connected", seen.join(", "));
            await Promise.all([waitForVideo(patient), waitForVideo(doctor)]);
            await Promise.all([
              waitForMoreFrames(patient),
              waitForMoreFrames(doctor),
            ]);

            // The session counts one reconnect of the patient's, and is open.
            const session = await (await visit.doctor.fetch(
              `/api/sessions/${visit.id}`,
            )).json();
            assert.equal(session.status, "open");
            assert.ok(
              session.participants.patient.reconnects >= 1,
              JSON.stringify(session.participants),
            );
          } finally {
            await closeAll(contexts);
            await nginx.close();
          }
        } finally {
          await close();
        }
      } finally {
        await redis.close();
      }
    },
  );
}
