/**
 * Load held: N visits in progress at once (N = 250, 500, 1,000), each with
 * its tickets, its two joins, an offer, an answer and candidates, then chat
 * and quality reports every few seconds from both sides, while a doctor's
 * dashboard is fetched a few times a second. It counts errors and lost
 * messages, times the dashboard, and reads the server's CPU and memory, so
 * the table shows how they grow with N.
 *
 * The clinic is `start.ts` as the memory bench starts it (its KV a file,
 * keep-alive and join deadline at their defaults, socket caps raised since
 * all the load comes from 127.0.0.1, and a full garbage collection on a
 * signal before each RSS reading); a fresh server and KV file for each N.
 * The calls run in their own process (load_held_clients.ts).
 *
 * A doctor is in one call at a time, so the dashboard fetched is that of a
 * doctor with an ordinary day: one of the N calls, and a few more visits
 * later on. The other calls are booked by a second doctor account; the
 * server's work per call does not depend on whose it is.
 *
 * Usage: deno run -A bench/load_held.ts [N …]
 *
 * @module
 */
import { percentile, type Row } from "./table.ts";
import { showSpread, type Spread, spreadOf } from "./rounds.ts";
import type { HeldPlan, HeldResult } from "./load_held_clients.ts";
import { lines } from "./signaling/load.ts";
import { type BookedVisit, bookVisit } from "./signaling/plans.ts";
import { cpuWindow, rssMb } from "./signaling/servers.ts";
import { type Process, startClinic } from "./memory/processes.ts";
import { addDoctor, ADMIN, Client } from "@/tests/helpers/server.ts";

const SIZES = [250, 500, 1000];
/** The hold, in windows over which the server's CPU is read. */
const WINDOW_MS = 6000;
const WINDOWS = 4;
/** The Call island sends a quality summary every third 2-second sample. */
const QUALITY_EVERY_MS = 6000;
const CHAT_EVERY_MS = 5000;
const CANDIDATES = 4;
/** The dashboard is asked for this often, whether or not the last answer came. */
const DASHBOARD_EVERY_MS = 200;
/** A dashboard not answered by then counts as an error. */
const DASHBOARD_GIVE_UP_MS = 10_000;
/** The dashboard's doctor's other visits, later in the day. */
const LATER_VISITS = 9;
/** Requests in flight at once while booking and checking. */
const BATCH = 50;
/** Per visit at 1,000 may be this much above per visit at 250 and count as linear. */
const LINEAR_TOLERANCE = 1.25;
const DASHBOARD_P99_MS = 50;

interface Held {
  n: number;
  visits: number;
  errors: Record<string, number>;
  lost: Record<string, number>;
  dashboard: number[];
  /** The server's CPU (% of one core) with the dashboard asked and no calls. */
  cpuBaseline: number;
  /** The server's CPU (% of one core) in each window of the hold. */
  cpuHeld: number[];
  /** Its threads' time waiting for a core, in % of the hold (summed). */
  cpuWaited: number;
  /** RSS after start, with the visits booked, and at the end of the hold. */
  rssIdleMb: number;
  rssBookedMb: number;
  rssHeldMb: number;
  bookMs: number;
  setupMs: number;
}

const count = (tally: Record<string, number>, kind: string, by = 1) =>
  tally[kind] = (tally[kind] ?? 0) + by;

const total = (tally: Record<string, number>) =>
  Object.values(tally).reduce((a, b) => a + b, 0);

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `work` over `items`, BATCH at a time. */
async function inBatches<T, R>(items: T[], work: (item: T) => Promise<R>) {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += BATCH) {
    out.push(...await Promise.all(items.slice(i, i + BATCH).map(work)));
  }
  return out;
}

/**
 * Asks for the dashboard every DASHBOARD_EVERY_MS until stopped, each
 * request on its own (a slow answer does not delay the next question, so
 * the times are not flattered); answers the times once all have come.
 */
