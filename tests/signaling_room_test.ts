/**
 * What a room does for those in it, with real WebSocket clients: a rejoin
 * replaces the old socket, keep-alives close a silent one, chat carries its
 * sender and survives a rejoin, the doctor ends the visit for both, and
 * tickets carry what a client needs, only while the visit may be joined.
 */
import assert from "node:assert/strict";
import { signalingTest } from "./helpers/layouts.ts";
import {
  doctorTicket,
  join,
  openVisitNow,
  patientTicket,
} from "./helpers/signal_client.ts";
import { pair, settle } from "./helpers/room_pair.ts";

signalingTest(
  "joining again replaces the old socket; the peer renegotiates with the new one",
  async (start) => {
    const server = await start();
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
      assert.deepEqual(
        doctor.received,
        [],
        "no peer-left for a replaced socket",
      );
      await reloaded.close();
      await doctor.close();
    } finally {
      await server.close();
    }
  },
);

signalingTest(
  "a socket that stops answering keep-alives is closed and its peer told",
  async (start) => {
    const server = await start({ SIGNALING_KEEPALIVE_SECONDS: "0.1" });
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
  },
);

signalingTest(
  "chat carries the sender and server time, and survives a rejoin",
  async (start) => {
    const server = await start();
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
      assert.deepEqual(
        patient.received,
        [],
        "chat is not echoed to its sender",
      );
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
  },
);

signalingTest(
  "end-session: the doctor ends it for both, once; nobody gets back in",
  async (start) => {
    const server = await start();
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
  },
);

signalingTest(
  "tickets: shape, TURN REST credentials, and not before the join window",
  async (start) => {
    const server = await start({
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
  },
);
