/**
 * Starting the app as `deno task start` does (after its build): a first
 * start on an empty store prints a one-time setup link, a `KV_PATH` outside
 * the repository works with the task's narrow permissions, and a bad setting
 * stops the start with a message that names it and no stack trace.
 */
import assert from "node:assert/strict";
import { loadConfig } from "@/lib/config.ts";
import { ADMIN, Client } from "./helpers/server.ts";
import { DEFAULT_KV_PATH, START_COMMAND } from "./helpers/permissions.ts";
import { freePort } from "./helpers/ports.ts";
import { startOutput } from "./helpers/launch.ts";

const root = new URL("../", import.meta.url);

/** `deno task start` minus the build, with these settings. */
function startTask(env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: START_COMMAND.slice(1),
    cwd: root,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  });
}

/**
 * The start task running, with what it printed until it listened, and how
 * to stop it (the task passes SIGTERM on to the server), which gives what
 * it wrote to stderr; it fails with that if the server stopped by itself.
 */
async function startListening(env: Record<string, string>) {
  const child = startTask(env).spawn();
  const errors = new Response(child.stderr).text();
  const { out, reader } = await startOutput(child);
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // it has stopped already
    }
    await reader.cancel();
    await child.status;
    return await errors;
  };
  if (!out.includes("Clinic video visits:")) {
    assert.fail(`the server stopped:\n${out}\n${await stop()}`);
  }
  return { out, stop };
}

Deno.test("a first start without an admin prints a working setup link", async () => {
  const dir = await Deno.makeTempDir();
  const port = freePort();
  const { out, stop } = await startListening({
    PORT: String(port),
    KV_PATH: `${dir}/clinic.kv`,
  }).catch(async (error) => {
    await Deno.remove(dir, { recursive: true });
    throw error;
  });
  try {
    const link = /(http:\/\/127\.0\.0\.1:\d+\/setup\/[A-Za-z0-9_-]{43})/.exec(
      out,
    )?.[1];
    assert.ok(link, out);
    const page = await fetch(link);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Create the first doctor account/);
    const wrong = await fetch(
      link.slice(0, -1) + (link.endsWith("A") ? "B" : "A"),
    );
    assert.equal(wrong.status, 404);
    await wrong.body?.cancel();
  } finally {
    await stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("KV_PATH may name a file outside the repository: the task grants that file", async () => {
  // A folder of its own outside the repository, as a clinic would choose.
  const dir = await Deno.makeTempDir({ prefix: "clinic-store-" });
  const kvPath = `${dir}/visits.kv`;
  const port = freePort();
  const { out, stop } = await startListening({
    PORT: String(port),
    KV_PATH: kvPath,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: "warn",
  }).catch(async (error) => {
    await Deno.remove(dir, { recursive: true });
    throw error;
  });
  try {
    assert.match(out, /Created the clinic's first doctor account/, out);
    const url = /Clinic video visits: (http:\/\/\S+?)\/ /.exec(out)?.[1];
    assert.ok(url, out);
    const login = await fetch(`${url}/login`);
    assert.equal(login.status, 200);
    assert.match(await login.text(), /Doctor sign-in/);
    const doctor = await new Client(url).signIn();
    const dashboard = await doctor.fetch("/dashboard");
    assert.equal(dashboard.status, 200);
    await dashboard.body?.cancel();
    assert.ok((await Deno.stat(kvPath)).isFile, "the store is at KV_PATH");
  } finally {
    const stderr = await stop();
    await Deno.remove(dir, { recursive: true });
    assert.doesNotMatch(stderr, /NotCapable|error/i, stderr);
  }
});

Deno.test("the start task's default KV_PATH is the app's own default", () => {
  assert.equal(DEFAULT_KV_PATH, loadConfig({}).kvPath);
});

Deno.test("an invalid setting stops the start, naming it, without a stack trace", async () => {
  const out = await startTask({
    PORT: "eighty",
    KV_PATH: ":memory:",
    CLINIC_COLOUR: "green",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 1);
  assert.match(stderr, /Invalid configuration/);
  assert.match(stderr, /PORT:/);
  assert.match(stderr, /CLINIC_COLOUR:/);
  assert.doesNotMatch(stderr, /\n\s+at /);
});

Deno.test("a KV_PATH in a folder that does not exist stops the start, naming KV_PATH, without a stack trace", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = await startTask({
      PORT: "0",
      KV_PATH: `${dir}/no-such-folder/clinic.kv`,
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 1);
    assert.match(
      stderr,
      /Cannot open the Deno KV store .*no-such-folder.* \(KV_PATH\)/,
    );
    assert.doesNotMatch(stderr, /\n\s+at /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a second signal while the server stops is not a second stop", async () => {
  const dir = await Deno.makeTempDir();
  const port = freePort();
  const child = startTask({
    PORT: String(port),
    KV_PATH: `${dir}/clinic.kv`,
    LOG_LEVEL: "warn",
  }).spawn();
  const errors = new Response(child.stderr).text();
  const { out, reader } = await startOutput(child);
  try {
    assert.match(out, /Clinic video visits:/, out);
    // A sign-in whose form never finishes arriving keeps the stop waiting
    // for the responses under way, so the second signal comes mid-stop.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("email=a"));
      },
    });
    const pending = fetch(`http://127.0.0.1:${port}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
      duplex: "half",
    } as RequestInit).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGINT");
    const status = await child.status;
    await pending;
    const stderr = await errors;
    assert.doesNotMatch(stderr, /Uncaught/, stderr);
    assert.equal(status.code, 0, stderr);
  } finally {
    await reader.cancel();
    await Deno.remove(dir, { recursive: true });
  }
});
