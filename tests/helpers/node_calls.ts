/**
 * Browser calls on several server processes, for the tests of calls across
 * servers: each node's settings, chat between the two pages, a peer
 * connection replaced by a fresh one, and which node holds a participant's
 * socket (from the nodes' join logs).
 *
 * @module
 */
import type { Browser, Page } from "playwright-core";
import { openCall } from "./call_pages.ts";
import { browserTest } from "./browser.ts";
import { NO_NGINX } from "./nginx.ts";
import type { Node } from "./nodes.ts";
import { NO_REDIS } from "./redis_server.ts";
import { openVisitNow } from "./signal_client.ts";

/** Long enough for a fresh peer connection on a busy 2-core machine. */
export const RECOVERY_MS = 30_000;

/** A browser test that needs Redis (and nginx): skipped locally without them. */
export function nodesTest(
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

/** Settings of each node besides the relay: the test hooks, join logs. */
export const CALL_NODE_ENV: Record<string, string> = {
  CALL_TEST_HOOKS: "1",
  // `signaling.join` and `signaling.resync` lines, to see which node
  // holds a socket and to explain a failure.
  LOG_LEVEL: "info",
};

/**
 * A visit held across two nodes: the patient's page on the first, the
 * doctor's (who booked it) on the second; both see video from the other.
 */
export async function openCallAcross(browser: Browser, nodes: Node[]) {
  const [patientNode, doctorNode] = nodes;
  const visit = await openVisitNow({
    url: doctorNode.url,
    patientUrl: patientNode.url,
  });
  return { visit, ...await openCall(browser, visit, doctorNode.url) };
}

/** One chat line typed on `from`, seen arriving on `to`. */
export async function chat(from: Page, to: Page, text: string) {
  await from.getByRole("textbox", { name: "Message" }).fill(text);
  await from.getByRole("button", { name: "Send" }).click();
  await to.waitForSelector(`.chat-log li.theirs:has-text('${text}')`, {
    timeout: RECOVERY_MS,
  });
}

/** Remembers the page's peer connection, to see it replaced later. */
export async function markPeerConnection(page: Page) {
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      clinicCall: { peerConnection: RTCPeerConnection | null };
      markedPeerConnection: RTCPeerConnection | null;
    };
    g.markedPeerConnection = g.clinicCall.peerConnection;
  });
}

/** Waits for a peer connection other than the marked one to connect. */
export async function waitForFreshConnection(page: Page) {
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
export function outputs(nodes: Node[]): string {
  return nodes.map((node, i) => `--- node ${i}:\n${node.output()}`).join("\n");
}

/**
 * Which node (index) logged the last `signaling.join` of `role` in the
 * room: the one that holds that participant's socket now.
 */
export function lastJoin(nodes: Node[], roomId: string, role: string): number {
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
