/**
 * Where a signaling test runs. Each test runs three times: on one server in
 * the test's own process, and on two real server processes sharing one
 * Deno KV file, the patient's socket on one and the doctor's on the other,
 * with call messages over Redis, then over Deno KV. What passes on one
 * server must pass across servers.
 *
 * @module
 */
import { openStore } from "@/lib/store/kv.ts";
import { startNodes, startNodesOverRedis } from "./nodes.ts";
import { NO_REDIS } from "./redis_server.ts";
import { startServer } from "./server.ts";

/** The clinic as a signaling test sees it. */
export interface RunningClinic {
  /** Where the doctor signs in and schedules. */
  url: string;
  /** Where the patient's visit link points, if not `url`. */
  patientUrl?: string;
  /** The clinic's store, to look at what a test did. */
  kv: Deno.Kv;
  close(): Promise<void>;
}

export type StartClinic = (env?: Record<string, string>) => Promise<
  RunningClinic
>;

interface Layout {
  name: string;
  ignore: boolean;
  start: StartClinic;
}

/** Two nodes, the patient on the first and the doctor on the second. */
function twoNodes(relay: "redis" | "kv"): StartClinic {
  return async (env = {}) => {
    const { nodes, kvPath, close } = relay === "redis"
      ? await startNodesOverRedis(2, env)
      : await startNodes(2, { ...env, SIGNAL_RELAY: "kv" });
    const kv = await openStore(kvPath);
    return {
      url: nodes[1].url,
      patientUrl: nodes[0].url,
      kv,
      async close() {
        kv.close();
        await close();
      },
    };
  };
}

const LAYOUTS: Layout[] = [
  { name: "", ignore: false, start: startServer },
  { name: " [two nodes, Redis]", ignore: NO_REDIS, start: twoNodes("redis") },
  { name: " [two nodes, Deno KV]", ignore: false, start: twoNodes("kv") },
];

/** A signaling test, run in every layout. */
export function signalingTest(
  name: string,
  fn: (start: StartClinic, t: Deno.TestContext) => Promise<void>,
) {
  for (const layout of LAYOUTS) {
    Deno.test({
      name: name + layout.name,
      ignore: layout.ignore,
      fn: (t) => fn(layout.start, t),
    });
  }
}
