/**
 * Signaling load, side by side with the PeerJS server (`peer`, the common
 * open-source signaling server): server CPU time per relayed message (read
 * from the server process), one-hop latency p50 and p99 at 100 and 1,000
 * concurrent rooms, and the server's memory with 10,000 open sockets.
 *
 * Each server runs as its own process; the load comes from another process
 * (bench/signaling/load.ts). PeerJS is installed from npm into
 * bench/.peerjs on first use.
 *
 * @module
 */
import { percentile, type Row } from "@/bench/table.ts";
import type { LoadResult, Plan } from "./load.ts";
import { clinicPlan, peerJsPlan } from "./plans.ts";
import {
  cpuSeconds,
  rssMb,
  type Server,
  startClinic,
  startPeerJs,
} from "./servers.ts";

const SOCKETS = 10_000;

/** Runs the load in its own process; the CPU window covers only the sending. */
async function runLoad(
  plan: Plan,
  pid: number,
): Promise<LoadResult & { cpu: number }> {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(file, JSON.stringify(plan));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("load.ts", import.meta.url).pathname, file],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const nextLine = async () => {
    while (!buffer.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) throw new Error("the load generator stopped early");
      buffer += value;
    }
    const at = buffer.indexOf("\n");
    const line = buffer.slice(0, at);
    buffer = buffer.slice(at + 1);
    return line;
  };
  if (await nextLine() !== "connected") {
    throw new Error("unexpected load output");
  }
  const before = await cpuSeconds(pid);
  if (await nextLine() !== "sent") throw new Error("unexpected load output");
  const cpu = await cpuSeconds(pid) - before;
  const result = JSON.parse(await nextLine()) as LoadResult;
  await lines.cancel();
  await child.status;
  await Deno.remove(file);
  return { ...result, cpu };
}

interface Figures {
  cpuUsPerMessage: number;
  p50: number;
  p99: number;
  delivered: string;
}

async function measure(server: Server, rooms: number): Promise<Figures> {
  const plan = server.kind === "clinic"
    ? await clinicPlan(server, rooms)
    : peerJsPlan(server, rooms);
  const result = await runLoad(plan, server.pid);
  return {
    cpuUsPerMessage: (result.cpu * 1e6) / Math.max(1, result.received),
    p50: percentile(result.latencies, 50),
    p99: percentile(result.latencies, 99),
    delivered: `${result.received}/${result.sent}`,
  };
}

async function memoryWithSockets(server: Server): Promise<number> {
  const ws = server.url.replace("http", "ws");
  const url = server.kind === "clinic"
    ? `${ws}/api/signal`
    : `${ws}/peerjs?key=peerjs&id=m{i}&token=t{i}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("hold_sockets.ts", import.meta.url).pathname,
      String(SOCKETS),
      url,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes(`open ${SOCKETS}`)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`could not open ${SOCKETS} sockets`);
    text += value;
  }
  await new Promise((r) => setTimeout(r, 1000));
  const rss = await rssMb(server.pid);
  child.kill("SIGKILL");
  await reader.cancel();
  await child.status;
  return rss;
}

export async function signalingRows(): Promise<Row[]> {
  const figures: Record<string, Record<number, Figures>> = {
    clinic: {},
    peerjs: {},
  };
  const memory: Record<string, number> = {};
  const idle: Record<string, number> = {};
  for (const start of [startClinic, startPeerJs]) {
    for (const rooms of [100, 1000]) {
      const server = await start();
      try {
        figures[server.kind][rooms] = await measure(server, rooms);
      } finally {
        await server.stop();
      }
    }
    const server = await start();
    try {
      idle[server.kind] = await rssMb(server.pid);
      memory[server.kind] = await memoryWithSockets(server);
    } finally {
      await server.stop();
    }
  }
  const rows: Row[] = [];
  for (const rooms of [100, 1000]) {
    const ours = figures.clinic[rooms];
    const theirs = figures.peerjs[rooms];
    rows.push({
      measure: `signaling CPU per relayed message, ours / PeerJS`,
      size: `${rooms} rooms`,
      value: `${ours.cpuUsPerMessage.toFixed(1)} µs / ${
        theirs.cpuUsPerMessage.toFixed(1)
      } µs (${(ours.cpuUsPerMessage / theirs.cpuUsPerMessage).toFixed(2)}×)`,
      target: "≤ 0.6× PeerJS",
      ok: ours.cpuUsPerMessage <= 0.6 * theirs.cpuUsPerMessage,
    }, {
      measure: `one-hop latency p50 / p99, ours`,
      size: `${rooms} rooms (${ours.delivered})`,
      value: `${ours.p50.toFixed(2)} / ${ours.p99.toFixed(2)} ms`,
      target: rooms === 1000 ? "p99 ≤ ½ PeerJS" : "-",
      ok: rooms === 1000 ? ours.p99 <= theirs.p99 / 2 : true,
    }, {
      measure: `one-hop latency p50 / p99, PeerJS`,
      size: `${rooms} rooms (${theirs.delivered})`,
      value: `${theirs.p50.toFixed(2)} / ${theirs.p99.toFixed(2)} ms`,
      target: "-",
      ok: true,
    });
  }
  rows.push({
    measure: "server memory (RSS) with 10,000 open sockets, ours",
    size: `idle ${idle.clinic.toFixed(0)} MB`,
    value: `${memory.clinic.toFixed(0)} MB`,
    target: "< 100 MB",
    ok: memory.clinic < 100,
  }, {
    measure: "server memory (RSS) with 10,000 open sockets, PeerJS",
    size: `idle ${idle.peerjs.toFixed(0)} MB`,
    value: `${memory.peerjs.toFixed(0)} MB`,
    target: "-",
    ok: true,
  });
  return rows;
}

if (import.meta.main) {
  const { printTable } = await import("@/bench/table.ts");
  printTable(await signalingRows());
}
