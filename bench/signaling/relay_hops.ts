/**
 * One relayed call message, within one server and across servers: the
 * latency (p50, p99) and the servers' CPU time per message, for each way a
 * clinic can run its signaling. A call whose two participants land on
 * different servers must not feel slower: over Redis the extra hop should
 * add at most a millisecond at p50 on loopback.
 *
 * Real server processes (`start.ts`, or `deno serve --parallel`), real
 * Redis; the two participants of a room are `ws` clients in this process
 * (one clock, so each message's one-way time is exact) playing ping-pong
 * with offer-sized messages: the patient sends an offer, the doctor
 * answers as soon as it arrives, one message in flight at a time. The
 * layouts take turns, round after round, so that the noise of a shared
 * machine falls on all of them alike; each figure is the median of the
 * rounds, with their spread.
 *
 * A socket may send 200 messages at once and 50 a second after that
 * (`socket_guard.ts`), so a round's messages are spread over several rooms.
 *
 * Usage on its own: deno run -A bench/signaling/relay_hops.ts
 *
 * @module
 */
import type WebSocket from "ws";
import { percentile, type Row } from "@/bench/table.ts";
import type { JoinOffer } from "@/lib/protocol/messages.ts";
import { serveParallel } from "@/tests/helpers/launch.ts";
import { type Nodes, startNodes } from "@/tests/helpers/nodes.ts";
import { hasRedis, startRedis } from "@/tests/helpers/redis_server.ts";
import { Client } from "@/tests/helpers/server.ts";
import {
  doctorTicket,
  openVisitNow,
  patientTicket,
} from "@/tests/helpers/signal_client.ts";
import { open, waitFor } from "./load.ts";
import { cpuSeconds } from "./servers.ts";

const ROUNDS = 3;
/** About the size of a video call's SDP offer. */
const PADDING = "a=x-padding:" + "x".repeat(2950);
/** A message that has not arrived by then is lost: the benchmark stops. */
const WAIT_MS = 10_000;
const SETTINGS = {
  SIGNALING_KEEPALIVE_SECONDS: "20",
  // Every socket of the benchmark comes from 127.0.0.1.
  SIGNALING_MAX_SOCKETS_PER_ADDRESS: "200",
};

/** A room with both participants joined, possibly on two servers. */
interface Room {
  patient: WebSocket;
  doctor: WebSocket;
}

/** One way of running the signaling, as a row of the table. */
interface Layout {
  name: string;
  rooms: Room[];
  /** Messages per round, spread evenly over the rooms. */
  messages: number;
  /** The server processes whose CPU time counts. */
  pids: number[];
  /** Redis's own CPU time is read too. */
  redisPort?: number;
  /**
   * Each message waits a random time up to this before it is sent, for a
   * relay that reads on a timer: ping-pong would otherwise fall into step
   * with the servers' timers and show one phase, not the spread a call sees.
   */
  pauseMs?: number;
  note?: string;
}

interface Round {
  p50: number;
  p99: number;
  cpuUs: number;
  redisUs: number | null;
}

/** A socket of a joined participant: it answers the server's keep-alive. */
async function connect(offer: JoinOffer): Promise<WebSocket> {
  const ws = await open(offer.signalingUrl);
  ws.addEventListener("message", (event: { data: unknown }) => {
    if (String(event.data) === '{"type":"ping"}') ws.send('{"type":"pong"}');
  });
  return ws;
}

function sendJoin(ws: WebSocket, offer: JoinOffer) {
  ws.send(JSON.stringify({
    type: "join-room",
    roomId: offer.roomId,
    ticket: offer.ticket,
  }));
}

/**
 * A visit booked by the doctor signed in at `doctor`, the patient joined
 * through `patientUrl` and the doctor through the doctor's server. With
 * `apart`, doctor sockets are opened until one lands on another isolate
 * than the patient's (each needs a ticket; the later replaces the earlier).
 */
