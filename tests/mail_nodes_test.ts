/**
 * Reminders from two app processes sharing one Deno KV file, each sweeping
 * the outbox every 0.2 s: every reminder reaches the patient once, and a
 * cancelled visit gets none. The reminders are 10 and 9.95 minutes before
 * a visit booked 10 minutes and a few seconds ahead.
 */
import assert from "node:assert/strict";
import { Client } from "./helpers/server.ts";
import { startNode, startNodes, stopNode } from "./helpers/nodes.ts";
import { waitUntilUp } from "./helpers/launch.ts";
import { NO_SMTP, startSmtpServer } from "./helpers/smtp_server.ts";

Deno.test({
  name:
    "mail: two servers send each reminder once, and none for a cancelled visit",
  ignore: NO_SMTP,
  async fn() {
    const smtp = await startSmtpServer();
    const cluster = await startNodes(2, {
      ...smtp.env,
      MAIL_SWEEP_SECONDS: "0.2",
      REMINDER_MINUTES: "10,9.95",
    });
    try {
      const [a, b] = cluster.nodes;
      const doctorA = await new Client(a.url).signIn();
      const doctorB = await new Client(b.url).signIn();
      const startsAt = new Date(Date.now() + 10 * 60_000 + 4000).toISOString();
      const book = async (doctor: Client, email: string) => {
        const res = await doctor.json("/api/appointments", {
          patientName: "Ada Lovelace",
          patientEmail: email,
          startsAt,
          durationMinutes: 20,
        });
        assert.equal(res.status, 201);
        return await res.json();
      };
      const kept = await book(doctorA, "ada@example.org");
      const cancelled = await book(doctorB, "grace@example.org");
      const gone = await doctorA.fetch(`/api/appointments/${cancelled.id}`, {
        method: "DELETE",
      });
      assert.equal(gone.status, 200);

      const to = (address: string) => (m: { headers: Map<string, string> }) =>
        m.headers.get("x-rcptto") === address;
      // The invitation, then the two reminders (3 s apart).
      await smtp.waitFor(to("ada@example.org"), 3, 60);
      const statuses = async () =>
        (await (await doctorB.fetch(`/api/appointments/${kept.id}/messages`))
          .json()).items as { kind: string; status: string }[];
      for (let i = 0; i < 100; i++) {
        const items = await statuses();
        if (items.every((m) => m.status === "sent")) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      // A few more sweeps of both servers: nothing goes twice.
      await new Promise((r) => setTimeout(r, 2000));
      const toAda = (await smtp.received()).filter(to("ada@example.org"));
      assert.equal(toAda.length, 3, "one invitation and two reminders");
      const items = await statuses();
      assert.deepEqual(
        items.map((m) => `${m.kind}:${m.status}`).sort(),
        ["invitation:sent", "reminder:sent", "reminder:sent"],
      );
      const graceItems = (await (await doctorB.fetch(
        `/api/appointments/${cancelled.id}/messages`,
      )).json()).items as { kind: string; status: string; reason?: string }[];
      const sentToGrace = graceItems.filter((m) => m.status === "sent");
      // The invitation may have gone before the cancellation, or been skipped.
      assert.ok(sentToGrace.some((m) => m.kind === "cancelled"));
      assert.ok(sentToGrace.every((m) => m.kind !== "reminder"));
      const toGrace = (await smtp.received()).filter(to("grace@example.org"));
      assert.equal(toGrace.length, sentToGrace.length, "no reminder arrived");
      const reminders = graceItems.filter((m) => m.kind === "reminder");
      assert.equal(reminders.length, 2);
      assert.ok(reminders.every((m) => m.status === "skipped"));
      assert.ok(reminders.every((m) => /cancelled/.test(m.reason ?? "")));
    } finally {
      await cluster.close();
      await smtp.close();
    }
  },
});

Deno.test({
  name:
    "mail: a reminder due while the server was down is sent once after it starts again",
  ignore: NO_SMTP,
  async fn() {
    const smtp = await startSmtpServer();
    const env = {
      ...smtp.env,
      MAIL_SWEEP_SECONDS: "0.2",
      REMINDER_MINUTES: "10,9.9",
    };
    const cluster = await startNodes(1, env);
    try {
      const doctor = await new Client(cluster.nodes[0].url).signIn();
      // Reminders due about 6 s and 12 s from now.
      const startsAt = new Date(Date.now() + 10 * 60_000 + 6000).toISOString();
      const res = await doctor.json("/api/appointments", {
        patientName: "Ada Lovelace",
        patientEmail: "ada@example.org",
        startsAt,
        durationMinutes: 20,
      });
      assert.equal(res.status, 201);
      const visit = await res.json();
      const toAda = (m: { headers: Map<string, string> }) =>
        m.headers.get("x-rcptto") === "ada@example.org";
      await smtp.waitFor(toAda, 1, 30);

      // The server stops before the first reminder is due, and stays down
      // until it is.
      await stopNode(cluster.nodes[0]);
      const dueAt = Date.parse(startsAt) - 10 * 60_000;
      await new Promise((r) =>
        setTimeout(r, Math.max(0, dueAt - Date.now()) + 1000)
      );
      assert.equal((await smtp.received()).filter(toAda).length, 1);

      const again = startNode(cluster.dir, env);
      cluster.nodes.push(again);
      await waitUntilUp(`${again.url}/login`);
      await smtp.waitFor(toAda, 3, 60);
      // More sweeps: nothing goes twice.
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal((await smtp.received()).filter(toAda).length, 3);
      const signedIn = await new Client(again.url).signIn();
      const items = (await (await signedIn.fetch(
        `/api/appointments/${visit.id}/messages`,
      )).json()).items as { kind: string; status: string }[];
      assert.deepEqual(
        items.map((m) => `${m.kind}:${m.status}`).sort(),
        ["invitation:sent", "reminder:sent", "reminder:sent"],
      );
    } finally {
      await cluster.close();
      await smtp.close();
    }
  },
});
