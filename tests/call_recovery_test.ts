/**
 * A call recovers by itself: the patient's signaling socket drops mid-call
 * (the phone changed network) and the call comes back with video and chat,
 * nobody clicking anything; an ICE restart renegotiates without a new
 * connection being started by hand.
 */
import assert from "node:assert/strict";
import { browserTest } from "./helpers/browser.ts";
import {
  closeAll,
  openCall,
  recordStatuses,
  restartIce,
  statuses,
  waitForVideo,
} from "./helpers/call_pages.ts";
import { startServer } from "./helpers/server.ts";
import { openVisitNow } from "./helpers/signal_client.ts";

browserTest(
  "a dropped signaling socket and an ICE restart recover by themselves",
  async (browser) => {
    const server = await startServer({ CALL_TEST_HOOKS: "1" });
    try {
      const visit = await openVisitNow(server);
      const { patient, doctor, contexts } = await openCall(
        browser,
        visit,
        server.url,
      );

      // The patient's socket to the server drops.
      await recordStatuses(patient);
      await recordStatuses(doctor);
      const patientSocket = [...server.clinic.signaling.connections].find((c) =>
        c.role === "patient"
      );
      assert.ok(patientSocket, "the patient is connected");
      patientSocket.socket.close(1001, "network change");
      await patient.waitForFunction(() =>
        (globalThis as unknown as { statuses: string[] }).statuses.includes(
          "reconnecting",
        )
      );
      await Promise.all([
        patient.waitForSelector(".call[data-status=connected]", {
          timeout: 20_000,
        }),
        doctor.waitForSelector(".call[data-status=connected]", {
          timeout: 20_000,
        }),
      ]);
      await Promise.all([waitForVideo(patient), waitForVideo(doctor)]);
      assert.ok((await statuses(patient)).includes("reconnecting"));
      assert.equal((await statuses(patient)).at(-1), "connected");

      // The socket is back for chat too.
      await doctor.getByRole("textbox", { name: "Message" }).fill(
        "Can you hear me again?",
      );
      await doctor.getByRole("button", { name: "Send" }).click();
      await patient.waitForSelector(
        ".chat-log li:has-text('Can you hear me again?')",
      );

      // The session counts the patient's reconnect.
      const session = await (await visit.doctor.fetch(
        `/api/sessions/${visit.id}`,
      )).json();
      assert.equal(session.participants.patient.reconnects, 1);
      assert.equal(session.status, "open");

      // An ICE restart: new credentials are negotiated and media keeps flowing.
      await restartIce(doctor, 20_000);
      await Promise.all([waitForVideo(patient), waitForVideo(doctor)]);

      await closeAll(contexts);
    } finally {
      await server.close();
    }
  },
);
