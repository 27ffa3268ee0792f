/**
 * A visit through the real server, from the first join to the report: the
 * session is written as the call happens, ends once however often it is
 * ended, and closes by itself when everyone has gone.
 */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";
import {
  doctorTicket,
  join,
  openVisitNow,
  patientTicket,
} from "./helpers/signal_client.ts";

async function auditActions(server: { kv: Deno.Kv }, subject: string) {
  const actions: string[] = [];
  for await (
    const e of server.kv.list<{ action: string; subject: string }>({
      prefix: ["audit"],
    })
  ) {
    if (e.value.subject === subject) actions.push(e.value.action);
  }
  return actions;
}

Deno.test("a full visit ends in exactly one session and one report, with the right times", async () => {
  const server = await startServer();
  try {
    const visit = await openVisitNow(server);
    const before = Date.now();
    const patient = await join(await patientTicket(visit));
    await patient.next("waiting-for-peer");
    const doctor = await join(await doctorTicket(visit));
    await doctor.next("peer-joined");
    await patient.next("peer-joined");
    const bothIn = Date.now();

    patient.send({ type: "chat", text: "Hello doctor" });
    await doctor.next("chat");
    doctor.send({
      type: "quality",
      rttMs: 12,
      lossPercent: 0.5,
      jitterMs: 3,
      bitrateKbps: 900,
      relayed: false,
      rating: "good",
    });

    // The patient's connection drops and comes back.
    patient.ws.close();
    await doctor.next("peer-left");
    const back = await join(await patientTicket(visit));
    await back.next("joined");
    await doctor.next("peer-joined");

    const open = await visit.doctor.fetch(`/api/sessions/${visit.id}`);
    const live = await open.json();
    assert.equal(live.status, "open");
    assert.equal(live.participants.patient.reconnects, 1);
    assert.equal(live.participants.doctor.inCall, true);

    // The doctor ends the visit from the call; the patient is told.
    doctor.send({ type: "end-session" });
    const ended = await back.next("session-ended");
    assert.equal(ended.by, "doctor");
    await doctor.next("session-ended");
    const after = Date.now();

    const res = await visit.doctor.fetch(`/api/sessions/${visit.id}/report`);
    assert.equal(res.status, 200);
    const report = await res.json();
    const s = report.session;
    assert.equal(s.status, "closed");
    assert.equal(s.endedHow, "doctor-ended");
    const opened = Date.parse(s.openedAt);
    const started = Date.parse(s.startedAt);
    const endedAt = Date.parse(s.endedAt);
    assert.ok(before <= opened && opened <= started && started <= bothIn);
    assert.ok(started <= endedAt && endedAt <= after);
    assert.equal(s.durationSeconds, Math.round((endedAt - started) / 1000));
    assert.deepEqual(
      s.timeline.map((e: { role: string; kind: string }) =>
        `${e.role} ${e.kind}`
      ),
      [
        "patient joined",
        "doctor joined",
        "patient left",
        "patient rejoined",
        "doctor left",
        "patient left",
      ],
    );
    assert.deepEqual(report.chat.map((l: { text: string }) => l.text), [
      "Hello doctor",
    ]);
    assert.equal(report.quality.doctor.samples, 1);
    assert.equal(report.quality.doctor.rttMs.average, 12);
    assert.equal(report.quality.patient, null);

    // Ending again, twice at once, changes nothing.
    const again = await Promise.all(
      [1, 2, 3].map(() =>
        visit.doctor.fetch(`/api/sessions/${visit.id}/end`, { method: "POST" })
      ),
    );
    for (const r of again) {
      assert.equal(r.status, 200);
      const body = await r.json();
      assert.equal(body.alreadyEnded, true);
      assert.equal(body.endedAt, s.endedAt);
    }
    const reread = await (await visit.doctor.fetch(
      `/api/sessions/${visit.id}/report`,
    )).json();
    assert.equal(reread.generatedAt, report.generatedAt);
    const actions = await auditActions(server, visit.id);
    assert.equal(actions.filter((a) => a === "session.ended").length, 1);
    assert.equal(actions.filter((a) => a === "call.joined").length, 3);
    assert.equal(actions.filter((a) => a === "call.left").length, 1);

    // The ended visit admits nobody.
    const late = await fetch(
      `${server.url}/api/visits/${visit.visitUrl.split("/visit/")[1]}/ticket`,
      { method: "POST" },
    );
    assert.equal(late.status, 409);
    assert.equal((await late.json()).error.code, "room_closed");

    // The printable report page shows the same facts.
    const page = await (await visit.doctor.fetch(`/sessions/${visit.id}`))
      .text();
    assert.match(page, /Ended by the doctor/);
    assert.match(page, /Hello doctor/);
    await back.closed;
  } finally {
    await server.close();
  }
});

Deno.test("concurrent end-session from the API and the call gives one closed session", async () => {
  const server = await startServer();
  try {
    const visit = await openVisitNow(server);
    const patient = await join(await patientTicket(visit));
    await patient.next("waiting-for-peer");
    const doctor = await join(await doctorTicket(visit));
    await doctor.next("peer-joined");
    doctor.send({ type: "end-session" });
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() =>
        visit.doctor.fetch(`/api/sessions/${visit.id}/end`, { method: "POST" })
      ),
    );
    const bodies = await Promise.all(answers.map((r) => r.json()));
    assert.ok(answers.every((r) => r.status === 200));
    assert.equal(new Set(bodies.map((b) => b.endedAt)).size, 1);
    await patient.next("session-ended");
    let reports = 0;
    for await (const _ of server.kv.list({ prefix: ["session_reports"] })) {
      reports++;
    }
    assert.equal(reports, 1);
    const actions = await auditActions(server, visit.id);
    assert.equal(actions.filter((a) => a === "session.ended").length, 1);
  } finally {
    await server.close();
  }
});

Deno.test("a visit everyone left closes itself after the grace period", async () => {
  const server = await startServer({ CALL_CLOSE_GRACE_SECONDS: "1" });
  try {
    const visit = await openVisitNow(server);
    const patient = await join(await patientTicket(visit));
    await patient.next("waiting-for-peer");
    const doctor = await join(await doctorTicket(visit));
    await doctor.next("peer-joined");
    patient.send({ type: "leave-room" });
    await doctor.next("peer-left");
    doctor.send({ type: "leave-room" });
    await doctor.closed;
    await patient.closed;

    const open = await (await visit.doctor.fetch(`/api/sessions/${visit.id}`))
      .json();
    assert.equal(open.status, "open", "they may still come back");
    const lastLeft = Date.parse(open.participants.doctor.lastLeftAt);

    await new Promise((r) => setTimeout(r, 1200));
    const list = await (await visit.doctor.fetch("/api/sessions")).json();
    assert.equal(list.items.length, 1);
    assert.equal(list.items[0].status, "closed");
    assert.equal(list.items[0].endedHow, "both-left");
    assert.equal(Date.parse(list.items[0].endedAt), lastLeft);

    const ticket = await visit.doctor.fetch(
      `/api/appointments/${visit.id}/ticket`,
      { method: "POST" },
    );
    assert.equal(ticket.status, 409);
    await ticket.body?.cancel();
  } finally {
    await server.close();
  }
});
