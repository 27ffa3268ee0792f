/**
 * A visit's chat is capped (`CHAT_MAX_LINES`) with an error the sender
 * sees, losing nothing that was accepted.
 */
import assert from "node:assert/strict";
import { readChat } from "@/lib/sessions/chat_log.ts";
import { signalingTest } from "./helpers/layouts.ts";
import {
  doctorTicket,
  join,
  openVisitNow,
  patientTicket,
} from "./helpers/signal_client.ts";

signalingTest(
  "a visit's chat stops at its cap, and the sender is told",
  async (start, t) => {
    const server = await start({ CHAT_MAX_LINES: "10" });
    try {
      await t.step(
        "one side floods: the accepted lines all arrive",
        async () => {
          const visit = await openVisitNow(server);
          const patient = await join(await patientTicket(visit));
          const doctor = await join(await doctorTicket(visit));
          await patient.next("peer-joined");
          await doctor.next("peer-joined");
          for (let i = 1; i <= 15; i++) {
            patient.send({ type: "chat", text: `${i}` });
          }
          for (let i = 1; i <= 5; i++) {
            assert.equal((await patient.next("error")).code, "chat_full");
          }
          const arrived = [];
          for (let i = 1; i <= 10; i++) {
            arrived.push((await doctor.next("chat")).text);
          }
          assert.deepEqual(arrived, [
            "1",
            "2",
            "3",
            "4",
            "5",
            "6",
            "7",
            "8",
            "9",
            "10",
          ]);
          const stored = await readChat(server.kv, visit.id);
          assert.deepEqual(stored.map((l) => l.text), arrived);
          doctor.send({ type: "ping" });
          await doctor.next("pong");
          assert.equal(
            doctor.received.filter((m) => m.type === "chat").length,
            0,
          );
          await patient.close();
          await doctor.close();
        },
      );

      await t.step("both sides at once never pass the cap", async () => {
        const visit = await openVisitNow(server);
        const patient = await join(await patientTicket(visit));
        const doctor = await join(await doctorTicket(visit));
        await patient.next("peer-joined");
        await doctor.next("peer-joined");
        for (let i = 0; i < 8; i++) {
          patient.send({ type: "chat", text: `p${i}` });
          doctor.send({ type: "chat", text: `d${i}` });
        }
        let refused = 0;
        for (const side of [patient, doctor]) {
          side.send({ type: "ping" });
          await side.next("pong");
        }
        // Every one of the 16 lines was either stored or refused to its sender.
        const deadline = Date.now() + 5000;
        while (Date.now() < deadline) {
          refused = [patient, doctor].flatMap((s) => s.received)
            .filter((m) => m.type === "error" && m.code === "chat_full").length;
          if (refused === 6) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        assert.equal(refused, 6);
        assert.equal((await readChat(server.kv, visit.id)).length, 10);
        await patient.close();
        await doctor.close();
      });
    } finally {
      await server.close();
    }
  },
);
