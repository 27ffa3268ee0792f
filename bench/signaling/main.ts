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
import { freePort } from "@/tests/helpers/ports.ts";
import { waitUntilUp } from "@/tests/helpers/launch.ts";

const root = new URL("../../", import.meta.url);
const PEERJS_DIR = new URL("bench/.peerjs/", root);
const ADMIN = { email: "bench@clinic.test", password: "bench-password-1" };
const MESSAGE_BYTES = 4000;
const MESSAGES_PER_SECOND = 1000;
const DURATION_MS = 8000;
const SOCKETS = 10_000;

/** CPU seconds (user + system) the process has used so far. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in 1/100 s
}

async function rssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

interface Server {
  kind: "clinic" | "peerjs";
  pid: number;
  url: string;
  stop(): Promise<void>;
}

async function startClinic(): Promise<Server> {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "start.ts"],
    cwd: root,
    env: {
      PORT: String(port),
      KV_PATH: ":memory:",
      ICE_SERVERS: "[]",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: "warn",
      SIGNALING_KEEPALIVE_SECONDS: "20",
    },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  await waitUntilUp(`${url}/login`);
  return {
    kind: "clinic",
    pid: child.pid,
    url,
    async stop() {
      child.kill("SIGKILL");
      await child.status;
    },
  };
}

async function ensurePeerJs(): Promise<string> {
  const bin = new URL("node_modules/peer/dist/bin/peerjs.js", PEERJS_DIR);
  try {
    await Deno.stat(bin);
  } catch {
    await Deno.mkdir(PEERJS_DIR, { recursive: true });
    const out = await new Deno.Command("npm", {
      args: [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefix",
        PEERJS_DIR.pathname,
        "peer@1.0.2",
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  }
  return bin.pathname;
}

async function startPeerJs(): Promise<Server> {
  const bin = await ensurePeerJs();
  const port = freePort();
  const child = new Deno.Command("node", {
    args: [
      bin,
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--concurrent_limit",
      "20000",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${url}/peerjs/id`);
  return {
    kind: "peerjs",
    pid: child.pid,
    url,
    async stop() {
      child.kill("SIGKILL");
      await child.status;
    },
  };
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/login`, {
    method: "POST",
    body: new URLSearchParams(ADMIN),
    redirect: "manual",
  });
  await res.body?.cancel();
  return res.headers.get("set-cookie")!.split(";")[0];
}

async function clinicPlan(server: Server, rooms: number): Promise<Plan> {
  const cookie = await signIn(server.url);
  const headers = { cookie, "content-type": "application/json" };
  const planRooms: Plan["rooms"] = [];
  for (let i = 0; i < rooms; i += 50) {
    planRooms.push(
      ...await Promise.all(
        Array.from({ length: Math.min(50, rooms - i) }, async () => {
          const created = await (await fetch(`${server.url}/api/appointments`, {
            method: "POST",
            headers,
            body: JSON.stringify({
              patientName: "Bench",
              startsAt: new Date(Date.now() + 60_000).toISOString(),
              durationMinutes: 30,
            }),
          })).json();
          const token = created.visitUrl.split("/visit/")[1];
          const patient =
            await (await fetch(`${server.url}/api/visits/${token}/ticket`, {
              method: "POST",
            })).json();
          const doctor = await (await fetch(
            `${server.url}/api/appointments/${created.id}/ticket`,
            {
              method: "POST",
              headers,
            },
          )).json();
          const endpoint = (
            t: { signalingUrl: string; roomId: string; ticket: string },
          ) => ({
            url: t.signalingUrl,
            join: { type: "join-room", roomId: t.roomId, ticket: t.ticket },
          });
          return { sender: endpoint(patient), receiver: endpoint(doctor) };
        }),
      ),
    );
  }
  return {
    kind: "clinic",
    rooms: planRooms,
    everyMs: (rooms / MESSAGES_PER_SECOND) * 1000,
    durationMs: DURATION_MS,
    messageBytes: MESSAGE_BYTES,
  };
}

function peerJsPlan(server: Server, rooms: number): Plan {
  const ws = server.url.replace("http", "ws");
  const endpoint = (id: string) => ({
    url: `${ws}/peerjs?key=peerjs&id=${id}&token=t${id}`,
    peerId: id,
  });
  return {
    kind: "peerjs",
    rooms: Array.from({ length: rooms }, (_, i) => ({
      sender: endpoint(`s${i}`),
      receiver: endpoint(`r${i}`),
    })),
    everyMs: (rooms / MESSAGES_PER_SECOND) * 1000,
    durationMs: DURATION_MS,
    messageBytes: MESSAGE_BYTES,
  };
}

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
