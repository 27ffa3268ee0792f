/**
 * Where the memory per participant goes: heap snapshots of one server
 * (the clinic's `start.ts` with a file KV, or the floor), as in the
 * benchmark: with 1,000 visits' tickets issued (the floor: as many plain
 * requests), then with both sides of each joined and held for two
 * keep-alive intervals; prints RSS, heap and external memory at both, the
 * heap's growth by constructor per participant, and who holds the growth.
 *
 * Usage: deno run -A bench/memory/heap_profile.ts clinic|floor|floor-pinged [visits]
 *   [top groups] [groups whose holders are shown]
 *
 * @module
 */
import { rssMb } from "@/bench/signaling/servers.ts";
import {
  difference,
  HeapGraph,
  holdersGrown,
  Inspector,
  show,
  total,
} from "./heap_snapshot.ts";
import {
  KEEPALIVE_SECONDS,
  startClinic,
  startFloor,
  startHolder,
} from "./processes.ts";
import {
  bookVisits,
  floorPlan,
  plainRequests,
  ticketPlan,
  warmUp,
} from "./visits.ts";
import type { HoldPlan } from "./hold_participants.ts";
import { signIn } from "@/bench/signaling/servers.ts";

/** "floor-pinged": the floor's sockets carry a ping and its answer each interval. */
const floor = Deno.args[0].startsWith("floor");
const pinged = Deno.args[0] === "floor-pinged";
const visits = Number(Deno.args[1] ?? 1000);
const top = Number(Deno.args[2] ?? 30);
const holdersOf = Number(Deno.args[3] ?? 15);
const participants = 2 * visits;

const dir = await Deno.makeTempDir({ prefix: "memory-profile-" });
const server = floor
  ? await startFloor({ inspect: true })
  : await startClinic(`${dir}/clinic.kv`, { inspect: true });
const inspector = await Inspector.connect(server.inspectPort!);
const mb = (bytes: number) => (bytes / 1048576).toFixed(1);

async function reading(label: string) {
  const text = await inspector.heapSnapshot();
  const m = await inspector.memoryUsage();
  const rss = await rssMb(server.pid);
  console.log(
    `${label}: RSS ${rss.toFixed(1)} MB, heap used ${mb(m.heapUsed)} of ${
      mb(m.heapTotal)
    } MB, external ${mb(m.external)} MB`,
  );
  return { graph: new HeapGraph(text), usage: m, rss };
}

try {
  let plan: HoldPlan;
  if (floor) {
    await plainRequests(server.url, participants);
    await warmUp(`${server.url.replace("http", "ws")}/?room=warm-{room}`);
    plan = floorPlan(
      server.url,
      0,
      visits,
      pinged ? KEEPALIVE_SECONDS * 1000 : undefined,
    );
  } else {
    const cookie = await signIn(server.url);
    const booked = await bookVisits(server.url, cookie, visits);
    plan = await ticketPlan(server.url, cookie, booked);
    await warmUp(`${server.url.replace("http", "ws")}/api/signal`);
  }
  const before = await reading(floor ? "requests made" : "tickets issued");
  const holder = startHolder();
  await holder.hold(plan);
  await new Promise((r) => setTimeout(r, 2 * KEEPALIVE_SECONDS * 1000));
  const after = await reading(`${participants} joined`);
  console.log(JSON.stringify(await holder.status()));
  const grown = difference(before.graph.summary(), after.graph.summary());
  const sum = total(after.graph.summary());
  const sum0 = total(before.graph.summary());
  const per = (bytes: number) => (bytes / participants).toFixed(0);
  console.log(
    `heap growth per participant: ${per(sum.selfSize - sum0.selfSize)} B in ${
      ((sum.count - sum0.count) / participants).toFixed(1)
    } objects (heap used ${
      per(after.usage.heapUsed - before.usage.heapUsed)
    } B, heap total ${
      per(after.usage.heapTotal - before.usage.heapTotal)
    } B, external ${per(after.usage.external - before.usage.external)} B, RSS ${
      per((after.rss - before.rss) * 1048576)
    } B)`,
  );
  console.log(`   self size    count  group (per participant)`);
  console.log(show(grown, top, participants));
  const groups = new Set(grown.slice(0, holdersOf).map(([group]) => group));
  const held = [before, after].map((r) => r.graph.holders(groups));
  console.log("\nwho holds the growth (count per participant):");
  for (const group of groups) {
    console.log(`${group}:`);
    const byHolder = holdersGrown(held[0], held[1], group);
    for (const [holder, count] of byHolder.slice(0, 6)) {
      console.log(
        `   ${(count / participants).toFixed(2).padStart(7)}  ${holder}`,
      );
    }
  }
  await holder.stop();
} finally {
  inspector.close();
  await server.stop();
  await Deno.remove(dir, { recursive: true });
}
