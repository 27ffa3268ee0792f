/**
 * The signaling servers of the benchmark, each started as its own process
 * on a free port: the clinic (`start.ts`, its KV in memory), the PeerJS
 * server (installed from npm into bench/.peerjs on first use) and the bare
 * Deno relay that is the floor (bench/floor/raw_relay.ts); and what the
 * benchmark reads of a server process from /proc: its CPU time and its
 * memory.
 *
 * @module
 */
import { freePort } from "@/tests/helpers/ports.ts";
import { upOrKilled, waitUntilUp } from "@/tests/helpers/launch.ts";
import { ADMIN } from "@/tests/helpers/server.ts";
import { BUILT_SERVER } from "@/lib/web/build.ts";

const root = new URL("../../", import.meta.url);
const PEERJS_DIR = new URL("bench/.peerjs/", root);
/** The clinic's keep-alive in the benchmark: a ping every this many seconds. */
export const CLINIC_KEEPALIVE_SECONDS = 20;

/** CPU seconds (user + system) the process has used so far. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in 1/100 s
}

/**
 * CPU seconds the process has used so far, to the nanosecond: the sum of
 * its threads' run time (`/proc/<pid>/task/<tid>/schedstat`). `cpuSeconds`
 * counts in ticks of 10 ms, a few per cent of a window of a few seconds.
 */
export async function threadCpuSeconds(
  pid: number,
): Promise<Map<number, number>> {
  const threads = new Map<number, number>();
  for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
    try {
      const stat = await Deno.readTextFile(
        `/proc/${pid}/task/${task.name}/schedstat`,
      );
      threads.set(Number(task.name), Number(stat.split(" ")[0]) / 1e9);
    } catch {
      // the thread ended meanwhile
    }
  }
  return threads;
}

/** A process's CPU time over a window, read at its start and its end. */
export interface CpuWindow {
  /** Reads the time used since the window opened, in seconds. */
  close(): Promise<number>;
}

/**
 * Opens a window on a process's CPU time: the threads' nanosecond sums,
 * unless a thread that ended inside the window took more than the ticks
 * can hide, when the coarser whole-process count is the truer one.
 */
export async function cpuWindow(pid: number): Promise<CpuWindow> {
  const ticksBefore = await cpuSeconds(pid);
  const before = await threadCpuSeconds(pid);
  return {
    async close() {
      const after = await threadCpuSeconds(pid);
      const ticks = await cpuSeconds(pid) - ticksBefore;
      let precise = 0;
      for (const [tid, seconds] of after) {
        precise += seconds - (before.get(tid) ?? 0);
      }
      return ticks - precise > 0.02 ? ticks : precise;
    },
  };
}

/** Redis's CPU seconds (user + system) so far, from `INFO cpu`. */
export async function redisCpuSeconds(port: number): Promise<number> {
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

/** CPU seconds the processes have used so far, together. */
export async function serversCpu(pids: number[]): Promise<number> {
  let sum = 0;
  for (const pid of pids) sum += await cpuSeconds(pid);
  return sum;
}

/** The memory the process holds now (resident set), in MB. */
export async function rssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** A server process under load, stopped with SIGKILL when done. */
export interface Server {
  kind: "clinic" | "peerjs" | "raw";
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/**
 * The clinic as `deno task serve` runs it (built), its KV in memory, with
 * the benchmark's doctor as first account; `env` adds settings (the call
 * page's test hooks, say).
 */
export async function startClinic(
  env: Record<string, string> = {},
): Promise<Server> {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", BUILT_SERVER],
    cwd: root,
    env: {
      PORT: String(port),
      KV_PATH: ":memory:",
      ICE_SERVERS: "[]",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: "warn",
      SIGNALING_KEEPALIVE_SECONDS: String(CLINIC_KEEPALIVE_SECONDS),
      // All the load comes from 127.0.0.1, up to 10,000 sockets at once.
      SIGNALING_MAX_SOCKETS_PER_ADDRESS: "10000",
      SIGNALING_MAX_SOCKETS: "20000",
      // The memory figure holds sockets open without joining.
      SIGNALING_JOIN_SECONDS: "120",
      ...env,
    },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  await upOrKilled(child, `${url}/login`);
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

/** The PeerJS server, with room for more sockets than the benchmark opens. */
export async function startPeerJs(): Promise<Server> {
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

/**
 * The floor: a bare Deno server that forwards between the two sockets of a
 * room (bench/floor/raw_relay.ts), with no more permissions than it needs.
 */
export async function startRawRelay(): Promise<Server> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      new URL("bench/floor/raw_relay.ts", root).pathname,
      String(port),
    ],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url);
  return {
    kind: "raw",
    pid: child.pid,
    url,
    async stop() {
      child.kill("SIGKILL");
      await child.status;
    },
  };
}

/** Signs the benchmark's doctor in at the clinic; answers the cookie. */
export async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/login`, {
    method: "POST",
    body: new URLSearchParams(ADMIN),
    redirect: "manual",
  });
  await res.body?.cancel();
  const cookie = res.headers.get("set-cookie");
  if (!cookie) throw new Error(`sign-in refused: ${res.status}`);
  return cookie.split(";")[0];
}

/** A response's JSON, or an error naming what answered otherwise. */
export async function okJson(res: Response, what: string) {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return await res.json();
}
