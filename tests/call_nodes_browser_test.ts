/**
 * Real calls in Chromium with the patient and the doctor on two server
 * processes over Redis: a visit across the two, and Redis stopped and
 * started again mid-call (both browsers start a fresh peer connection and
 * the call goes on).
 */
import assert from "node:assert/strict";
import type { BrowserContext } from "playwright-core";
import {
  closeAll,
  decodedVideo,
  recordStatuses,
  restartIce,
  statuses,
  waitForMoreFrames,
  waitForVideo,
} from "./helpers/call_pages.ts";
import {
  CALL_NODE_ENV,
  chat,
  lastJoin,
  markPeerConnection,
  nodesTest,
  openCallAcross,
  outputs,
  RECOVERY_MS,
  waitForFreshConnection,
} from "./helpers/node_calls.ts";
import { startNodesOverRedis } from "./helpers/nodes.ts";

nodesTest(
  "two nodes over Redis: the patient on one, the doctor on the other, video and chat",
  {},
  async (browser) => {
    const { nodes, close } = await startNodesOverRedis(
      2,
      CALL_NODE_ENV,
    );
    let contexts: BrowserContext[] = [];
    try {
      const call = await openCallAcross(browser, nodes);
      contexts = call.contexts;
      const { visit, patient, doctor } = call;
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
  },
);

nodesTest(
  "Redis stopped for 2 s mid-call: both browsers start afresh, renegotiate, and chat goes on",
  {},
  async (browser) => {
    const { nodes, redis, close } = await startNodesOverRedis(
      2,
      CALL_NODE_ENV,
    );
    let contexts: BrowserContext[] = [];
    try {
      const call = await openCallAcross(browser, nodes);
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
      await restartIce(doctor, RECOVERY_MS);
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
  },
);
