/**
 * Memory against the floor: what the clinic's server holds per joined call
 * participant, and idle, beside a bare Deno server (bench/floor/raw_relay.ts)
 * holding the same number of sockets, in interleaved rounds.
 *
 * Each round starts fresh processes, in turn: the floor with its sockets
 * carrying what a joined participant's socket carries (a ping and its
 * answer every keep-alive interval, which the relay passes from one socket
 * of a room to the other), the floor with its sockets idle, and the clinic.
 * The floor: idle RSS once it listens; 2,000 plain requests (as many as
 * the clinic's tickets) and 10 sockets opened, pinged and closed (what the
 * first sockets load is not per participant), then the baseline; 2,000
 * sockets in 1,000 rooms, held, then the reading. The clinic (built, as
 * `deno task serve` runs it; Deno KV in a file, keep-alive at its default
 * 5 s): the RSS of a first start on an empty store (which hashes the
 * admin's password) and of a start on a store of 1,000 visits booked and
 * checked in (booked once, copied for each round), side by side, before
 * any request: a second after each listens, and once idle (`idleRss`);
 * then, in a third process, a ticket for each side of
 * every visit and 10 sockets opened, pinged and closed, then the baseline;
 * both sides joined, patients first, held for two keep-alive intervals
 * while the holder answers every ping, then the reading.
 *
 * The baseline and the reading are taken after a full garbage collection
 * in every server, asked for with a signal (`collect_on_signal.ts`; no
 * inspector runs): RSS then is what the server holds, not how much garbage
 * it made since its last collection (the tickets leave some 60 MB of it in
 * the clinic, and the keep-alive's store writes a saw-tooth of some 40 MB).
 * RSS as found before the collection is printed too. Per participant is
 * (reading − baseline) / 2,000, the same for all.
 *
 * Alone: deno run -A bench/memory/main.ts [rounds] (about 5 minutes)
 *
 * @module
 */
import { interleave, ROUNDS, showSpread, spreadOf } from "@/bench/rounds.ts";
import type { Row } from "@/bench/table.ts";
import { rssMb, signIn } from "@/bench/signaling/servers.ts";
import {
  KEEPALIVE_SECONDS,
  type Process,
  rssParts,
  startClinic,
  startFloor,
  startHolder,
} from "./processes.ts";
import {
  type BookedVisit,
  bookVisits,
  floorPlan,
  plainRequests,
  ticketPlan,
  warmUp,
} from "./visits.ts";
import type { HoldPlan } from "./hold_participants.ts";

const VISITS = 1000;
const PARTICIPANTS = 2 * VISITS;
/** Two keep-alive intervals: every socket pinged, every heartbeat written. */
const HOLD_MS = 2 * KEEPALIVE_SECONDS * 1000;
/** A pause before a reading, for what was just done (or freed) to settle. */
const SETTLE_MS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const toMb = (bytes: number) => bytes / 1048576;

/** One round's figures of one server, in MB. */
export interface Reading {
  /**
   * Once it listens, before any request (the clinic: idle, on the booked
   * store).
   */
  idle: number;
  /** The clinic's first start on an empty store. */
  firstIdle?: IdleRss;
  /** The clinic's start on the booked store. */
  restartIdle?: IdleRss;
  /** After the requests (tickets), before any socket. */
  base: Settled;
  /** With every participant held. */
  held: Settled;
}

/** What a server holds after a full garbage collection, in MB. */
export interface Settled {
  rss: number;
  /** JS heap: live objects, and the heap's size. */
  heap: number;
  heapTotal: number;
  /** RSS before the collection. */
  rssAsFound: number;
  /** RSS by kind of mapping (malloc's main heap, anonymous, files). */
  parts: { heap: number; anonymous: number; files: number };
  /** V8's heap spaces, in bytes. */
  spaces: Record<string, { size: number; used: number }>;
}

