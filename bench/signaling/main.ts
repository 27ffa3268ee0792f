/**
 * Signaling load against its floor and against PeerJS: server CPU time per
 * relayed message and one-hop latency at 100 and 1,000 concurrent rooms,
 * for the bare Deno relay (bench/floor/raw_relay.ts), ours (`start.ts`)
 * and the PeerJS server (`peer`, the common open-source signaling server).
 *
 * Each server runs as its own process and the load comes from another
 * (bench/signaling/load.ts). At each size the three servers are started
 * once, their rooms joined once and held, each warmed up, and then they
 * take turns (A B C A B C …, `ROUNDS` rounds): a server started afresh for
 * every round would be measured compiling its code and joining its rooms,
 * not relaying, and the clinic would book 1,000 visits a round. In its
 * turn a server first rests (2 s), then relays (4 s of sending); the CPU
 * per message is the sending window's less what the server spends at rest
 * (shown apart, per held socket). Ratios are taken within each round.
 * PeerJS is installed from npm into bench/.peerjs on first use.
 *
 * @module
 */
import { percentile, type Row } from "@/bench/table.ts";
import {
  interleave,
  ratiosOf,
  ROUNDS,
  showSpread,
  type Spread,
  spreadOf,
} from "@/bench/rounds.ts";
import { lines, type LoadResult, type Plan } from "./load.ts";
import { clinicPlan, peerJsPlan, rawPlan } from "./plans.ts";
import {
  cpuWindow,
  type Server,
  startClinic,
  startPeerJs,
  startRawRelay,
} from "./servers.ts";

/** Each server's sending window in a round. */
const WINDOW_MS = 4000;
/** Once per server before the rounds: code compiled, buffers grown. */
const WARM_UP_MS = 2000;
/** Each server's window at rest in a round, before it sends. */
const REST_MS = 2000;

const NAMES = { raw: "raw Deno relay", ours: "ours", peerjs: "PeerJS" };
type Name = keyof typeof NAMES;

/** One server's turn as measured: CPU seconds over wall seconds, at rest and sending. */
interface Turn {
  restCpu: number;
  restSeconds: number;
  sendCpu: number;
  sendSeconds: number;
  p50: number;
  p99: number;
  sent: number;
  received: number;
}

/** One server's round: what it cost and how fast messages went. */
interface Round {
  /** Relaying alone: the window's CPU time less what the server spends at rest. */
  cpuUsPerMessage: number;
  /** The window's CPU time, all of it, per message. */
  allInUsPerMessage: number;
  p50: number;
  p99: number;
  sent: number;
  received: number;
}

/**
 * What the server spends at rest (its keep-alive, the rooms' heartbeats)
 * goes on whether messages flow or not. Its rate is taken over all of the
 * server's rest windows together (a keep-alive may do its work in turns a
 * few seconds apart, more than one window holds) and taken off each
 * sending window's time.
 */
function rounds(turns: Turn[]): { rounds: Round[]; restPerSecond: number } {
  const sum = (key: keyof Turn) => turns.reduce((a, t) => a + t[key], 0);
  const restPerSecond = sum("restCpu") / sum("restSeconds");
  return {
    restPerSecond,
    rounds: turns.map((t) => {
      const perMessage = (cpu: number) => (cpu * 1e6) / Math.max(1, t.received);
      return {
        cpuUsPerMessage: perMessage(t.sendCpu - restPerSecond * t.sendSeconds),
        allInUsPerMessage: perMessage(t.sendCpu),
        p50: t.p50,
        p99: t.p99,
        sent: t.sent,
        received: t.received,
      };
    }),
  };
}

/** The load generator's process, holding every server's rooms open. */
class Load {
  readonly #next: AsyncGenerator<string>;
  readonly #input: WritableStreamDefaultWriter<Uint8Array>;

  private constructor(
    readonly child: Deno.ChildProcess,
    readonly file: string,
  ) {
    this.#next = lines(child.stdout);
    this.#input = child.stdin.getWriter();
  }

  static async start(plans: Record<Name, Plan>): Promise<Load> {
    const file = await Deno.makeTempFile({ suffix: ".json" });
    await Deno.writeTextFile(file, JSON.stringify(plans));
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("load.ts", import.meta.url).pathname, file],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const load = new Load(child, file);
    await load.#expect("connected");
    return load;
  }

  async #line(): Promise<string> {
    const { value, done } = await this.#next.next();
    if (done) throw new Error("the load generator stopped early");
    return value;
  }

  async #expect(line: string) {
    const got = await this.#line();
    if (got !== line) throw new Error(`load generator: ${got}`);
  }

  /**
   * One server's turn: a window at rest, then one of sending, whose CPU
   * time is read from just before the command to the moment every message
   * has landed.
   */
  async turn(name: Name, server: Server, ms: number): Promise<Turn> {
    const rest = await cpuWindow(server.pid);
    const restFrom = performance.now();
    await new Promise((r) => setTimeout(r, REST_MS));
    const restCpu = await rest.close();
    const restSeconds = (performance.now() - restFrom) / 1000;
    const cpu = await cpuWindow(server.pid);
    const from = performance.now();
    await this.#input.write(new TextEncoder().encode(`send ${name} ${ms}\n`));
    await this.#expect("sent");
    const sendCpu = await cpu.close();
    const sendSeconds = (performance.now() - from) / 1000;
    const result = JSON.parse(await this.#line()) as LoadResult;
    return {
      restCpu,
      restSeconds,
      sendCpu,
      sendSeconds,
      p50: percentile(result.latencies, 50),
      p99: percentile(result.latencies, 99),
      sent: result.sent,
      received: result.received,
    };
  }

  async stop() {
    await this.#input.close();
    await this.child.status;
    await Deno.remove(this.file);
  }
}

