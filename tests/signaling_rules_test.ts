/**
 * Who gets into a room and what a socket may do, with real WebSocket
 * clients: every refusal answers with its code (and closes where the
 * protocol says), and the peers already in the room notice nothing.
 */
import assert from "node:assert/strict";
import { Client, startServer, type TestServer } from "./helpers/server.ts";
import {
  doctorTicket,
  join,
  openVisitNow,
  patientTicket,
  SignalClient,
  type Visit,
} from "./helpers/signal_client.ts";
import { redeemTicket } from "@/lib/signaling/tickets.ts";

/** A joined doctor and patient in one room. */
async function pair(server: TestServer, visit?: Visit) {
  visit ??= await openVisitNow(server);
  const patient = await join(await patientTicket(visit));
  await patient.next("joined");
  await patient.next("waiting-for-peer");
  const doctor = await join(await doctorTicket(visit));
  await doctor.next("joined");
  await doctor.next("peer-joined");
  await patient.next("peer-joined");
  return { visit, patient, doctor };
}

/** A ping round trip: everything sent before it has arrived. */
async function settle(client: SignalClient) {
  client.send({ type: "ping" });
  await client.next("pong");
}

async function assertUntouched(...clients: SignalClient[]) {
  for (const c of clients) {
    await settle(c);
    assert.deepEqual(c.received, [], "the peers in the room noticed nothing");
  }
}

Deno.test("intruders are refused with a code and a closed socket; the room notices nothing", async (t) => {
  const server = await startServer();
  try {
    const { visit, patient, doctor } = await pair(server);
    const other = await openVisitNow(server, visit.doctor);

    const refused = async (
      message: unknown,
      code: string,
      closeCode = 4001,
    ) => {
      const intruder = await SignalClient.open(
        `${server.url.replace("http", "ws")}/api/signal`,
      );
      intruder.send(message);
      const error = await intruder.next("error");
      assert.equal(error.code, code);
      assert.equal((await intruder.closed).code, closeCode);
    };

    await t.step("a forged ticket", async () => {
      await refused({
        type: "join-room",
        roomId: visit.id,
        ticket: "A".repeat(43),
      }, "bad_ticket");
    });
    await t.step("a ticket for another room", async () => {
      const ticket = await patientTicket(other);
      await refused({
        type: "join-room",
        roomId: visit.id,
        ticket: ticket.ticket,
      }, "wrong_room");
    });
    await t.step("a ticket used twice", async () => {
      const ticket = await patientTicket(other);
      const first = await join(ticket);
      await first.next("joined");
      await refused({
        type: "join-room",
        roomId: other.id,
        ticket: ticket.ticket,
      }, "bad_ticket");
      await first.close();
    });
    await t.step("an expired ticket", async () => {
      const ticket = await patientTicket(other);
      assert.equal(
        await redeemTicket(server.kv, ticket.ticket, Date.now() + 3 * 60_000),
        null,
      );
      // Not used up by the expired attempt, but past its time it never admits.
    });
    await t.step("a malformed join", async () => {
      const intruder = await SignalClient.open(
        `${server.url.replace("http", "ws")}/api/signal`,
      );
      intruder.send({ type: "join-room", roomId: "not-a-room", ticket: "x" });
      assert.equal((await intruder.next("error")).code, "invalid_message");
      await intruder.close();
    });
    await t.step("a cancelled appointment", async () => {
      const cancelled = await openVisitNow(server, visit.doctor);
      const ticket = await patientTicket(cancelled);
      const res = await visit.doctor.fetch(
        `/api/appointments/${cancelled.id}`,
        { method: "DELETE" },
      );
      await res.body?.cancel();
      await refused({
        type: "join-room",
        roomId: cancelled.id,
        ticket: ticket.ticket,
      }, "room_closed");
      const again = await fetch(
        `${server.url}/api/visits/${
          cancelled.visitUrl.split("/visit/")[1]
        }/ticket`,
        { method: "POST" },
      );
      assert.equal(
        again.status,
        404,
        "the cancelled visit's link no longer gives tickets",
      );
      await again.body?.cancel();
    });
    await t.step("a browser page from another site", async () => {
      const res = await fetch(`${server.url}/api/signal`, {
        headers: {
          upgrade: "websocket",
          connection: "Upgrade",
          origin: "https://evil.example",
          "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
          "sec-websocket-version": "13",
        },
      });
      assert.equal(res.status, 403);
      await res.body?.cancel();
    });
    await t.step("another doctor cannot get a ticket", async () => {
      const added = await visit.doctor.form("/doctors", {
        name: "Dr Other",
        email: "other@clinic.test",
        password: "other-password",
      });
      await added.body?.cancel();
      const stranger = await new Client(server.url).signIn(
        "other@clinic.test",
        "other-password",
      );
      const res = await stranger.fetch(`/api/appointments/${visit.id}/ticket`, {
        method: "POST",
      });
      assert.equal(res.status, 404);
      await res.body?.cancel();
    });
    await assertUntouched(patient, doctor);
    await patient.close();
    await doctor.close();
  } finally {
    await server.close();
  }
});