async function openRoom(
  doctor: Client,
  patientUrl: string,
  apart = false,
): Promise<Room> {
  const visit = await openVisitNow({ url: doctor.base, patientUrl }, doctor);
  const patientOffer = await patientTicket(visit);
  const patient = await connect(patientOffer);
  const patientJoined = waitFor(patient, (m) => m.type === "joined");
  const waiting = waitFor(patient, (m) => m.type === "waiting-for-peer");
  sendJoin(patient, patientOffer);
  const patientServer = (await patientJoined).server;
  await waiting;
  const giveUpAt = Date.now() + 30_000;
  while (Date.now() < giveUpAt) {
    const offer = await doctorTicket(visit);
    const ws = await connect(offer);
    const joined = waitFor(ws, (m) => m.type === "joined");
    const met = Promise.all([
      waitFor(ws, (m) => m.type === "peer-joined"),
      waitFor(patient, (m) => m.type === "peer-joined"),
    ]);
    sendJoin(ws, offer);
    const server = (await joined).server;
    await met;
    if (!apart || server !== patientServer) return { patient, doctor: ws };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no doctor socket reached another isolate than the patient");
}

async function openRooms(
  count: number,
  doctor: Client,
  patientUrl: string,
  apart = false,
): Promise<Room[]> {
  const rooms: Room[] = [];
  for (let i = 0; i < count; i++) {
    rooms.push(await openRoom(doctor, patientUrl, apart));
  }
  return rooms;
}

/**
 * Ping-pong in one room: `count` messages, each sent as soon as the one
 * before it arrived (or after a random pause up to `pauseMs`); answers
 * each one's time from send to receipt, in ms.
 */
function exchange(
  room: Room,
  count: number,
  pauseMs = 0,
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const send = (ws: WebSocket, type: "offer" | "answer") => {
      if (pauseMs > 0) {
        timer = setTimeout(() => sendNow(ws, type), Math.random() * pauseMs);
      } else sendNow(ws, type);
    };
    const sendNow = (ws: WebSocket, type: "offer" | "answer") => {
      timer = setTimeout(
        () =>
          finish(
            new Error(`message ${latencies.length + 1} of ${count} was lost`),
          ),
        WAIT_MS,
      );
      const sdp = `v=0 t=${performance.now().toFixed(3)} ${PADDING}`;
      ws.send(JSON.stringify({ type, sdp }));
    };
    const onto = (ws: WebSocket, reply: "offer" | "answer") =>
    (
      event: { data: unknown },
    ) => {
      const m = JSON.parse(String(event.data));
      if (m.type === "error") {
        return finish(new Error(`the server refused: ${m.code}`));
      }
      if (m.type !== "offer" && m.type !== "answer") return;
      clearTimeout(timer);
      const at = Number(/^v=0 t=([0-9.]+) /.exec(m.sdp)![1]);
      latencies.push(performance.now() - at);
      if (latencies.length === count) return finish();
      send(ws, reply);
    };
    const atPatient = onto(room.patient, "offer");
    const atDoctor = onto(room.doctor, "answer");
    room.patient.addEventListener("message", atPatient);
    room.doctor.addEventListener("message", atDoctor);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      room.patient.removeEventListener("message", atPatient);
      room.doctor.removeEventListener("message", atDoctor);
      if (error) reject(error);
      else resolve(latencies);
    };
    send(room.patient, "offer");
  });
}

/** Redis's CPU seconds (user + system) so far, from `INFO cpu`. */
async function redisCpuSeconds(port: number): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode("INFO cpu\r\n"));
    const decoder = new TextDecoder();
    const buffer = new Uint8Array(4096);
    let text = "";
    while (!/used_cpu_user:[0-9.]+\r\n/.test(text)) {
      const n = await conn.read(buffer);
      if (n === null) throw new Error("Redis did not answer INFO");
      text += decoder.decode(buffer.subarray(0, n), { stream: true });
    }
    const field = (name: string) =>
      Number(new RegExp(`${name}:([0-9.]+)`).exec(text)![1]);
    return field("used_cpu_sys") + field("used_cpu_user");
  } finally {
    conn.close();
  }
}

async function serversCpu(pids: number[]): Promise<number> {
  let sum = 0;
  for (const pid of pids) sum += await cpuSeconds(pid);
  return sum;
}

/** One round of a layout: its messages, room after room. */
async function runRound(layout: Layout): Promise<Round> {
  const perRoom = Math.ceil(layout.messages / layout.rooms.length);
  const redisBefore = layout.redisPort
    ? await redisCpuSeconds(layout.redisPort)
    : 0;
  const before = await serversCpu(layout.pids);
  const latencies: number[] = [];
  for (const room of layout.rooms) {
    latencies.push(...await exchange(room, perRoom, layout.pauseMs));
  }
  const cpu = await serversCpu(layout.pids) - before;
  const redis = layout.redisPort
    ? await redisCpuSeconds(layout.redisPort) - redisBefore
    : null;
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuUs: (cpu * 1e6) / latencies.length,
    redisUs: redis === null ? null : (redis * 1e6) / latencies.length,
  };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** The median of some figures, with their spread. */
function spread(values: number[], digits: number): string {
  const low = Math.min(...values).toFixed(digits);
  const high = Math.max(...values).toFixed(digits);
  return `${median(values).toFixed(digits)} (${low}–${high})`;
}

function layoutRow(layout: Layout, rounds: Round[]): Row {
  const redis = rounds.every((r) => r.redisUs !== null)
    ? ` + Redis ${spread(rounds.map((r) => r.redisUs!), 0)} µs`
    : "";
  return {
    measure: `one relayed message, ${layout.name}`,
    size: `${rounds.length} × ${layout.messages.toLocaleString("en")} msgs${
      layout.note ? `, ${layout.note}` : ""
    }`,
    value: `p50 ${spread(rounds.map((r) => r.p50), 2)} / p99 ${
      spread(rounds.map((r) => r.p99), 2)
    } ms; CPU ${spread(rounds.map((r) => r.cpuUs), 0)} µs${redis}`,
    target: "-",
    ok: true,
  };
}