async function settled(server: Process): Promise<Settled> {
  const rssAsFound = await rssMb(server.pid);
  const heap = await server.collect();
  await sleep(SETTLE_MS);
  return {
    rss: await rssMb(server.pid),
    heap: toMb(heap.heapUsed),
    heapTotal: toMb(heap.heapTotal),
    rssAsFound,
    parts: await rssParts(server.pid),
    spaces: heap.spaces,
  };
}

/**
 * Takes the requests' baseline, holds the plan's sockets for two
 * keep-alive intervals, then reads again. The clinic's sockets must have
 * been pinged (the floor pings nobody).
 */
async function measure(
  server: Process,
  idle: number,
  plan: HoldPlan,
  pinged: boolean,
  holdMs = HOLD_MS,
): Promise<Omit<Reading, "firstIdle" | "restartIdle">> {
  const holder = startHolder();
  try {
    const base = await settled(server);
    await holder.hold(plan);
    await sleep(holdMs);
    const held = await settled(server);
    const status = await holder.status();
    if (status.closed > 0 || status.refused.length > 0) {
      throw new Error(`participants lost: ${JSON.stringify(status)}`);
    }
    if (pinged && status.pings < PARTICIPANTS) {
      throw new Error(`keep-alive not running: ${status.pings} pings`);
    }
    return { idle, base, held };
  } finally {
    await holder.stop();
  }
}

/**
 * The floor, its sockets idle (as plain as can be), or carrying what a
 * joined participant's socket carries: a ping and its answer every
 * keep-alive interval, passed by the relay from one socket of a room to
 * the other (Deno holds more for a socket that has carried messages).
 * Idle sockets change nothing while held: they are read after a moment.
 */
async function floorRound(pinged: boolean): Promise<Reading> {
  const floor = await startFloor();
  try {
    await sleep(SETTLE_MS);
    const idle = await rssMb(floor.pid);
    await plainRequests(floor.url, PARTICIPANTS);
    await warmUp(`${floor.url.replace("http", "ws")}/?room=warm-{room}`);
    const every = pinged ? KEEPALIVE_SECONDS * 1000 : undefined;
    const plan = floorPlan(floor.url, 0, VISITS, every);
    return await measure(
      floor,
      idle,
      plan,
      pinged,
      pinged ? HOLD_MS : SETTLE_MS,
    );
  } finally {
    await floor.stop();
  }
}

/** A Deno KV file and the files SQLite keeps beside it, copied. */
async function copyStore(from: string, to: string) {
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      await Deno.copyFile(from + suffix, to + suffix);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) || suffix === "") {
        throw error;
      }
    }
  }
}

interface Store {
  dir: string;
  file: string;
  cookie: string;
  visits: BookedVisit[];
}

/** 1,000 visits booked and checked in, in a store each round copies. */
async function bookedStore(): Promise<Store> {
  const dir = await Deno.makeTempDir({ prefix: "memory-bench-" });
  const file = `${dir}/booked.kv`;
  const clinic = await startClinic(file);
  try {
    const cookie = await signIn(clinic.url);
    const visits = await bookVisits(clinic.url, cookie, VISITS);
    return { dir, file, cookie, visits };
  } finally {
    // SIGTERM: the store is closed cleanly before it is copied.
    await clinic.stop("SIGTERM");
  }
}

/** How long an idle server is watched for V8 to shrink what start left. */
const IDLE_WATCH_MS = 45_000;
const IDLE_POLL_MS = 500;
/** RSS this long unchanged after its fall: V8 has done shrinking. */
const IDLE_STILL_MS = 2000;

/** RSS just after start, and once the server has settled idle, in MB. */
export interface IdleRss {
  started: number;
  idle: number;
  /** Idle RSS by kind of mapping: files are mostly the deno binary's pages. */
  parts: { heap: number; anonymous: number; files: number };
}

/**
 * The clinic started as `deno task start` starts it (with the bench's
 * collection on a signal besides, never asked for here): RSS a second
 * after it listens, and once idle. An idle V8 shrinks its heap by itself
 * (its memory reducer, about 30 s after start here): it collects what
 * start left behind and gives back the pages the young generation grew
 * into. Idle is read once RSS has fallen and kept still, or at
 * IDLE_WATCH_MS if it never falls.
 */