Deno.test("bad messages get an error with their code and change nothing", async () => {
  const server = await startServer();
  try {
    const visit = await openVisitNow(server);
    const early = await SignalClient.open(
      `${server.url.replace("http", "ws")}/api/signal`,
    );
    early.send({ type: "offer", sdp: "v=0" });
    assert.equal((await early.next("error")).code, "not_joined");
    await early.close();

    const { patient, doctor } = await pair(server, visit);
    const cases: [unknown, string][] = [
      ["{not json", "invalid_json"],
      [{ kind: "offer" }, "unknown_type"],
      [{ type: "shout" }, "unknown_type"],
      [{ type: "offer" }, "invalid_message"],
      [{ type: "offer", sdp: 42 }, "invalid_message"],
      [{ type: "offer", sdp: "v=0", extra: true }, "invalid_message"],
      [{ type: "ice-candidate", candidate: "a string" }, "invalid_message"],
      [{ type: "chat", text: "   " }, "invalid_message"],
      [{ type: "chat", text: "x".repeat(2001) }, "invalid_message"],
      [
        { type: "join-room", roomId: visit.id, ticket: "A".repeat(43) },
        "already_joined",
      ],
      [{ type: "end-session" }, "forbidden"],
    ];
    for (const [message, code] of cases) {
      patient.send(message);
      const error = await patient.next("error");
      assert.equal(error.code, code, JSON.stringify(message));
      assert.equal(typeof error.message, "string");
    }
    await assertUntouched(doctor, patient);
    // Still in the room and working.
    patient.send({ type: "offer", sdp: "v=0 still here" });
    assert.equal((await doctor.next("offer")).sdp, "v=0 still here");

    doctor.send({ type: "leave-room" });
    await patient.next("peer-left");
    patient.send({ type: "offer", sdp: "v=0" });
    assert.equal((await patient.next("error")).code, "no_peer");
    patient.send({ type: "chat", text: "anyone?" });
    assert.equal((await patient.next("error")).code, "no_peer");
    await patient.close();
  } finally {
    await server.close();
  }
});

Deno.test("too large and too fast: told, then dropped; the peer notices nothing", async () => {
  const server = await startServer();
  try {
    const { patient, doctor } = await pair(server);
    const big = await join(await doctorTicket(await openVisitNow(server)));
    await big.next("joined");
    big.send(JSON.stringify({ type: "chat", text: "x".repeat(70 * 1024) }));
    assert.equal((await big.next("error")).code, "too_large");
    assert.equal((await big.closed).code, 1009);

    const fast = await join(await doctorTicket(await openVisitNow(server)));
    await fast.next("joined");
    for (let i = 0; i < 400; i++) fast.send({ type: "ping" });
    assert.equal((await fast.next("error")).code, "rate_limited");
    assert.equal((await fast.closed).code, 1008);
    await assertUntouched(patient, doctor);
    await patient.close();
    await doctor.close();
  } finally {
    await server.close();
  }
});

Deno.test("joining again replaces the old socket; the peer renegotiates with the new one", async () => {
  const server = await startServer();
  try {
    const { visit, patient, doctor } = await pair(server);
    patient.send({ type: "chat", text: "before the reload" });
    await doctor.next("chat");

    const reloaded = await join(await patientTicket(visit));
    const joined = await reloaded.next("joined");
    assert.deepEqual(joined.chat.map((l: { text: string }) => l.text), [
      "before the reload",
    ]);
    assert.equal((await reloaded.next()).type, "peer-joined");
    assert.equal((await patient.next("error")).code, "replaced");
    assert.equal((await patient.closed).code, 4002);
    const renegotiate = await doctor.next("peer-joined");
    assert.equal(renegotiate.rejoined, true);

    doctor.send({ type: "offer", sdp: "v=0 to the new socket" });
    assert.equal((await reloaded.next("offer")).sdp, "v=0 to the new socket");
    await settle(doctor);
    assert.deepEqual(doctor.received, [], "no peer-left for a replaced socket");
    await reloaded.close();
    await doctor.close();
  } finally {
    await server.close();
  }
});

