/**
 * The processes of the memory benchmark, each on its own free port and
 * stopped by its PID: the floor (bench/floor/raw_relay.ts), the clinic
 * (`start.ts`) on a Deno KV file, and the holder of the participants
 * (`hold_participants.ts`). A server counts as started when it prints that
 * it listens, so its idle memory is taken before any request reaches it.
 *
 * @module
 */
import { freePort } from "@/tests/helpers/ports.ts";
import { BUILT_SERVER } from "@/lib/web/build.ts";
import { ADMIN } from "@/tests/helpers/server.ts";
import type { HoldPlan, HoldStatus } from "./hold_participants.ts";

const root = new URL("../../", import.meta.url);

/** Reads a child's output line by line; the rest is drained, unread. */
class Lines {
  #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";

  constructor(stream: ReadableStream<Uint8Array<ArrayBuffer>>) {
    this.#reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** The first line that starts with `prefix`; earlier lines are skipped. */
  async until(prefix: string): Promise<string> {
    while (true) {
      const at = this.#buffer.indexOf("\n");
      if (at !== -1) {
        const line = this.#buffer.slice(0, at);
        this.#buffer = this.#buffer.slice(at + 1);
        if (line.startsWith(prefix)) return line;
        continue;
      }
      const { value, done } = await this.#reader.read();
      if (done) throw new Error(`the process ended before "${prefix}"`);
      this.#buffer += value;
    }
  }

  /**
   * Reads on in the background, so that the child never blocks writing;
   * with `to`, what is read is passed on.
   */
  drain(to?: (text: string) => void) {
    (async () => {
      try {
        if (this.#buffer) to?.(this.#buffer);
        while (true) {
          const { value, done } = await this.#reader.read();
          if (done) return;
          to?.(value);
        }
      } catch {
        // the child was stopped
      }
    })();
  }
}

/** A child's errors, passed on without the inspector's greetings. */
function passErrors(child: Deno.ChildProcess) {
  const inspectorSays = /^(Debugger listening|Visit chrome|Debugger session)/;
  new Lines(child.stderr).drain((text) => {
    const lines = text.split("\n").filter((l) => l && !inspectorSays.test(l));
    if (lines.length > 0) console.error(lines.join("\n"));
  });
}

/**
 * The process's resident memory by kind of mapping, in MB: malloc's main
 * heap ([heap]), anonymous mappings (V8's heap pages, other threads' malloc
 * arenas, large allocations) and files (the deno binary's pages, caches).
 */
export async function rssParts(pid: number) {
  const parts = { heap: 0, anonymous: 0, files: 0 };
  let kind: keyof typeof parts = "anonymous";
  for (
    const line of (await Deno.readTextFile(`/proc/${pid}/smaps`)).split("\n")
  ) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      const name = mapping[1];
      kind = name === "[heap]"
        ? "heap"
        : name === "" || name.startsWith("[")
        ? "anonymous"
        : "files";
    } else if (line.startsWith("Rss:")) {
      parts[kind] += Number(line.split(/\s+/)[1]) / 1024;
    }
  }
  return parts;
}

/** The JS heap after a full collection (`collect_on_signal.ts`), in bytes. */
export interface HeapReport extends Deno.MemoryUsage {
  spaces: Record<string, { size: number; used: number }>;
}

export interface Process {
  pid: number;
  url: string;
  /** Where its inspector listens, if it was started with one. */
  inspectPort?: number;
  /** Collects all its garbage; answers its heap's figures then. */
  collect(): Promise<HeapReport>;
  stop(signal?: Deno.Signal): Promise<void>;
}

/** Stops the server, and removes its report file. */
function stopped(child: Deno.ChildProcess, report: string) {
  const stop = stopper(child);
  return async (signal?: Deno.Signal) => {
    await stop(signal);
    await Deno.remove(report).catch(() => {});
  };
}

function stopper(child: Deno.ChildProcess) {
  return async (signal: Deno.Signal = "SIGKILL") => {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
    await child.status;
  };
}

/**
 * With `inspect`, the process's inspector listens on a free port, for heap
 * snapshots (Deno then reports every WebSocket frame to it, which costs
 * memory: no figure of the bench is taken with one).
 */