function watchDashboard(
  doctor: Client,
  errors: Held["errors"],
) {
  const times: number[] = [];
  const asked: Promise<void>[] = [];
  const ask = async () => {
    const start = performance.now();
    try {
      const res = await doctor.fetch("/dashboard", {
        signal: AbortSignal.timeout(DASHBOARD_GIVE_UP_MS),
      });
      await res.arrayBuffer();
      if (res.status !== 200) count(errors, `dashboard ${res.status}`);
      else times.push(performance.now() - start);
    } catch (error) {
      count(errors, `dashboard: ${(error as Error).message}`);
    }
  };
  const timer = setInterval(() => asked.push(ask()), DASHBOARD_EVERY_MS);
  return async () => {
    clearInterval(timer);
    await Promise.all(asked);
    return times;
  };
}

/**
 * Seconds the process's threads have spent so far ready to run but waiting
 * for a core (`/proc/<pid>/task/<tid>/schedstat`, second field): on a
 * shared machine, how much of the server's slowness is other processes'.
 */
async function waitedForCpu(pid: number): Promise<number> {
  let sum = 0;
  for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
    try {
      const stat = await Deno.readTextFile(
        `/proc/${pid}/task/${task.name}/schedstat`,
      );
      sum += Number(stat.split(" ")[1]) / 1e9;
    } catch {
      // the thread ended meanwhile
    }
  }
  return sum;
}

/**
 * The server's RSS in MB once all its garbage is collected, as the memory
 * bench reads it: what it holds, not what it has yet to collect.
 */
async function rssCollected(server: Process): Promise<number> {
  await server.collect();
  return await rssMb(server.pid);
}

/** The server's CPU, in % of one core, over each of `windows` windows. */
async function cpuWindows(pid: number, windows: number): Promise<number[]> {
  const start = performance.now();
  const out: number[] = [];
  for (let w = 1; w <= windows; w++) {
    const cpu = await cpuWindow(pid);
    await pause(start + w * WINDOW_MS - performance.now());
    out.push(((await cpu.close()) / (WINDOW_MS / 1000)) * 100);
  }
  return out;
}

/**
 * What the server kept of the calls matches what was sent: each side's
 * quality samples and the chat lines, read from the visit's report.
 */
async function checkKept(
  doctors: Map<string, Client>,
  result: HeldResult,
  held: Pick<Held, "errors" | "lost">,
) {
  await inBatches(result.kept, async (visit) => {
    const res = await doctors.get(visit.id)!.fetch(
      `/api/sessions/${visit.id}/report`,
    );
    if (res.status !== 200) {
      await res.body?.cancel();
      return count(held.errors, `report ${res.status}`);
    }
    const report = await res.json();
    for (const role of ["patient", "doctor"] as const) {
      const samples = report.quality[role]?.samples ?? 0;
      count(held.lost, "quality", Math.max(0, visit.quality[role] - samples));
    }
    count(held.lost, "chat kept", Math.max(0, visit.chat - report.chat.length));
  });
}

/** The calls' process, told when to hold and when to end. */
async function startClients(dir: string, plan: HeldPlan) {
  const file = await Deno.makeTempFile({ dir, suffix: ".json" });
  await Deno.writeTextFile(file, JSON.stringify(plan));
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("load_held_clients.ts", import.meta.url).pathname,
      file,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const said = lines(child.stdout);
  const next = async () => {
    const { value, done } = await said.next();
    if (done) throw new Error("the clients stopped early");
    return value;
  };
  const commands = child.stdin.getWriter();
  return {
    async expect(line: string) {
      const got = await next();
      if (got !== line) throw new Error(`the clients said ${got}`);
    },
    next,
    tell: (line: string) =>
      commands.write(new TextEncoder().encode(line + "\n")),
    async stop() {
      try {
        child.kill("SIGKILL");
      } catch {
        // it has ended
      }
      await commands.close().catch(() => {});
      await said.return(undefined).catch(() => {});
      await child.status;
    },
  };
}