/** Everything started, stopped in reverse order whatever happens. */
class Running {
  readonly #stops: (() => unknown)[] = [];
  add(stop: () => unknown) {
    this.#stops.push(stop);
  }
  async stopAll() {
    for (const stop of this.#stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error(String(error));
      }
    }
  }
}

function closeRooms(rooms: Room[]) {
  for (const { patient, doctor } of rooms) {
    patient.close();
    doctor.close();
  }
}

/** Two nodes, or one, with their doctor signed in on the last. */
async function nodes(
  running: Running,
  count: number,
  env: Record<string, string>,
): Promise<Nodes & { doctor: Client }> {
  const started = await startNodes(count, { ...SETTINGS, ...env });
  running.add(started.close);
  const doctor = await new Client(started.nodes.at(-1)!.url).signIn();
  return { ...started, doctor };
}

/**
 * The layouts, their servers started and their rooms joined; `local` and
 * `acrossRedis` are compared.
 */
async function startLayouts(running: Running) {
  const layouts: Layout[] = [];
  const keep = (layout: Layout) => {
    running.add(() => closeRooms(layout.rooms));
    layouts.push(layout);
  };

  const one = await nodes(running, 1, { SIGNAL_RELAY: "local" });
  const local: Layout = {
    name: "one node, local relay",
    rooms: await openRooms(10, one.doctor, one.nodes[0].url),
    messages: 2000,
    pids: [one.nodes[0].child.pid],
  };
  keep(local);

  let acrossRedis: Layout | null = null;
  if (hasRedis()) {
    const redis = await startRedis();
    running.add(redis.close);
    const pair = await nodes(running, 2, {
      SIGNAL_RELAY: "redis",
      REDIS_URL: redis.url,
    });
    const [a, b] = pair.nodes;
    const onA = await new Client(a.url).signIn();
    keep({
      name: "one node, Redis relay",
      rooms: await openRooms(10, onA, a.url),
      messages: 2000,
      pids: [a.child.pid],
      redisPort: redis.port,
    });
    acrossRedis = {
      name: "two nodes over Redis",
      rooms: await openRooms(10, pair.doctor, a.url),
      messages: 2000,
      pids: [a.child.pid, b.child.pid],
      redisPort: redis.port,
    };
    keep(acrossRedis);
  } else {
    console.warn(
      "\n!!! Redis relay benchmark SKIPPED: no redis-server found (apt-get install redis-server).\n",
    );
  }

  const kv = await nodes(running, 2, { SIGNAL_RELAY: "kv" });
  keep({
    name: "two nodes over Deno KV, one file",
    rooms: await openRooms(1, kv.doctor, kv.nodes[0].url),
    messages: 20,
    pids: kv.nodes.map((n) => n.child.pid),
    note: "timed read every 0.5 s",
    pauseMs: 500,
  });

  const dir = await Deno.makeTempDir();
  running.add(() => Deno.remove(dir, { recursive: true }));
  const parallel = await serveParallel(dir, {
    env: { ...SETTINGS, SIGNAL_RELAY: "kv", LOG_LEVEL: "warn" },
  });
  running.add(async () => {
    parallel.child.kill("SIGKILL");
    await parallel.child.status;
  });
  const parallelDoctor = await new Client(parallel.url).signIn();
  keep({
    name: "two isolates over Deno KV",
    rooms: await openRooms(10, parallelDoctor, parallel.url, true),
    messages: 1000,
    pids: [parallel.child.pid],
    note: "deno serve --parallel, kv.watch",
  });
  return { layouts, local, acrossRedis };
}

export async function relayHopRows(): Promise<Row[]> {
  const running = new Running();
  try {
    const { layouts, local, acrossRedis } = await startLayouts(running);
    // Each room once, so that the first round does not pay for warming up.
    for (const layout of layouts) {
      const warmUp = Math.min(20, Math.ceil(layout.messages / 10));
      for (const room of layout.rooms) {
        await exchange(room, warmUp, layout.pauseMs);
      }
    }
    const rounds = new Map<Layout, Round[]>(layouts.map((l) => [l, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const layout of layouts) {
        rounds.get(layout)!.push(await runRound(layout));
      }
    }
    const rows = layouts.map((layout) =>
      layoutRow(layout, rounds.get(layout)!)
    );
    if (acrossRedis) {
      // Round by round, as the two ran side by side.
      const added = rounds.get(acrossRedis)!.map((r, i) =>
        r.p50 - rounds.get(local)![i].p50
      );
      rows.push({
        measure: "cross-node over Redis adds, p50",
        size: "vs one node, local relay",
        value: `${spread(added, 2)} ms`,
        target: "≤ 1 ms",
        ok: median(added) <= 1,
      });
    } else {
      rows.push({
        measure: "cross-node over Redis adds, p50",
        size: "vs one node, local relay",
        value: "not measured: no redis-server",
        target: "≤ 1 ms",
        ok: false,
      });
    }
    return rows;
  } finally {
    await running.stopAll();
  }
}

if (import.meta.main) {
  const { printTable } = await import("@/bench/table.ts");
  printTable(await relayHopRows());
}
