/**
 * The app as Deno Deploy runs it: `deno serve --parallel main.ts` with
 * `DENO_DEPLOYMENT_ID` set, no `KV_PATH` and no permission to write a file.
 * The store is then `Deno.openKv()` and call messages go through the KV
 * relay, the BroadcastChannel unused: a whole visit with the patient and the
 * doctor on different isolates proves that relay, and SIGTERM closes the
 * call sockets with 1001 or 1012 (reconnect at once).
 */
import assert from "node:assert/strict";
import { CLOSE } from "@/lib/protocol/messages.ts";
import { ADMIN, type TestServer } from "./helpers/server.ts";
import { openVisitNow, type SignalClient } from "./helpers/signal_client.ts";
import { handshake, joinAcrossIsolates } from "./helpers/room_pair.ts";
import { appPermissions } from "./helpers/permissions.ts";
import { freePort } from "./helpers/ports.ts";
import { stopServer, waitUntilUp } from "./helpers/launch.ts";

const root = new URL("../", import.meta.url);

/**
 * Where Deno keeps the path-less store of a `--location`: a folder named by
 * the SHA-256 of the origin, under the Deno folder's origin storage.
 */
async function defaultStoreOf(origin: string): Promise<string> {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
  }).output();
  const { originStorage } = JSON.parse(new TextDecoder().decode(info.stdout));
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(origin),
  );
  const hex = [...new Uint8Array(digest)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${originStorage}/${hex}`;
}

/**
 * The patient and the doctor of `visit` joined, on different isolates. Each
 * doctor socket that lands on the patient's isolate is replaced by the next
 * one; on a busy machine the second isolate may still be starting, so this
 * keeps trying for a while rather than a fixed number of times.
 */
interface DeployLike {
  url: string;
  /** Stops it with SIGTERM (failing if it does not stop) and checks its output. */
  stop(): Promise<{ stdout: string; stderr: string }>;
  /** Sends SIGTERM and nothing more. */
  terminate(): void;
}

/**
 * `main.ts` as Deno Deploy starts it, on two isolates: `DENO_DEPLOYMENT_ID`
 * set, no `KV_PATH`, the start task's permissions but reading `static/` alone
 * (the path-less store needs no permission) and writing nothing at all.
 */
async function startAsOnDeploy(): Promise<DeployLike> {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  // `Deno.openKv()` without a path keys its store by the project's deno.json,
  // the same for every run here; a location of its own keeps this store
  // apart from a developer's, in a folder removed at the end.
  const location = `http://deploy-mode-${crypto.randomUUID()}.invalid`;
  const store = await defaultStoreOf(location);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "serve",
      ...appPermissions().filter((f) => !/^--allow-(read|write)=/.test(f)),
      "--allow-read=static",
      "--deny-write",
      `--location=${location}`,
      "--parallel",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "main.ts",
    ],
    cwd: root,
    env: {
      DENO_JOBS: "2",
      DENO_DEPLOYMENT_ID: "test-deployment",
      // Empty is unset for the app: nothing from this shell chooses for it.
      KV_PATH: "",
      SIGNAL_RELAY: "",
      REDIS_URL: "",
      PUBLIC_URL: url,
      ICE_SERVERS: "[]",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: "info",
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  const terminate = () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // it has stopped already
    }
  };
  const stop = async () => {
    const stopped = await stopServer(child);
    const [stdout, stderr] = await output;
    // The app's store was Deno's own path-less one, like the project's KV.
    const storeFound = await Deno.stat(store).then(() => true, () => false);
    await Deno.remove(store, { recursive: true }).catch(() => {});
    assert.ok(stopped, "the server did not stop on SIGTERM");
    assert.ok(storeFound, `no store at ${store}:\n${stdout}\n${stderr}`);
    // A refused write would show here (and fail what the test did).
    assert.doesNotMatch(stderr, /NotCapable|"level":"error"/, stderr);
    return { stdout, stderr };
  };
  try {
    await waitUntilUp(`${url}/login`);
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return { url, stop, terminate };
}

Deno.test("as on Deno Deploy: a whole visit across isolates over the KV relay, no file written", async () => {
  const app = await startAsOnDeploy();
  const sockets: SignalClient[] = [];
  let stdout = "", stderr = "";
  try {
    const server = { url: app.url } as TestServer;
    // Nothing in this visit can have been written to a file: with
    // --deny-write a write throws, and the visit would fail.
    const visit = await openVisitNow(server);
    const { patient, doctor } = await joinAcrossIsolates(visit, sockets);
    await handshake(patient, doctor);
    doctor.send({ type: "chat", text: "How are you feeling?" });
    const toPatient = await patient.next("chat");
    assert.equal(toPatient.text, "How are you feeling?");
    assert.equal(toPatient.from, "doctor");
    patient.send({ type: "chat", text: "Better, thank you." });
    const toDoctor = await doctor.next("chat");
    assert.equal(toDoctor.text, "Better, thank you.");
    assert.equal(toDoctor.from, "patient");
    doctor.send({ type: "end-session" });
    assert.equal((await patient.next("session-ended")).by, "doctor");
    assert.equal((await doctor.next("session-ended")).by, "doctor");
  } finally {
    for (const s of sockets) await s.close();
    ({ stdout, stderr } = await app.stop());
  }
  assert.match(stderr, /with 2 threads/);
  // Each isolate's lines begin with its name, then the JSON log line.
  const relays = stdout.split("\n").filter((l) => l.includes("relay.ready"))
    .map((l) => JSON.parse(l.slice(l.indexOf("{"))).relay);
  assert.deepEqual(relays, ["kv", "kv"], stdout);
});

Deno.test("as on Deno Deploy: SIGTERM tells the calls on every isolate to reconnect at once (1001 or 1012)", async () => {
  const app = await startAsOnDeploy();
  const sockets: SignalClient[] = [];
  try {
    const visit = await openVisitNow({ url: app.url } as TestServer);
    const { patient, doctor } = await joinAcrossIsolates(visit, sockets);
    app.terminate();
    const closed = [await patient.closed, await doctor.closed];
    // `deno serve`'s own shutdown closes WebSockets with 1001 before the
    // app's 1012 gets out; the Call page reconnects at once on either.
    const atOnce: number[] = [CLOSE.goingAway, CLOSE.restart];
    for (const c of closed) {
      assert.ok(
        atOnce.includes(c.code),
        `the call sockets were closed with ${JSON.stringify(closed)}`,
      );
    }
  } finally {
    for (const s of sockets) await s.close();
    await app.stop();
  }
});