export interface StartOptions {
  inspect?: boolean;
}

/**
 * What a measured server is started with besides its own arguments: a
 * garbage collection on SIGUSR2 (`collect_on_signal.ts`), and an inspector
 * if asked; and how to ask for the collection.
 */
async function measured(options: StartOptions) {
  const report = await Deno.makeTempFile({ suffix: ".json" });
  const inspectPort = options.inspect ? freePort() : undefined;
  const args = [
    "--v8-flags=--expose-gc",
    `--preload=${new URL("collect_on_signal.ts", import.meta.url).pathname}`,
    ...(inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : []),
  ];
  let signals = 0;
  const collect = async (pid: number): Promise<HeapReport> => {
    signals++;
    Deno.kill(pid, "SIGUSR2");
    for (let i = 0; i < 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const text = await Deno.readTextFile(report);
      if (!text) continue;
      const heap = JSON.parse(text);
      if (heap.signal === signals) return heap;
    }
    throw new Error("the server did not collect its garbage");
  };
  return { report, inspectPort, args, collect };
}

/** A measured server that listens on `port`, as the bench drives it. */
function measuredProcess(
  child: Deno.ChildProcess,
  port: number,
  m: Awaited<ReturnType<typeof measured>>,
): Process {
  return {
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    inspectPort: m.inspectPort,
    collect: () => m.collect(child.pid),
    stop: stopped(child, m.report),
  };
}

/** The bare Deno relay: the floor every figure is measured against. */
export async function startFloor(
  options: StartOptions = {},
): Promise<Process> {
  const m = await measured(options);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env=MEMORY_REPORT",
      `--allow-write=${m.report}`,
      ...m.args,
      new URL("bench/floor/raw_relay.ts", root).pathname,
      "0",
    ],
    env: { MEMORY_REPORT: m.report },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  passErrors(child);
  const lines = new Lines(child.stdout);
  const port = Number((await lines.until("listening ")).split(" ")[1]);
  lines.drain();
  return measuredProcess(child, port, m);
}

/** The keep-alive interval the clinic runs with here: the default. */
export const KEEPALIVE_SECONDS = 5;

/**
 * The clinic as `deno task start` runs it, on the Deno KV file `kvPath`
 * (made on first start, with the benchmark's doctor as admin); answers
 * once it has printed that it listens.
 */
export async function startClinic(
  kvPath: string,
  options: StartOptions = {},
): Promise<Process> {
  const port = freePort();
  const m = await measured(options);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...m.args, BUILT_SERVER],
    cwd: root,
    env: {
      PORT: String(port),
      KV_PATH: kvPath,
      ICE_SERVERS: "[]",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: "warn",
      SIGNALING_KEEPALIVE_SECONDS: String(KEEPALIVE_SECONDS),
      // Every participant comes from 127.0.0.1.
      SIGNALING_MAX_SOCKETS_PER_ADDRESS: "10000",
      SIGNALING_MAX_SOCKETS: "20000",
      MEMORY_REPORT: m.report,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  passErrors(child);
  const lines = new Lines(child.stdout);
  await lines.until("Clinic video visits: ");
  lines.drain();
  return measuredProcess(child, port, m);
}

/** The holder of the participants, as its own process. */
export interface Holder {
  /** Takes the plan's seats (besides those held); answers once all are in. */
  hold(plan: HoldPlan): Promise<void>;
  status(): Promise<HoldStatus>;
  stop(): Promise<void>;
}

export function startHolder(): Holder {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("hold_participants.ts", import.meta.url).pathname,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = new Lines(child.stdout);
  const writer = child.stdin.getWriter();
  const tell = (line: string) =>
    writer.write(new TextEncoder().encode(`${line}\n`));
  return {
    async hold(plan) {
      const file = await Deno.makeTempFile({ suffix: ".json" });
      try {
        await Deno.writeTextFile(file, JSON.stringify(plan));
        await tell(`hold ${file}`);
        await lines.until("held ");
      } finally {
        await Deno.remove(file);
      }
    },
    async status() {
      await tell("status");
      return JSON.parse(await lines.until("{")) as HoldStatus;
    },
    async stop() {
      await writer.close().catch(() => {});
      await stopper(child)();
    },
  };
}
