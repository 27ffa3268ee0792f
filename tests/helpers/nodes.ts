/**
 * The app as several real processes ("nodes") sharing one Deno KV file, as
 * a clinic runs it behind a load balancer: each is the built server
 * (`deno task build` makes `build/server/start.js` from `start.ts`) with the
 * start task's permissions, on its own free port with its own public URL.
 * What each prints is kept, for a test that reads a node's error message
 * or a failing test that shows it.
 *
 * @module
 */
import { ADMIN } from "./server.ts";
import { appPermissions } from "./permissions.ts";
import { freePort } from "./ports.ts";
import { BUILT_SERVER } from "@/lib/web/build.ts";
import { stopServer, waitUntilUp } from "./launch.ts";
import { type RedisServer, startRedis } from "./redis_server.ts";

export interface Node {
  url: string;
  port: number;
  child: Deno.ChildProcess;
  /** Settles when the process has ended. */
  stopped: Promise<Deno.CommandStatus>;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  /** Sends a signal; SIGTERM is a clean shutdown, SIGKILL a crash. */
  kill(signal?: Deno.Signal): void;
}

/** Starts one node; it may end at once (a bad setting): see `stopped`. */
export function startNode(
  kvDir: string,
  env: Record<string, string> = {},
  port = freePort(),
): Node {
  const url = `http://127.0.0.1:${port}`;
  const kvPath = `${kvDir}/clinic.kv`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...appPermissions(kvPath), BUILT_SERVER],
    cwd: new URL("../../", import.meta.url),
    env: {
      HOSTNAME: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: url,
      KV_PATH: kvPath,
      ICE_SERVERS: "[]",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: "warn",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let printed = "";
  const keep = async (stream: ReadableStream<Uint8Array<ArrayBuffer>>) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      printed += text;
    }
  };
  const reading = Promise.all([keep(child.stdout), keep(child.stderr)]);
  const stopped = reading.then(() => child.status);
  return {
    url,
    port,
    child,
    stopped,
    output: () => printed,
    kill(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch {
        // it has ended already
      }
    },
  };
}

/** Stops a node cleanly, or kills it if it does not stop within 5 s. */
export async function stopNode(node: Node) {
  await stopServer(node.child, 5000, node.stopped);
}

export interface Nodes {
  nodes: Node[];
  dir: string;
  kvPath: string;
  close(): Promise<void>;
}

/**
 * `count` nodes on one KV file, up and answering; the first is started
 * alone, so that it creates the first doctor.
 */
export async function startNodes(
  count: number,
  env: Record<string, string> = {},
): Promise<Nodes> {
  const dir = await Deno.makeTempDir();
  const nodes: Node[] = [];
  const close = async () => {
    await Promise.all(nodes.map(stopNode));
    await Deno.remove(dir, { recursive: true });
  };
  try {
    for (let i = 0; i < count; i++) {
      const node = startNode(dir, env);
      nodes.push(node);
      const up = waitUntilUp(`${node.url}/login`);
      const ended = node.stopped.then((status) => {
        throw new Error(
          `node ${i} ended (${status.code}):\n${node.output()}`,
        );
      });
      await Promise.race([up, ended]);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { nodes, dir, kvPath: `${dir}/clinic.kv`, close };
}

/** `count` nodes whose call messages go through a Redis of their own. */
export async function startNodesOverRedis(
  count: number,
  env: Record<string, string> = {},
): Promise<Nodes & { redis: RedisServer }> {
  const redis = await startRedis();
  try {
    const cluster = await startNodes(count, {
      SIGNAL_RELAY: "redis",
      REDIS_URL: redis.url,
      ...env,
    });
    return {
      ...cluster,
      redis,
      async close() {
        await cluster.close();
        await redis.close();
      },
    };
  } catch (error) {
    await redis.close();
    throw error;
  }
}
