/**
 * A real coturn TURN relay on 127.0.0.1 for relay-only call tests, with the
 * TURN REST API shared secret (`use-auth-secret`). Without coturn the tests
 * are skipped with a loud message locally, and fail in CI.
 *
 * @module
 */
import { freePort } from "./ports.ts";

export const TURNSERVER = Deno.env.get("TURNSERVER_PATH") ??
  "/usr/bin/turnserver";

export function hasTurnServer(): boolean {
  try {
    return Deno.statSync(TURNSERVER).isFile;
  } catch {
    return false;
  }
}

export interface TurnServer {
  url: string;
  close(): Promise<void>;
}

export async function startTurn(secret: string): Promise<TurnServer> {
  const port = freePort();
  const dir = await Deno.makeTempDir();
  const child = new Deno.Command(TURNSERVER, {
    args: [
      "-n", // no configuration file
      "--listening-ip=127.0.0.1",
      "--relay-ip=127.0.0.1",
      `--listening-port=${port}`,
      "--min-port=49160",
      "--max-port=49400",
      "--use-auth-secret",
      `--static-auth-secret=${secret}`,
      "--realm=clinic.test",
      "--allow-loopback-peers",
      "--no-tls",
      "--no-dtls",
      "--no-cli",
      "--no-tcp-relay",
      `--pidfile=${dir}/turnserver.pid`,
      `--log-file=${dir}/turn.log`,
      "--simple-log",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  // coturn answers on UDP; give it a moment to bind, checking it is still alive.
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const log = await Deno.readTextFile(`${dir}/turn.log`).catch(() => "");
    if (/Total General servers/.test(log)) break;
  }
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    async close() {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(dir, { recursive: true });
    },
  };
}
