/**
 * The call flows 1 to 5 under `deno serve --parallel`, with the patient and
 * the doctor on different isolates: membership in Deno KV and messages over
 * the BroadcastChannel relay.
 */
import assert from "node:assert/strict";
import { Client } from "./helpers/server.ts";
import { openVisitNow, type SignalClient } from "./helpers/signal_client.ts";
import { handshake, joinAcrossIsolates } from "./helpers/room_pair.ts";
import type { TestServer } from "./helpers/server.ts";
import { serveParallel } from "./helpers/launch.ts";

Deno.test("flows 1-5 with the two participants on different isolates", async () => {
  const dir = await Deno.makeTempDir();
  const { url, child } = await serveParallel(dir, {
    env: { LOG_LEVEL: "warn" },
  });
  const sockets: SignalClient[] = [];
  try {
    const server = { url } as TestServer;
    const visit = await openVisitNow(server, await new Client(url).signIn());

    // 1-2. The patient waits, on whichever isolate took the connection;
    // the doctor joins on the other one.
    const { patient, doctor } = await joinAcrossIsolates(visit, sockets);

    // 3. Handshake across isolates.
    await handshake(patient, doctor);

    // 4. Chat.
    doctor.send({ type: "chat", text: "across isolates" });
    const chat = await patient.next("chat");
    assert.equal(chat.text, "across isolates");
    assert.equal(chat.from, "doctor");

    // 5. The doctor leaves.
    doctor.send({ type: "leave-room" });
    assert.deepEqual(await patient.next("peer-left"), {
      type: "peer-left",
      peer: "doctor",
      reason: "left",
    });
  } finally {
    for (const s of sockets) await s.close();
    try {
      child.kill("SIGTERM");
    } catch {
      // it has stopped already; its status says how
    }
    const status = await child.status;
    assert.ok(
      status.signal === "SIGTERM" || status.success,
      `the server stopped: ${JSON.stringify(status)}`,
    );
    await Deno.remove(dir, { recursive: true });
  }
});
