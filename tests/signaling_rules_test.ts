/**
 * Who gets into a room and what a socket may not do, with real WebSocket
 * clients: every refusal answers with its code (and closes where the
 * protocol says), and the peers already in the room notice nothing.
 */
import assert from "node:assert/strict";
import { Client } from "./helpers/server.ts";
import { signalingTest } from "./helpers/layouts.ts";
import {
  doctorTicket,
  join,
  openVisitNow,
  patientTicket,
  SignalClient,
} from "./helpers/signal_client.ts";
import { redeemTicket } from "@/lib/signaling/tickets.ts";
import { assertUntouched, pair } from "./helpers/room_pair.ts";

signalingTest(
  "intruders are refused with a code and a closed socket; the room notices nothing",
  async (start, t) => {
    const server = await start();
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
          410,
          "the cancelled visit's link no longer gives tickets",
        );
        assert.equal((await again.json()).error.code, "link_cancelled");
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
        const res = await stranger.fetch(
          `/api/appointments/${visit.id}/ticket`,
          {
            method: "POST",
          },
        );
        assert.equal(res.status, 404);
        await res.body?.cancel();
      });
      await assertUntouched(patient, doctor);
      await patient.close();
      await doctor.close();
    } finally {
      await server.close();
    }
  },
);

signalingTest(
  "bad messages get an error with their code and change nothing",
  async (start) => {
    const server = await start();
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
  },
);

signalingTest(
  "too large and too fast: told, then dropped; the peer notices nothing",
  async (start) => {
    const server = await start();
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
  },
);