Deno.test("a socket that stops answering keep-alives is closed and its peer told", async () => {
  const server = await startServer({ SIGNALING_KEEPALIVE_SECONDS: "0.1" });
  try {
    const { patient, doctor } = await pair(server);
    patient.answerPings = false;
    assert.equal((await patient.next("error")).code, "keepalive_timeout");
    assert.equal((await patient.closed).code, 4003);
    assert.deepEqual(await doctor.next("peer-left"), {
      type: "peer-left",
      peer: "patient",
      reason: "timeout",
    });
    await doctor.close();
  } finally {
    await server.close();
  }
});

Deno.test("chat carries the sender and server time, and survives a rejoin", async () => {
  const server = await startServer();
  try {
    const { visit, patient, doctor } = await pair(server);
    const before = Date.now();
    for (
      const [who, text] of [[patient, "one"], [doctor, "two"], [
        patient,
        "three",
      ]] as const
    ) {
      who.send({ type: "chat", text });
      const line = await (who === patient ? doctor : patient).next("chat");
      assert.equal(line.text, text);
      assert.equal(line.from, who === patient ? "patient" : "doctor");
      assert.ok(Date.parse(line.at) >= before - 1000);
    }
    await settle(patient);
    assert.deepEqual(patient.received, [], "chat is not echoed to its sender");
    doctor.send({ type: "leave-room" });
    await patient.next("peer-left");
    const back = await join(await doctorTicket(visit));
    const joined = await back.next("joined");
    assert.deepEqual(
      joined.chat.map((l: { from: string; text: string }) =>
        `${l.from}:${l.text}`
      ),
      [
        "patient:one",
        "doctor:two",
        "patient:three",
      ],
    );
    await patient.close();
    await back.close();
  } finally {
    await server.close();
  }
});

Deno.test("end-session: the doctor ends it for both, once; nobody gets back in", async () => {
  const server = await startServer();
  try {
    const { visit, patient, doctor } = await pair(server);
    doctor.send({ type: "end-session" });
    doctor.send({ type: "end-session" });
    const ended = await patient.next("session-ended");
    assert.equal(ended.by, "doctor");
    assert.equal((await doctor.next("session-ended")).at, ended.at);
    assert.equal((await patient.closed).code, 1000);
    assert.equal((await doctor.closed).code, 1000);
    assert.ok(!patient.received.some((m) => m.type === "peer-left"));
    const token = visit.visitUrl.split("/visit/")[1];
    const res = await fetch(`${server.url}/api/visits/${token}/ticket`, {
      method: "POST",
    });
    assert.equal(res.status, 409);
    assert.equal((await res.json()).error.code, "room_closed");
  } finally {
    await server.close();
  }
});

Deno.test("tickets: shape, TURN REST credentials, and not before the join window", async () => {
  const server = await startServer({
    TURN_SECRET: "a-very-secret-turn-key",
    TURN_URLS: "turn:127.0.0.1:3478?transport=udp",
  });
  try {
    const visit = await openVisitNow(server);
    const offer = await patientTicket(visit);
    assert.match(offer.ticket, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(offer.role, "patient");
    const turn = offer.iceServers.find((s) =>
      JSON.stringify((s as { urls: unknown }).urls).includes("turn:")
    ) as { username: string; credential: string };
    const [expiry, id] = turn.username.split(":");
    assert.ok(Number(expiry) > Date.now() / 1000);
    assert.equal(id, `${visit.id}-patient`);
    assert.match(turn.credential, /^[A-Za-z0-9+/]{27}=$/);

    const later = await visit.doctor.json("/api/appointments", {
      patientName: "Later",
      startsAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
      durationMinutes: 20,
    });
    const { id: laterId } = await later.json();
    const early = await visit.doctor.fetch(
      `/api/appointments/${laterId}/ticket`,
      { method: "POST" },
    );
    assert.equal(early.status, 409);
    assert.equal((await early.json()).error.code, "not_open");
  } finally {
    await server.close();
  }
});