async function holdLoad(n: number): Promise<Held> {
  const dir = await Deno.makeTempDir({ prefix: "load-held-" });
  const server = await startClinic(`${dir}/clinic.kv`);
  const errors: Record<string, number> = {};
  const lost: Record<string, number> = {};
  let clients: Awaited<ReturnType<typeof startClients>> | undefined;
  try {
    await pause(1000);
    const rssIdleMb = await rssCollected(server);
    const doctor = await new Client(server.url).signIn(
      ADMIN.email,
      ADMIN.password,
    );
    const others = await addDoctor(doctor, "load@clinic.test", "Dr Load");
    const started = performance.now();
    const booked = (await inBatches(
      [doctor, ...Array.from({ length: n - 1 }, () => others)],
      (by) =>
        bookVisit(server.url, by.cookie).then((visit) => ({ visit, by }))
          .catch((error) => {
            count(errors, `booking: ${(error as Error).message.slice(0, 60)}`);
            return null;
          }),
    )).filter((b) => b !== null);
    const bookMs = performance.now() - started;
    // The dashboard's doctor's day: the call now, and visits later on.
    for (let i = 1; i <= LATER_VISITS; i++) {
      const res = await doctor.json("/api/appointments", {
        patientName: `Later ${i}`,
        startsAt: new Date(Date.now() + i * 30 * 60_000).toISOString(),
        durationMinutes: 20,
      });
      await res.body?.cancel();
      if (res.status !== 201) count(errors, `booking ${res.status}`);
    }
    const visits: BookedVisit[] = booked.map((b) => b.visit);
    const doctors = new Map(booked.map((b) => [b.visit.id, b.by]));
    const rssBookedMb = await rssCollected(server);
    // What the dashboard costs the server by itself, before any call.
    let stopDashboard = watchDashboard(doctor, errors);
    const cpuBaseline = (await cpuWindows(server.pid, 1))[0];
    await stopDashboard();
    clients = await startClients(dir, {
      visits,
      holdMs: WINDOW_MS * WINDOWS,
      chatEveryMs: CHAT_EVERY_MS,
      qualityEveryMs: QUALITY_EVERY_MS,
      candidates: CANDIDATES,
    });
    await clients.expect("ready");
    // The hold: the server's CPU by windows, the dashboard all along.
    stopDashboard = watchDashboard(doctor, errors);
    await clients.tell("hold");
    const waited = await waitedForCpu(server.pid);
    const cpuHeld = await cpuWindows(server.pid, WINDOWS);
    const cpuWaited = ((await waitedForCpu(server.pid) - waited) * 1000) /
      (WINDOW_MS * WINDOWS) * 100;
    await clients.expect("held");
    const dashboard = await stopDashboard();
    // The calls still held, the dashboard no longer asked (a full
    // collection stops the server for a moment).
    const rssHeldMb = await rssCollected(server);
    await clients.tell("end");
    const result = JSON.parse(await clients.next()) as HeldResult;
    for (const [kind, times] of Object.entries(result.errors)) {
      count(errors, kind, times);
    }
    for (const [type, times] of Object.entries(result.sent)) {
      count(lost, type, times - (result.received[type] ?? 0));
    }
    await checkKept(doctors, result, { errors, lost });
    return {
      n,
      visits: result.visits,
      errors,
      lost,
      dashboard,
      cpuBaseline,
      cpuHeld,
      cpuWaited,
      rssIdleMb,
      rssBookedMb,
      rssHeldMb,
      bookMs,
      setupMs: result.setupMs,
    };
  } finally {
    await clients?.stop();
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Per visit: the server's CPU above what the dashboard alone costs it (‰ of
 * a core), and its RSS above what it held with the visits booked (KB).
 */
function perVisit(h: Held): { cpu: Spread; rssKb: number } {
  return {
    cpu: spreadOf(h.cpuHeld.map((c) => ((c - h.cpuBaseline) * 10) / h.n)),
    rssKb: ((h.rssHeldMb - h.rssBookedMb) * 1024) / h.n,
  };
}

export async function loadHeldRows(sizes = SIZES): Promise<Row[]> {
  const held: Held[] = [];
  for (const n of sizes) held.push(await holdLoad(n));
  const rows: Row[] = [];
  for (const h of held) {
    const errors = total(h.errors);
    const lost = total(h.lost);
    const p50 = percentile(h.dashboard, 50);
    const p99 = percentile(h.dashboard, 99);
    const size = `${h.n.toLocaleString("en")} visits`;
    const per = perVisit(h);
    rows.push({
      measure: "load held: errors / lost messages",
      size: `${size} (${h.visits} held)`,
      value: `${errors} / ${lost}`,
      target: "0 / 0",
      ok: errors === 0 && lost === 0 && h.visits === h.n,
      figures: {
        errors: h.errors,
        lost: h.lost,
        bookMs: h.bookMs,
        setupMs: h.setupMs,
      },
    }, {
      measure: "load held: dashboard p50 / p99",
      size: `${size} (${h.dashboard.length} asked)`,
      value: `${p50.toFixed(1)} / ${p99.toFixed(1)} ms`,
      target: `p99 ≤ ${DASHBOARD_P99_MS} ms`,
      ok: p99 <= DASHBOARD_P99_MS,
      figures: { p50, p99, times: h.dashboard },
    }, {
      measure: "load held: server CPU (% of a core); per visit",
      size: `${size}, ${h.cpuBaseline.toFixed(1)} % without calls, ${
        h.cpuWaited.toFixed(0)
      } % waiting`,
      value: `${showSpread(spreadOf(h.cpuHeld), 1, "%")}; ${
        showSpread(per.cpu, 3, "‰")
      }`,
      target: "-",
      ok: true,
      figures: {
        cpuHeld: h.cpuHeld,
        cpuBaseline: h.cpuBaseline,
        cpuWaited: h.cpuWaited,
        windowMs: WINDOW_MS,
      },
    }, {
      measure: "load held: server RSS; per visit",
      size: `${size}, ${h.rssIdleMb.toFixed(0)} MB idle, ${
        h.rssBookedMb.toFixed(0)
      } MB booked`,
      value: `${h.rssHeldMb.toFixed(0)} MB; ${per.rssKb.toFixed(0)} KB`,
      target: "-",
      ok: true,
      figures: {
        rssIdleMb: h.rssIdleMb,
        rssBookedMb: h.rssBookedMb,
        rssHeldMb: h.rssHeldMb,
      },
    });
  }
  const [small, large] = [held[0], held[held.length - 1]];
  const cpuRatio = spreadOf(
    perVisit(large).cpu.rounds.map((c, i) => c / perVisit(small).cpu.rounds[i]),
  );
  const rssRatio = perVisit(large).rssKb / perVisit(small).rssKb;
  rows.push({
    measure: "load held: per visit, largest / smallest N: CPU; RSS",
    size: `${large.n.toLocaleString("en")} / ${small.n} visits`,
    value: `${showSpread(cpuRatio, 2)}; ${rssRatio.toFixed(2)}×`,
    target: `≤ ${LINEAR_TOLERANCE}× (linear)`,
    ok: cpuRatio.median <= LINEAR_TOLERANCE && rssRatio <= LINEAR_TOLERANCE,
    figures: { cpuRatio, rssRatio },
  });
  return rows;
}

if (import.meta.main) {
  const { printTable } = await import("./table.ts");
  const sizes = Deno.args.length ? Deno.args.map(Number) : SIZES;
  const rows = await loadHeldRows(sizes);
  printTable(rows);
}
