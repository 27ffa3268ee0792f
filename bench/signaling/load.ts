/**
 * The load generator, run as its own process: it opens two sockets per room
 * on each server of the plans (ours, PeerJS's, the bare relay's) and holds
 * them, then, each time it is told, has one socket of every room of one
 * server send offer-sized messages to the other at a steady pace for a
 * while, measuring each message's one-hop latency.
 *
 * Usage: deno run -A bench/signaling/load.ts <plans.json>
 * (a JSON object: a name for each server, and its plan). It prints
 * "connected" once every socket is in its room, then reads commands, one a
 * line, on its standard input:
 *   send <name> <milliseconds>  sends to that server; prints "sent" when
 *                               every message has landed (or 2 s after the
 *                               last was sent), then the result, one JSON
 *                               line (`LoadResult`);
 * and closes everything at the end of its input.
 *
 * @module
 */

import WebSocket from "ws";

export interface Plan {
  kind: "clinic" | "peerjs" | "raw";
  /** One entry per room: how each of its two sockets connects. */
  rooms: { sender: Endpoint; receiver: Endpoint }[];
  /** Milliseconds between two messages of one room. */
  everyMs: number;
  messageBytes: number;
  /** PeerJS: its clients' keep-alive (`HEARTBEAT`), from each socket this often. */
  heartbeatMs?: number;
  /** Connect the rooms one by one, evenly over this long (ours: a keep-alive period). */
  spreadMs?: number;
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
  /** Milliseconds from send to receipt, one per message received. */
  latencies: number[];
}

const sleep = (ms: number) =>
  new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** How long the last messages of a round may take to land. */
const DRAIN_MS = 2000;

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

/** The lines of a text stream, without their ends. */
export async function* lines(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let at;
    while ((at = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
    }
  }
}

interface Pair {
  sender: WebSocket;
  receiver: WebSocket;
  to?: string;
}

/** Two sockets in one room of ours: tickets, join-room, both told of the other. */
async function joinClinic(room: Plan["rooms"][number]): Promise<Pair> {
  const receiver = await open(room.receiver.url);
  const receiverReady = waitFor(receiver, (m) => m.type === "waiting-for-peer");
  receiver.send(JSON.stringify(room.receiver.join));
  await receiverReady;
  const sender = await open(room.sender.url);
  const senderReady = waitFor(sender, (m) => m.type === "peer-joined");
  const receiverPeer = waitFor(receiver, (m) => m.type === "peer-joined");
  sender.send(JSON.stringify(room.sender.join));
  await Promise.all([senderReady, receiverPeer]);
  return { sender, receiver };
}

async function connect(plan: Plan, room: Plan["rooms"][number]) {
  if (plan.kind === "clinic") return await joinClinic(room);
  if (plan.kind === "peerjs") {
    const isOpen = (m: Record<string, unknown>) => m.type === "OPEN";
    const receiver = await open(room.receiver.url, isOpen);
    const sender = await open(room.sender.url, isOpen);
    return { sender, receiver, to: room.receiver.peerId };
  }
  const receiver = await open(room.receiver.url);
  const sender = await open(room.sender.url);
  return { sender, receiver };
}

/** One server's rooms, held open between its rounds. */
class Contender {
  #round: { latencies: number[] } | null = null;
  readonly #padding: string;

  constructor(readonly plan: Plan, readonly pairs: Pair[]) {
    this.#padding = "a=x-padding:" + "x".repeat(plan.messageBytes);
    for (const { sender, receiver } of pairs) {
      for (const ws of [sender, receiver]) {
        ws.addEventListener(
          "message",
          (e: { data: unknown }) => this.#on(ws, e),
        );
      }
    }
    this.#keepAlive();
  }

