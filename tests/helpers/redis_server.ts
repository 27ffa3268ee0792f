/**
 * A real Redis from Debian's `redis-server` for the tests of several
 * servers: on 127.0.0.1, a free port, persistence off, its files in a temp
 * folder. It can be stopped and started again on the same port, as a
 * broker restart mid-call is. Without `redis-server` the tests are skipped
 * with a loud message locally, and fail in CI.
 *
 * @module
 */
import { freePort } from "./ports.ts";
import { killNow, waitForReady } from "./launch.ts";

const REDIS_SERVER = Deno.env.get("REDIS_SERVER_PATH") ??
  "/usr/bin/redis-server";

export function hasRedis(): boolean {
  try {
    return Deno.statSync(REDIS_SERVER).isFile;
  } catch {
    return false;
  }
}

const inCI = Deno.env.get("CI") === "true";
/** Tests that need Redis are skipped without it, except in CI. */
export const NO_REDIS = !hasRedis() && !inCI;
if (NO_REDIS) {
  console.warn(
    "\n!!! Redis tests SKIPPED: no redis-server found (set REDIS_SERVER_PATH, or apt-get install redis-server).\n",
  );
}

export interface RedisServer {
  url: string;
  port: number;
  /** Stops it (as a crash or restart would), keeping the port for `start`. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Whether a Redis answers PING on the port now. */
export async function answers(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(new TextEncoder().encode("PING\r\n"));
      const buffer = new Uint8Array(16);
      const n = await conn.read(buffer);
      return new TextDecoder().decode(buffer.subarray(0, n ?? 0)) ===
        "+PONG\r\n";
    } finally {
      conn.close();
    }
  } catch {
    return false;
  }
}

/**
 * Sends one command as any Redis client could (`PUBLISH`, `PUBSUB`), and
 * answers the reply's text lines, without the protocol's type markers.
 */
export async function redisCommand(
  port: number,
  ...args: string[]
): Promise<string[]> {
  const encoder = new TextEncoder();
  const command = `*${args.length}\r\n` +
    args.map((a) => `$${encoder.encode(a).length}\r\n${a}\r\n`).join("");
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(encoder.encode(command));
    const buffer = new Uint8Array(64 * 1024);
    const n = await conn.read(buffer);
    return new TextDecoder().decode(buffer.subarray(0, n ?? 0)).split("\r\n")
      .filter((line) => line && !/^[*$]/.test(line));
  } finally {
    conn.close();
  }
}

export async function startRedis(): Promise<RedisServer> {
  if (!hasRedis()) {
    throw new Error("redis-server is required in CI; install redis-server");
  }
  const port = freePort();
  const dir = await Deno.makeTempDir();
  let child: Deno.ChildProcess | null = null;
  const start = async () => {
    child = new Deno.Command(REDIS_SERVER, {
      args: [
        "--bind",
        "127.0.0.1",
        "--port",
        String(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
        "--logfile",
        `${dir}/redis.log`,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await waitForReady(() => answers(port), "redis-server", 5);
  };
  const stop = async () => {
    const running: Deno.ChildProcess | null = child;
    child = null;
    await killNow(running);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async close() {
      await stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
