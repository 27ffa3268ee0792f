/**
 * The doctor's short note to a waiting patient: validated, sent only by the
 * visit's own doctor, delivered live to the patient's socket wherever it is
 * (one server; two servers over Redis and over Deno KV), kept for a patient
 * who arrives or rejoins later, cleared once the doctor joins, audited
 * without its words; and the doctor's waiting room shows the check-in.
 */
import assert from "node:assert/strict";
import { listAudit } from "@/lib/store/audit.ts";
import { keys } from "@/lib/store/keys.ts";
import { signalingTest } from "./helpers/layouts.ts";
import { addDoctor, Client } from "./helpers/server.ts";
import {
  checkIn,
  doctorTicket,
  join,
  openVisitNow,
  patientTicket,
} from "./helpers/signal_client.ts";

signalingTest(
  "waiting note: the visit's doctor tells the waiting patient, live and across servers",
  async (start) => {
    const server = await start();
    try {
      const visit = await openVisitNow(server);
      const note = (body: unknown, doctor: Client = visit.doctor) =>
        doctor.fetch(`/api/appointments/${visit.id}/waiting-note`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: typeof body === "string" ? body : JSON.stringify(body),
        });

      // The dashboard's stream, to see the check-in the doctor reads.
      const events = await visit.doctor.fetch("/api/waiting-room/events");
      const reader = events.body!.pipeThrough(new TextDecoderStream())
        .getReader();
      let stream = "";
      const until = async (pattern: RegExp) => {
        while (!pattern.test(stream)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${pattern}`);
          stream += value;
        }
      };
      await until(/event: snapshot/);

      await checkIn(visit.visitUrl, "Test Patiënt");
      const patient = await join(await patientTicket(visit));
      await patient.next("waiting-for-peer");
      await until(
        /event: waiting\ndata: \{[^\n]*"checkIn":\{"name":"Test Patiënt","at":\d+\}/,
      );

      // A ready-made note, in the patient's language (English here).
      const sent = await note({ preset: "late10" });
      assert.equal(sent.status, 201);
      const body = await sent.json();
      assert.equal(
        body.text,
        "I am running about 10 minutes late. Please stay on this page.",
      );
      const first = await patient.next("waiting-note");
      assert.equal(first.text, body.text);
      assert.equal(first.at, body.at);

      // Refused: nothing reaches the patient, nothing is kept.
      const before = (await server.kv.get(keys.waitingNote(visit.id))).value;
      for (
        const [bad, status] of [
          [{ text: "Running late\r\nSee you" }, 400],
          [{ text: "Late\u0000" }, 400],
          [{ text: "Late \u202Eetal" }, 400],
          [{ text: "x".repeat(201) }, 400],
          [{ text: "   " }, 400],
          [{ text: "" }, 400],
          [{ preset: "late60" }, 400],
          [{ preset: "late10", text: "both" }, 400],
          [{ text: 42 }, 400],
          [{}, 400],
          ["not json", 400],
        ] as [unknown, number][]
      ) {
        const res = await note(bad);
        assert.equal(res.status, status, JSON.stringify(bad));
        const code = typeof bad === "string" ? "invalid_json" : "invalid_input";
        assert.equal((await res.json()).error.code, code, JSON.stringify(bad));
      }
      const plain = await visit.doctor.fetch(
        `/api/appointments/${visit.id}/waiting-note`,
        {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: JSON.stringify({ text: "hi" }),
        },
      );
      assert.equal(plain.status, 415);
      await plain.body?.cancel();
      const crossSite = await visit.doctor.fetch(
        `/api/appointments/${visit.id}/waiting-note`,
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "sec-fetch-site": "cross-site",
            origin: "https://evil.example",
          },
          body: JSON.stringify({ text: "From elsewhere" }),
        },
      );
      assert.equal(crossSite.status, 403);
      await crossSite.body?.cancel();

      // Only the visit's own doctor: another doctor, or nobody signed in, is refused.
      const other = await addDoctor(visit.doctor, "second@clinic.test");
      const foreign = await note({ text: "Not your patient" }, other);
      assert.equal(foreign.status, 404);
      await foreign.body?.cancel();
      const anonymous = await note(
        { text: "Who am I" },
        new Client(visit.doctor.base),
      );
      assert.equal(anonymous.status, 401);
      await anonymous.body?.cancel();
      assert.deepEqual(
        (await server.kv.get(keys.waitingNote(visit.id))).value,
        before,
      );

      // The doctor's own words, as typed.
      const typed = await note({ text: "  Running 10 minutes late, sorry!  " });
      assert.equal(typed.status, 201);
      const second = await patient.next("waiting-note");
      assert.equal(second.text, "Running 10 minutes late, sorry!");
      assert.ok(
        !patient.received.some((m) => m.type === "waiting-note"),
        `nothing refused reached the patient: ${
          JSON.stringify(patient.received)
        }`,
      );

      // A patient who comes back reads the latest note on arrival.
      await patient.close();
      const back = await join(await patientTicket(visit));
      await back.next("waiting-for-peer");
      assert.equal(
        (await back.next("waiting-note")).text,
        "Running 10 minutes late, sorry!",
      );

      // The doctor joins: the note is over, and a later arrival reads none.
      const doctor = await join(await doctorTicket(visit));
      await back.next("peer-joined");
      await doctor.next("peer-joined");
      // Cleared just after the doctor's arrival is announced: wait for it.
      for (
        let i = 0;
        (await server.kv.get(keys.waitingNote(visit.id))).value;
        i++
      ) {
        assert.ok(i < 100, "the note is cleared once the doctor joined");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      const trail = (await listAudit(server.kv, { limit: 100 })).items
        .filter((e) => e.action === "visit.waiting_note_sent");
      assert.deepEqual(
        trail.map((e) => [e.actor.kind, e.subject, e.detail]).reverse(),
        [["doctor", visit.id, "late10"], ["doctor", visit.id, "typed"]],
      );
      assert.doesNotMatch(JSON.stringify(trail), /Running 10 minutes/);

      await back.close();
      await doctor.close();
      await reader.cancel();
    } finally {
      await server.close();
    }
  },
);

signalingTest(
  "waiting note: a ready-made note in Spanish for a Spanish visit; none for a cancelled one",
  async (start) => {
    const server = await start();
    try {
      const doctor = await new Client(server.url).signIn();
      const res = await doctor.json("/api/appointments", {
        patientName: "Lucía Fernández",
        patientLanguage: "es",
        startsAt: new Date(Date.now() + 60_000).toISOString(),
        durationMinutes: 30,
      });
      const created = await res.json();
      const visitUrl = server.patientUrl
        ? created.visitUrl.replace(server.url, server.patientUrl)
        : created.visitUrl;
      const visit = { id: created.id, visitUrl, doctor };
      const patient = await join(await patientTicket(visit));
      await patient.next("waiting-for-peer");
      const sent = await doctor.json(
        `/api/appointments/${visit.id}/waiting-note`,
        { preset: "late5" },
      );
      assert.equal(sent.status, 201);
      await sent.body?.cancel();
      assert.equal(
        (await patient.next("waiting-note")).text,
        "Llevo unos 5 minutos de retraso. Por favor, permanezca en esta página.",
      );
      await patient.close();

      const cancel = await doctor.fetch(`/api/appointments/${visit.id}`, {
        method: "DELETE",
      });
      await cancel.body?.cancel();
      const late = await doctor.json(
        `/api/appointments/${visit.id}/waiting-note`,
        { preset: "soon" },
      );
      assert.equal(late.status, 409);
      assert.equal((await late.json()).error.code, "room_closed");
    } finally {
      await server.close();
    }
  },
);