  static async open(plan: Plan): Promise<Contender> {
    const pairs: Pair[] = [];
    const spread = (plan.spreadMs ?? 0) / plan.rooms.length;
    if (spread > 0) {
      // One room at a time, evenly: each socket's timers in the server
      // start when it connects, so they tick evenly too, as the calls of a
      // day would, and every window of a round sees its share of them.
      const start = performance.now();
      pairs.push(
        ...await Promise.all(plan.rooms.map(async (room, i) => {
          await sleep(start + i * spread - performance.now());
          return await connect(plan, room);
        })),
      );
      return new Contender(plan, pairs);
    }
    // Connect in batches, so the server is not flooded by handshakes.
    for (let i = 0; i < plan.rooms.length; i += 50) {
      const batch = plan.rooms.slice(i, i + 50);
      pairs.push(...await Promise.all(batch.map((r) => connect(plan, r))));
    }
    return new Contender(plan, pairs);
  }

  #on(ws: WebSocket, event: { data: unknown }) {
    const m = JSON.parse(String(event.data));
    if (m.type === "ping") return ws.send('{"type":"pong"}');
    const sdp = this.plan.kind === "peerjs" ? m.payload?.sdp : m.sdp;
    if (
      this.#round && (m.type === "offer" || m.type === "OFFER") &&
      typeof sdp === "string"
    ) {
      const at = Number(/^v=0 t=([0-9.]+) /.exec(sdp)?.[1]);
      this.#round.latencies.push(performance.now() - at);
    }
  }

  /** PeerJS closes a socket that has not sent its heartbeat for a minute. */
  #keepAlive() {
    const every = this.plan.heartbeatMs;
    if (!every) return;
    const sockets = this.pairs.flatMap((p) => [p.sender, p.receiver]);
    const slices = 20;
    const perSlice = Math.ceil(sockets.length / slices);
    let next = 0;
    setInterval(() => {
      for (let i = 0; i < perSlice; i++) {
        sockets[next++ % sockets.length].send('{"type":"HEARTBEAT"}');
      }
    }, every / slices);
  }

  #message(to: string | undefined): string {
    const sdp = `v=0 t=${performance.now().toFixed(3)} ${this.#padding}`;
    return this.plan.kind === "peerjs"
      ? JSON.stringify({
        type: "OFFER",
        dst: to,
        payload: { type: "offer", sdp },
      })
      : JSON.stringify({ type: "offer", sdp });
  }

  async send(durationMs: number): Promise<LoadResult> {
    const round = this.#round = { latencies: [] as number[] };
    const { everyMs } = this.plan;
    let sent = 0;
    const start = performance.now();
    const count = Math.floor(durationMs / everyMs);
    await Promise.all(this.pairs.map(async ({ sender, to }, index) => {
      // Each room on its own schedule, the rooms spread evenly over the
      // interval; a generator held up a moment catches up, so that every
      // round sends the same number of messages.
      const offset = (index / this.pairs.length) * everyMs;
      for (let k = 0; k < count; k++) {
        await sleep(start + offset + k * everyMs - performance.now());
        sender.send(this.#message(to));
        sent++;
      }
    }));
    const giveUpAt = performance.now() + DRAIN_MS;
    while (round.latencies.length < sent && performance.now() < giveUpAt) {
      await sleep(5);
    }
    this.#round = null;
    return { sent, received: round.latencies.length, ...round };
  }
}

if (import.meta.main) {
  const plans = JSON.parse(await Deno.readTextFile(Deno.args[0])) as Record<
    string,
    Plan
  >;
  // Together: ours takes a keep-alive period to connect (`spreadMs`).
  const contenders = new Map(
    await Promise.all(
      Object.entries(plans).map(async ([name, plan]) =>
        [name, await Contender.open(plan)] as const
      ),
    ),
  );
  console.log("connected");
  for await (const line of lines(Deno.stdin.readable)) {
    const [command, name, ms] = line.split(" ");
    if (command !== "send" || !contenders.has(name)) {
      throw new Error(`unknown command: ${line}`);
    }
    const result = await contenders.get(name)!.send(Number(ms));
    console.log("sent");
    console.log(JSON.stringify(result));
  }
  Deno.exit(0);
}
