/**
 * Redis away, as real processes meet it: a server started without a
 * reachable Redis stops at once and says why, rather than run calls that
 * cannot connect; a join while Redis is down is refused with
 * `relay_unavailable` and a 1013 close (the browser retries), and once
 * Redis is back joins and calls between two servers work again.
 */
import assert from "node:assert/strict";
import { CLOSE } from "@/lib/protocol/messages.ts";
import { startNode, startNodesOverRedis, stopNode } from "./helpers/nodes.ts";
import { freePort } from "./helpers/ports.ts";
import { NO_REDIS } from "./helpers/redis_server.ts";
import {
  doctorTicket,
  join,
  openVisitNow,
  patientTicket,
  type SignalClient,
  type Visit,
} from "./helpers/signal_client.ts";

/** How long a server may take to give up on Redis before the test fails. */
const GIVE_UP_MS = 30_000;

Deno.test("a server whose Redis cannot be reached stops at start and names REDIS_URL", async () => {
  const dir = await Deno.makeTempDir();
  const port = freePort(); // nobody listens here
  const node = startNode(dir, {
    SIGNAL_RELAY: "redis",
    REDIS_URL: `redis://127.0.0.1:${port}`,
  });
  // A server that hangs instead of stopping fails the test, not the run.
  const timer = setTimeout(() => node.kill("SIGKILL"), GIVE_UP_MS);
  try {
    const status = await node.stopped;
    const output = node.output();
    assert.notEqual(status.code, 0, output);
    assert.equal(status.signal, null, `it was killed:\n${output}`);
    assert.match(output, /Cannot reach Redis/);
    assert.ok(output.includes("REDIS_URL"), output);
    assert.ok(output.includes(`127.0.0.1:${port}`), output);
    const events = output.split("\n").filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line));
    assert.ok(
      events.some((e) => e.event === "relay.unavailable"),
      `no relay.unavailable log line:\n${output}`,
    );
  } finally {
    clearTimeout(timer);
    await stopNode(node);
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * Joins with fresh tickets until the server lets the socket in (Redis may
 * take a moment to be heard again); only `relay_unavailable` is retried.
 */
async function joinOnceBack(
  ticket: () => ReturnType<typeof patientTicket>,
): Promise<SignalClient> {
  const giveUpAt = Date.now() + GIVE_UP_MS;
  while (true) {
    const client = await join(await ticket());
    const first = await client.next();
    if (first.type === "joined") return client;
    assert.equal(first.code, "relay_unavailable", JSON.stringify(first));
    assert.equal((await client.closed).code, CLOSE.tryLater);
    if (Date.now() > giveUpAt) throw new Error("Redis was never heard again");
    await new Promise((r) => setTimeout(r, 200));
  }
}

Deno.test({
  name:
    "while Redis is down a join is refused with relay_unavailable and 1013; once back, calls connect across servers",
  ignore: NO_REDIS,
  async fn() {
    const { nodes, redis, close } = await startNodesOverRedis(2);
    try {
      const [patientNode, doctorNode] = nodes;
      const visit: Visit = await openVisitNow({
        url: doctorNode.url,
        patientUrl: patientNode.url,
      });
      // The ticket comes from the patient's node and its socket goes there.
      assert.ok(visit.visitUrl.startsWith(patientNode.url));

      await redis.stop();
      const refused = await join(await patientTicket(visit));
      const error = await refused.next("error");
      assert.equal(error.code, "relay_unavailable");
      assert.equal((await refused.closed).code, CLOSE.tryLater);

      await redis.start();
      const patient = await joinOnceBack(() => patientTicket(visit));
      assert.equal((await patient.next()).type, "waiting-for-peer");
      const doctor = await joinOnceBack(() => doctorTicket(visit));
      assert.equal((await doctor.next()).type, "peer-joined");
      await patient.next("peer-joined");

      // The doctor's offer crosses from the doctor's node to the patient's.
      doctor.send({ type: "offer", sdp: "v=0 after the restart" });
      const offer = await patient.next("offer");
      assert.equal(offer.sdp, "v=0 after the restart");
      assert.equal(offer.from, "doctor");
      patient.send({ type: "answer", sdp: "v=0 answered" });
      assert.equal((await doctor.next("answer")).sdp, "v=0 answered");

      await patient.close();
      await doctor.close();
    } finally {
      await close();
    }
  },
});
