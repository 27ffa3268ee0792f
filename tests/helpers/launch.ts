/**
 * Starting the app as its own process, as the tests of several isolates and
 * the benchmarks need it: waiting until it answers, and `deno serve
 * --parallel` with two isolates on one Deno KV file.
 *
 * @module
 */
import { ADMIN } from "./server.ts";
import { appPermissions } from "./permissions.ts";
import { freePort } from "./ports.ts";

/** Waits until something answers at `url` (any status), or throws. */
export async function waitUntilUp(url: string, seconds = 30) {
  const giveUpAt = Date.now() + seconds * 1000;
  while (Date.now() < giveUpAt) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not start in ${seconds} s`);
}

/**
 * Waits until the child's server answers at `url`; if it never does, the
 * child is killed before the error goes on, so no server is left running.
 */
export async function upOrKilled(child: Deno.ChildProcess, url: string) {
  try {
    await waitUntilUp(url);
  } catch (error) {
    child.kill("SIGKILL");
    await child.status;
    throw error;
  }
}

export interface ParallelServer {
  url: string;
  child: Deno.ChildProcess;
}

/**
 * The app under `deno serve --parallel` with two isolates, its KV file in
 * `dir`, the test doctor as first account, on a free port; answers once it
 * is up.
 */
export async function serveParallel(
  dir: string,
  options: {
    env?: Record<string, string>;
    stdout?: "piped" | "null";
    stderr?: "piped" | "inherit";
  } = {},
): Promise<ParallelServer> {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "serve",
      ...appPermissions(`${dir}/clinic.kv`),
      "--parallel",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "main.ts",
    ],
    cwd: new URL("../../", import.meta.url),
    env: {
      DENO_JOBS: "2",
      KV_PATH: `${dir}/clinic.kv`,
      PUBLIC_URL: url,
      ICE_SERVERS: "[]",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ...options.env,
    },
    stdout: options.stdout ?? "null",
    stderr: options.stderr ?? "inherit",
  }).spawn();
  await upOrKilled(child, `${url}/login`);
  return { url, child };
}

/**
 * What `deno task start` printed up to its "listening" line (or until its
 * output ended), read from a child started with `stdout: "piped"`; the
 * reader is returned to be cancelled when the test is done.
 */
export async function startOutput(child: Deno.ChildProcess) {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("Clinic video visits:")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  return { out, reader };
}

/**
 * Stops a server as a supervisor would: SIGTERM, then SIGKILL if it has not
 * ended (`ended`, its status by default) within `ms`. Answers whether
 * SIGTERM was enough, so that a server that ignores it fails the test
 * instead of hanging it.
 */
export async function stopServer(
  child: Deno.ChildProcess,
  ms = 10_000,
  ended: Promise<unknown> = child.status,
): Promise<boolean> {
  try {
    child.kill("SIGTERM");
  } catch {
    // it has stopped already
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopped = await Promise.race([
    ended.then(() => true),
    new Promise<boolean>((r) => timer = setTimeout(() => r(false), ms)),
  ]);
  clearTimeout(timer);
  if (!stopped) {
    child.kill("SIGKILL");
    await ended;
  }
  return stopped;
}

/**
 * Waits until `ready` answers true, checking every 50 ms, or throws saying
 * that `what` did not start.
 */
export async function waitForReady(
  ready: () => Promise<boolean>,
  what: string,
  seconds = 10,
) {
  for (let i = 0; i < seconds * 20; i++) {
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(await ready())) throw new Error(`${what} did not start`);
}

/** Kills a helper server at once (a crash, as far as it knows) and waits for it. */
export async function killNow(child: Deno.ChildProcess | null) {
  if (!child) return;
  try {
    child.kill("SIGKILL");
  } catch {
    // already gone
  }
  await child.status;
}