async function idleRss(kvFile: string): Promise<IdleRss> {
  const clinic = await startClinic(kvFile);
  try {
    await sleep(SETTLE_MS);
    const started = await rssMb(clinic.pid);
    let last = started;
    let stillSince = performance.now();
    let fell = false;
    const giveUpAt = performance.now() + IDLE_WATCH_MS;
    while (performance.now() < giveUpAt) {
      await sleep(IDLE_POLL_MS);
      const now = await rssMb(clinic.pid);
      if (now < started - 1) fell = true;
      if (Math.abs(now - last) > 0.1) {
        last = now;
        stillSince = performance.now();
      } else if (fell && performance.now() - stillSince >= IDLE_STILL_MS) {
        break;
      }
    }
    return { started, idle: last, parts: await rssParts(clinic.pid) };
  } finally {
    await clinic.stop();
  }
}

async function clinicRound(store: Store, round: number): Promise<Reading> {
  // A first start (an empty store, the admin created, its password hashed)
  // and a restart on the booked store, watched side by side while idle.
  const restart = `${store.dir}/restart-${round}.kv`;
  await copyStore(store.file, restart);
  const [first, again] = await Promise.all([
    idleRss(`${store.dir}/empty-${round}.kv`),
    idleRss(restart),
  ]);
  const file = `${store.dir}/round-${round}.kv`;
  await copyStore(store.file, file);
  const clinic = await startClinic(file);
  try {
    const plan = await ticketPlan(clinic.url, store.cookie, store.visits);
    await warmUp(`${clinic.url.replace("http", "ws")}/api/signal`);
    return {
      firstIdle: first,
      restartIdle: again,
      ...await measure(clinic, again.idle, plan, true),
    };
  } finally {
    await clinic.stop();
  }
}

const perParticipantKb = (from: number, to: number) =>
  ((to - from) * 1024) / PARTICIPANTS;
const rssKb = (r: Reading) => perParticipantKb(r.base.rss, r.held.rss);
const heapKb = (r: Reading) => perParticipantKb(r.base.heap, r.held.heap);
const mb = (values: number[]) => showSpread(spreadOf(values), 0, "MB");
/** Median MB in file-backed pages, and in private memory. */
const inFiles = (idle: IdleRss[]) => {
  const files = spreadOf(idle.map((i) => i.parts.files)).median;
  const own = spreadOf(idle.map((i) => i.parts.heap + i.parts.anonymous))
    .median;
  return `${files.toFixed(0)} / ${own.toFixed(0)} MB`;
};
const median = (values: number[]) => spreadOf(values).median.toFixed(0);

