/**
 * The load generator, run as its own process: it opens two sockets per room
 * (ours or PeerJS's), has one peer send offer-sized messages at a steady
 * pace, and the other measure the one-hop latency. It prints one JSON line.
 *
 * Usage: deno run -A bench/signaling/load.ts <plan.json>
 *
 * @module
 */

import WebSocket from "ws";

export interface Plan {
  kind: "clinic" | "peerjs";
  /** One entry per room: how each of its two sockets connects. */
  rooms: { sender: Endpoint; receiver: Endpoint }[];
  /** Milliseconds between two messages of one room. */
  everyMs: number;
  durationMs: number;
  messageBytes: number;
}

export interface Endpoint {
  url: string;
  /** Ours: the join-room message. PeerJS: the peer id to send to. */
  join?: Record<string, unknown>;
  peerId?: string;
}

export interface LoadResult {
  sent: number;
  received: number;
  latencies: number[];
}

/**
 * Opens a socket; with `first`, waits for a message the server sends
 * unasked (PeerJS's OPEN). The listener is there before the socket opens:
 * `ws` may deliver that message in the same turn as the open.
 */
export function open(
  url: string,
  first?: (m: Record<string, unknown>) => boolean,
): Promise<WebSocket> {
  const ws = new WebSocket(url);
  const greeted = first ? waitFor(ws, first) : Promise.resolve();
  const opened = new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`cannot open ${url}`));
  });
  return Promise.all([opened, greeted]).then(() => ws);
}

/** Waits for a message that satisfies `match` on a socket; answers it. */
export function waitFor(
  ws: WebSocket,
  match: (m: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const listener = (event: { data: unknown }) => {
      const m = JSON.parse(String(event.data));
      if (match(m)) {
        ws.removeEventListener("message", listener);
        resolve(m);
      }
    };
    ws.addEventListener("message", listener);
  });
}

async function run(plan: Plan): Promise<LoadResult> {
  const latencies: number[] = [];
  let sent = 0;
  const padding = "a=x-padding:" + "x".repeat(plan.messageBytes);
  const pairs: { sender: WebSocket; receiver: WebSocket; to?: string }[] = [];
  // Connect in batches, so the server is not flooded by handshakes.
  for (let i = 0; i < plan.rooms.length; i += 50) {
    const batch = plan.rooms.slice(i, i + 50);
    pairs.push(
      ...await Promise.all(batch.map(async (room) => {
        if (plan.kind === "clinic") {
          const receiver = await open(room.receiver.url);
          const receiverReady = waitFor(
            receiver,
            (m) => m.type === "waiting-for-peer",
          );
          receiver.send(JSON.stringify(room.receiver.join));
          await receiverReady;
          const sender = await open(room.sender.url);
          const senderReady = waitFor(sender, (m) => m.type === "peer-joined");
          const receiverPeer = waitFor(
            receiver,
            (m) => m.type === "peer-joined",
          );
          sender.send(JSON.stringify(room.sender.join));
          await Promise.all([senderReady, receiverPeer]);
          return { sender, receiver };
        }
        const isOpen = (m: Record<string, unknown>) => m.type === "OPEN";
        const receiver = await open(room.receiver.url, isOpen);
        const sender = await open(room.sender.url, isOpen);
        return { sender, receiver, to: room.receiver.peerId };
      })),
    );
  }
  for (const { sender, receiver } of pairs) {
    for (const ws of [sender, receiver]) {
      ws.addEventListener("message", (event: { data: unknown }) => {
        const text = String(event.data);
        const m = JSON.parse(text);
        if (m.type === "ping") ws.send('{"type":"pong"}');
        const sdp = plan.kind === "clinic" ? m.sdp : m.payload?.sdp;
        if (
          (m.type === "offer" || m.type === "OFFER") && typeof sdp === "string"
        ) {
          const at = Number(/^v=0 t=([0-9.]+) /.exec(sdp)?.[1]);
          latencies.push(performance.now() - at);
        }
      });
    }
  }
  // The orchestrator reads the server's CPU time between these two lines.
  console.log("connected");
  await new Promise((r) => setTimeout(r, 300));
  const end = performance.now() + plan.durationMs;
  await Promise.all(pairs.map(async ({ sender, to }, index) => {
    // Spread the rooms' sends evenly over the interval.
    await new Promise((r) =>
      setTimeout(r, (index / pairs.length) * plan.everyMs)
    );
    while (performance.now() < end) {
      const sdp = `v=0 t=${performance.now().toFixed(3)} ${padding}`;
      sender.send(
        plan.kind === "clinic"
          ? JSON.stringify({ type: "offer", sdp })
          : JSON.stringify({
            type: "OFFER",
            dst: to,
            payload: { type: "offer", sdp },
          }),
      );
      sent++;
      await new Promise((r) => setTimeout(r, plan.everyMs));
    }
  }));
  await new Promise((r) => setTimeout(r, 500)); // the last messages land
  console.log("sent");
  for (const { sender, receiver } of pairs) {
    sender.close();
    receiver.close();
  }
  return { sent, received: latencies.length, latencies };
}

if (import.meta.main) {
  const plan = JSON.parse(await Deno.readTextFile(Deno.args[0])) as Plan;
  const result = await run(plan);
  console.log(JSON.stringify(result));
  Deno.exit(0);
}
