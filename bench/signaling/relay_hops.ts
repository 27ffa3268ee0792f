/**
 * One relayed call message, within one server and across servers: the
 * latency (p50, p99) and the servers' CPU time per message, for each way a
 * clinic can run its signaling. A call whose two participants land on
 * different servers must not feel slower: over Redis the extra hop should
 * add at most a millisecond at p50 on loopback.
 *
 * Real server processes (the built server, or `deno serve --parallel`), real
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
import { median, percentile, type Row, spread } from "@/bench/table.ts";
import { serveParallel } from "@/tests/helpers/launch.ts";
import { type Nodes, startNodes } from "@/tests/helpers/nodes.ts";
import { hasRedis, startRedis } from "@/tests/helpers/redis_server.ts";
import { Client } from "@/tests/helpers/server.ts";
import { exchange, openRooms, type Room } from "./relay_rooms.ts";
import { redisCpuSeconds, serversCpu } from "./servers.ts";

const ROUNDS = 3;
const SETTINGS = {
  SIGNALING_KEEPALIVE_SECONDS: "20",
  // Every socket of the benchmark comes from 127.0.0.1.
  SIGNALING_MAX_SOCKETS_PER_ADDRESS: "200",
};

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