export async function memoryRows(rounds = ROUNDS): Promise<Row[]> {
  const store = await bookedStore();
  try {
    let round = 0;
    const { floor, idleFloor, clinic } = await interleave(rounds, {
      floor: () => floorRound(true),
      idleFloor: () => floorRound(false),
      clinic: () => clinicRound(store, round++),
    });
    const versus = (kb: (r: Reading) => number, against = floor) => {
      const added = spreadOf(clinic.map((c, i) => kb(c) - kb(against[i])));
      const per = (r: Reading[]) => showSpread(spreadOf(r.map(kb)), 1, "KB");
      return {
        added,
        value: `${added.median >= 0 ? "+" : ""}${
          showSpread(added, 1, "KB")
        } (ours ${per(clinic)}, floor ${per(against)})`,
      };
    };
    const rss = versus(rssKb);
    const rssIdleFloor = versus(rssKb, idleFloor);
    const heap = versus(heapKb);
    const firstIdle = spreadOf(clinic.map((c) => c.firstIdle!.idle));
    const firstStarted = spreadOf(clinic.map((c) => c.firstIdle!.started));
    const idle = spreadOf(clinic.map((c) => c.restartIdle!.idle));
    const started = spreadOf(clinic.map((c) => c.restartIdle!.started));
    const floorIdle = spreadOf(idleFloor.map((f) => f.idle));
    const heapTotal = versus((r) =>
      perParticipantKb(r.base.heapTotal, r.held.heapTotal)
    );
    const native = versus((r) =>
      perParticipantKb(
        r.base.rss - r.base.heapTotal,
        r.held.rss - r.held.heapTotal,
      )
    );
    const absolute = (r: Reading[]) =>
      `${median(r.map((x) => x.base.rss))} → ${
        median(r.map((x) => x.held.rss))
      } MB (as found ${median(r.map((x) => x.held.rssAsFound))} MB)`;
    return [{
      measure: "memory (RSS) per joined participant, ours − floor",
      size: `${PARTICIPANTS} joined, ${VISITS} visits, file KV; pinged`,
      value: rss.value,
      target: "≤ +3 KB",
      ok: rss.added.median <= 3,
      figures: {
        rounds,
        keepaliveSeconds: KEEPALIVE_SECONDS,
        added: rss.added,
        clinic,
        floor,
        idleFloor,
      },
    }, {
      measure: "memory (RSS) per joined participant, ours − idle floor",
      size: "floor's sockets carrying nothing",
      value: rssIdleFloor.value,
      target: "-",
      ok: true,
      figures: { added: rssIdleFloor.added },
    }, {
      measure: "of which JS heap (live objects), ours − floor",
      size: `${PARTICIPANTS} joined`,
      value: heap.value,
      target: "-",
      ok: true,
      figures: { added: heap.added },
    }, {
      measure: "JS heap's size (live and free), ours − floor",
      size: `${PARTICIPANTS} joined`,
      value: heapTotal.value,
      target: "-",
      ok: true,
      figures: { added: heapTotal.added },
    }, {
      measure: "RSS besides the JS heap, ours − floor",
      size: `${PARTICIPANTS} joined`,
      value: native.value,
      target: "-",
      ok: true,
      figures: { added: native.added },
    }, {
      measure: "RSS, ours: tickets → joined (median)",
      size: `${PARTICIPANTS} participants`,
      value: absolute(clinic),
      target: "-",
      ok: true,
    }, {
      measure: "RSS, floor: requests → sockets (median)",
      size: `${PARTICIPANTS} sockets, pinged`,
      value: absolute(floor),
      target: "-",
      ok: true,
    }, {
      measure: "RSS, floor: requests → sockets (median)",
      size: `${PARTICIPANTS} sockets, idle`,
      value: absolute(idleFloor),
      target: "-",
      ok: true,
    }, {
      measure: "idle RSS, ours / floor",
      size: "first start: empty store",
      value: `${mb(firstIdle.rounds)} / ${mb(floorIdle.rounds)}`,
      target: "ours ≤ 60 MB",
      ok: firstIdle.median <= 60,
      figures: { firstIdle, floorIdle },
    }, {
      measure: "idle RSS, ours",
      size: `restart: store of ${VISITS} visits`,
      value: mb(idle.rounds),
      target: "ours ≤ 60 MB",
      ok: idle.median <= 60,
      figures: { idle },
    }, {
      measure: "idle RSS in files (the deno binary's pages) / private, ours",
      size: "first start / restart",
      value: `${inFiles(clinic.map((c) => c.firstIdle!))} / ${
        inFiles(clinic.map((c) => c.restartIdle!))
      }`,
      target: "-",
      ok: true,
    }, {
      measure: "RSS 1 s after start (before V8 shrinks it idle), ours",
      size: "first start / restart",
      value: `${mb(firstStarted.rounds)} / ${mb(started.rounds)}`,
      target: "-",
      ok: true,
      figures: { firstStarted, started },
    }];
  } finally {
    await Deno.remove(store.dir, { recursive: true });
  }
}

if (import.meta.main) {
  const { printTable } = await import("@/bench/table.ts");
  // A number of rounds may be given, for a quick look (the table needs 5).
  printTable(await memoryRows(Number(Deno.args[0] ?? ROUNDS)));
}
