/**
 * The seed's call flows 1 to 5, message by message, with real WebSocket
 * clients against a real server, and with the two participants on two
 * servers.
 */
import assert from "node:assert/strict";
import { signalingTest } from "./helpers/layouts.ts";
import {
  doctorTicket,
  join,
  openVisitNow,
  patientTicket,
} from "./helpers/signal_client.ts";

signalingTest(
  "flows 1-5: waiting room, peer joins, handshake, chat, peer leaves",
  async (start) => {
    const server = await start();
    try {
      const visit = await openVisitNow(server);

      // 1. Waiting room.
      const patientOffer = await patientTicket(visit);
      assert.equal(patientOffer.roomId, visit.id);
      assert.match(
        patientOffer.signalingUrl,
        /^ws:\/\/127\.0\.0\.1:\d+\/api\/signal$/,
      );
      const patient = await join(patientOffer);
      const joined = await patient.next();
      assert.equal(joined.type, "joined");
      assert.equal(joined.role, "patient");
      assert.equal(joined.polite, true);
      assert.deepEqual(await patient.next(), { type: "waiting-for-peer" });

      // 2. Peer joins.
      const doctor = await join(await doctorTicket(visit));
      const doctorJoined = await doctor.next();
      assert.equal(doctorJoined.type, "joined");
      assert.equal(doctorJoined.polite, false);
      if (server.patientUrl) {
        assert.notEqual(joined.server, doctorJoined.server, "on two servers");
      }
      assert.deepEqual(await doctor.next(), {
        type: "peer-joined",
        peer: "patient",
        polite: false,
        rejoined: false,
      });
      assert.deepEqual(await patient.next(), {
        type: "peer-joined",
        peer: "doctor",
        polite: true,
        rejoined: false,
      });

      // 3. Handshake, relayed with fields unchanged.
      patient.send({ type: "offer", sdp: "v=0 offer" });
      assert.deepEqual(await doctor.next(), {
        type: "offer",
        sdp: "v=0 offer",
        from: "patient",
      });
      doctor.send({ type: "answer", sdp: "v=0 answer" });
      assert.deepEqual(await patient.next(), {
        type: "answer",
        sdp: "v=0 answer",
        from: "doctor",
      });
      const candidate = {
        candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host",
        sdpMid: "0",
        sdpMLineIndex: 0,
      };
      patient.send({ type: "ice-candidate", candidate });
      assert.deepEqual(await doctor.next(), {
        type: "ice-candidate",
        candidate,
        from: "patient",
      });
      doctor.send({ type: "ice-candidate", candidate: null });
      assert.deepEqual(await patient.next(), {
        type: "ice-candidate",
        candidate: null,
        from: "doctor",
      });

      // 4. Chat through the server, with the sender's role and a server time.
      patient.send({ type: "chat", text: "Hello doctor" });
      const chat = await doctor.next();
      assert.equal(chat.type, "chat");
      assert.equal(chat.from, "patient");
      assert.equal(chat.text, "Hello doctor");
      assert.ok(!Number.isNaN(Date.parse(chat.at)));

      // 5. Peer leaves.
      doctor.send({ type: "leave-room" });
      assert.deepEqual(await patient.next(), {
        type: "peer-left",
        peer: "doctor",
        reason: "left",
      });
      assert.equal((await doctor.closed).code, 1000);
      await patient.close();
      assert.deepEqual(patient.received, []);
    } finally {
      await server.close();
    }
  },
);

signalingTest(
  "the doctor's waiting-room stream follows the patient, and ends at shutdown",
  async (start) => {
    const server = await start();
    const visit = await openVisitNow(server);
    const res = await visit.doctor.fetch("/api/waiting-room/events");
    assert.equal(
      res.headers.get("content-type"),
      "text/event-stream; charset=utf-8",
    );
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}: ${text}`);
        text += value;
      }
    };
    await until(/event: snapshot\ndata: \[\]\n\n/);
    const patient = await join(await patientTicket(visit));
    await patient.next("waiting-for-peer");
    await until(
      /event: waiting\ndata: \{[^\n]*"patientName":"Test Patient"[^\n]*"withDoctor":false/,
    );
    await patient.close();
    await until(/event: gone\ndata: \{"roomId":"[0-9a-f]{32}"\}/);
    // A server shutting down must not wait forever for open streams.
    await server.close();
    while (!(await reader.read()).done) { /* the stream ends */ }
  },
);