/** The three servers at one size, taking turns; answers each one's turns. */
async function measureAt(rooms: number): Promise<Record<Name, Turn[]>> {
  const servers = {} as Record<Name, Server>;
  try {
    servers.raw = await startRawRelay();
    servers.ours = await startClinic();
    servers.peerjs = await startPeerJs();
    const load = await Load.start({
      raw: rawPlan(servers.raw, rooms),
      ours: await clinicPlan(servers.ours, rooms),
      peerjs: peerJsPlan(servers.peerjs, rooms),
    });
    try {
      const turn = (name: Name, ms: number) => () =>
        load.turn(name, servers[name], ms);
      for (const name of Object.keys(NAMES) as Name[]) {
        await turn(name, WARM_UP_MS)();
      }
      return await interleave(ROUNDS, {
        raw: turn("raw", WINDOW_MS),
        ours: turn("ours", WINDOW_MS),
        peerjs: turn("peerjs", WINDOW_MS),
      });
    } finally {
      await load.stop();
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
}

const of = (rounds: Round[], key: keyof Round) => rounds.map((r) => r[key]);

function sizeRows(rooms: number, turns: Record<Name, Turn[]>): Row[] {
  const names = Object.keys(NAMES) as Name[];
  const measured = Object.fromEntries(
    names.map((n) => [n, rounds(turns[n])]),
  ) as Record<Name, ReturnType<typeof rounds>>;
  const results = Object.fromEntries(
    names.map((n) => [n, measured[n].rounds]),
  ) as Record<Name, Round[]>;
  const spreads = (key: keyof Round) =>
    Object.fromEntries(names.map((n) => [n, spreadOf(of(results[n], key))]));
  const cpu = spreads("cpuUsPerMessage");
  const allIn = spreads("allInUsPerMessage");
  const sockets = 2 * rooms;
  const atRest = names.map((n) => measured[n].restPerSecond * 1e6 / sockets);
  const overRaw = ratiosOf(cpu.ours.rounds, cpu.raw.rounds);
  const overPeerJs = ratiosOf(cpu.ours.rounds, cpu.peerjs.rounds);
  const medians = (s: Record<string, Spread>, digits: number) =>
    names.map((n) => s[n].median.toFixed(digits)).join(" / ");
  const size = `${rooms} rooms, ${ROUNDS} rounds`;
  /** A ratio of CPU per message, against its target. */
  const ratioRow = (against: string, ratio: Spread, most: number): Row => ({
    measure: `signaling CPU per relayed message, ours / ${against}`,
    size,
    value: showSpread(ratio, 2),
    target: `≤ ${most}×`,
    ok: ratio.median <= most,
    figures: { rooms, ratio },
  });
  const rows: Row[] = [
    ratioRow("raw Deno relay", overRaw, 1.15),
    ratioRow("PeerJS", overPeerJs, 0.8),
    {
      measure: "signaling CPU per relayed message, raw / ours / PeerJS",
      size,
      value: `${medians(cpu, 1)} µs (at rest too: ${medians(allIn, 1)} µs)`,
      target: "-",
      ok: true,
      figures: { rooms, relaying: cpu, allIn },
    },
    {
      measure: "signaling CPU at rest per held socket, raw / ours / PeerJS",
      size,
      value: `${atRest.map((v) => v.toFixed(2)).join(" / ")} µs a second`,
      target: "-",
      ok: true,
      figures: {
        rooms,
        sockets,
        usPerSocketSecond: Object.fromEntries(
          names.map((n, i) => [n, atRest[i]]),
        ),
        turns,
      },
    },
  ];
  for (const name of names) {
    const r = results[name];
    const sent = of(r, "sent").reduce((a, b) => a + b, 0);
    const received = of(r, "received").reduce((a, b) => a + b, 0);
    const p50 = spreadOf(of(r, "p50"));
    const p99 = spreadOf(of(r, "p99"));
    rows.push({
      measure: `one-hop latency p50 / p99, ${NAMES[name]}`,
      size: `${rooms} rooms, delivered ${received}/${sent}`,
      value: `${p50.median.toFixed(2)} / ${showSpread(p99, 2, "ms")}`,
      target: "0 lost",
      ok: received === sent,
      figures: { rooms, server: name, p50, p99, sent, received },
    });
  }
  if (rooms === 1000) {
    const ours = spreadOf(of(results.ours, "p99"));
    const theirs = spreadOf(of(results.peerjs, "p99"));
    const within = ratiosOf(ours.rounds, theirs.rounds);
    rows.push({
      measure: "one-hop latency p99, ours vs PeerJS",
      size,
      value: `${ours.median.toFixed(2)} vs ${
        theirs.median.toFixed(2)
      } ms; within rounds ${showSpread(within, 2)}`,
      target: "ours ≤ PeerJS",
      ok: ours.median <= theirs.median,
      figures: { rooms, ours, peerjs: theirs, ratio: within },
    });
  }
  return rows;
}

export async function signalingRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const rooms of [100, 1000]) {
    rows.push(...sizeRows(rooms, await measureAt(rooms)));
  }
  return rows;
}

if (import.meta.main) {
  const { printTable } = await import("@/bench/table.ts");
  printTable(await signalingRows());
}
