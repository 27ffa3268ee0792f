/**
 * Real calls in Chromium behind nginx with two server processes: the
 * patient's server killed, or shut down cleanly, mid-call; the patient's
 * page reconnects through nginx to the other server by itself.
 */
import assert from "node:assert/strict";
import type { BrowserContext } from "playwright-core";
import {
  closeAll,
  openCall,
  recordStatuses,
  reloadInCall,
  statuses,
  waitForMoreFrames,
  waitForVideo,
} from "./helpers/call_pages.ts";
import {
  CALL_NODE_ENV,
  lastJoin,
  markPeerConnection,
  nodesTest,
  outputs,
  RECOVERY_MS,
  waitForFreshConnection,
} from "./helpers/node_calls.ts";
import { startNginx } from "./helpers/nginx.ts";
import { startNodesOverRedis } from "./helpers/nodes.ts";
import { freePort } from "./helpers/ports.ts";
import { openVisitNow } from "./helpers/signal_client.ts";

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
      // The nodes' public URL is nginx's, so its port is chosen first.
      const nginxPort = freePort();
      const { nodes, close } = await startNodesOverRedis(2, {
        ...CALL_NODE_ENV,
        PUBLIC_URL: `http://127.0.0.1:${nginxPort}`,
        TRUSTED_PROXIES: "127.0.0.1",
      });
      let contexts: BrowserContext[] = [];
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
            await reloadInCall(doctor);
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
    },
  );
}
