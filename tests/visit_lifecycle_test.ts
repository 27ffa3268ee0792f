/**
 * A visit's lifecycle through the real server, with real calls: each state
 * (scheduled, waiting, in call, completed, missed, no-show, cancelled) reads the
 * same on the dashboard, the appointment page, the patient's personal page
 * and in the API, and each offers (and allows) only what makes sense.
 */
import assert from "node:assert/strict";
import { Client, startIn, startServer } from "./helpers/server.ts";
import type { TestServer } from "./helpers/server.ts";
import { book, type Booked } from "./helpers/booked_visits.ts";
import {
  doctorTicket,
  join,
  patientTicket,
  type SignalClient,
} from "./helpers/signal_client.ts";
import { updateAppointment } from "@/lib/store/appointments.ts";
import { windowEnd } from "@/lib/clinic/visit_window.ts";

async function text(res: Response) {
  return await res.text();
}

/** The lifecycle of appointment `id` on each of the doctor's surfaces. */
async function doctorSees(doctor: Client, id: string) {
  const api = await (await doctor.fetch(`/api/appointments/${id}`)).json();
  const listed = await (await doctor.fetch(
    `/api/appointments?from=${
      encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())
    }&limit=100`,
  )).json();
  const dashboard = await text(await doctor.fetch("/dashboard"));
  const row = dashboard.split("<tr").find((r) =>
    r.includes(`/appointments/${id}"`)
  );
  const page = await text(await doctor.fetch(`/appointments/${id}`));
  return {
    api: api.lifecycle as string,
    list: listed.items.find((a: { id: string }) => a.id === id)
      ?.lifecycle as string,
    dashboard: row && /data-lifecycle="([a-z-]+)"/.exec(row)?.[1],
    dashboardRow: row ?? "",
    page: /data-lifecycle="([a-z-]+)"/.exec(page)?.[1],
    html: page,
  };
}

/** What the appointment page offers, by the buttons and links it shows. */
function offered(html: string) {
  return {
    join: html.includes("Join call"),
    reschedule: html.includes('name="action" value="reschedule"'),
    cancel: html.includes('name="action" value="cancel"'),
    newLink: html.includes('value="reissue-visit-link"'),
    calendar: html.includes("invite.ics"),
    report: html.includes("Visit report and notes"),
    record: html.includes(`href="/sessions/`),
  };
}

/** The patient's personal page: which list holds the visit, and its state. */
async function patientSees(visit: Booked) {
  const html = await text(await fetch(visit.patientUrl!));
  const [, upcoming = "", past = ""] = html.split(
    /<h2>Your (?:upcoming|past) visits<\/h2>/,
  );
  const states = (part: string) =>
    [...part.matchAll(/data-lifecycle="([a-z-]+)"/g)].map((m) => m[1]);
  return {
    upcoming: states(upcoming),
    past: states(past),
    joinLinks: (html.match(/\/visit\//g) ?? []).length,
  };
}

function expectState(
  seen: Awaited<ReturnType<typeof doctorSees>>,
  state: string,
) {
  assert.deepEqual(
    [seen.api, seen.list, seen.dashboard, seen.page],
    [state, state, state, state],
    "API, list, dashboard and page agree",
  );
}

async function refusedWith(res: Response, code: string) {
  const body = await res.json();
  assert.equal(res.status, 409, JSON.stringify(body));
  assert.equal(body.error.code, code, body.error.message);
}

async function withServer(
  fn: (server: TestServer, doctor: Client) => Promise<void>,
) {
  const server = await startServer();
  try {
    await fn(server, await new Client(server.url).signIn());
  } finally {
    await server.close();
  }
}

async function closeAll(...sockets: SignalClient[]) {
  for (const s of sockets) await s.close();
}

Deno.test("scheduled: a day ahead, then open to join; everything is offered", async () => {
  await withServer(async (_server, doctor) => {
    const later = await doctor.json("/api/appointments", {
      patientName: "Later Patient",
      startsAt: startIn(24 * 60 + 30),
      durationMinutes: 20,
    });
    assert.equal(later.status, 201);
    const created = await later.json();
    assert.equal(created.lifecycle, "scheduled");
    const ahead = await doctorSees(doctor, created.id);
    expectState(ahead, "scheduled");
    assert.match(ahead.dashboardRow, />Scheduled</);
    assert.deepEqual(offered(ahead.html), {
      join: false, // not open yet
      reschedule: true,
      cancel: true,
      newLink: true,
      calendar: true,
      report: false,
      record: false,
    });

    const soon = await book(doctor, "Soon Patient");
    const now = await doctorSees(doctor, soon.id);
    expectState(now, "scheduled");
    assert.match(now.dashboardRow, />Open to join</);
    assert.equal(offered(now.html).join, true);
    const patient = await patientSees(soon);
    assert.deepEqual(patient, {
      upcoming: ["scheduled"],
      past: [],
      joinLinks: 0,
    });
  });
});

Deno.test("waiting, then in call: the page offers joining, not moving or cancelling a call", async () => {
  await withServer(async (_server, doctor) => {
    const visit = await book(doctor, "Waiting Patient");
    const patient = await join(await patientTicket(visit));
    await patient.next("waiting-for-peer");
    const waiting = await doctorSees(doctor, visit.id);
    expectState(waiting, "waiting");
    assert.match(waiting.dashboardRow, />Patient waiting</);
    assert.deepEqual(offered(waiting.html), {
      join: true,
      reschedule: false,
      cancel: true,
      newLink: true,
      calendar: true,
      report: false,
      record: true,
    });
    assert.deepEqual((await patientSees(visit)).upcoming, ["waiting"]);
    await refusedWith(
      await doctor.json(`/api/appointments/${visit.id}`, {
        durationMinutes: 30,
      }, "PATCH"),
      "waiting",
    );

    const doctorSocket = await join(await doctorTicket(visit));
    await doctorSocket.next("peer-joined");
    const inCall = await doctorSees(doctor, visit.id);
    expectState(inCall, "in-call");
    assert.match(inCall.dashboardRow, />In call</);
    assert.deepEqual(offered(inCall.html), {
      join: true,
      reschedule: false,
      cancel: false,
      newLink: true,
      calendar: true,
      report: false,
      record: true,
    });
    const patientPage = await patientSees(visit);
    assert.deepEqual([patientPage.upcoming, patientPage.past], [
      ["in-call"],
      [],
    ]);
    await refusedWith(
      await doctor.json(`/api/appointments/${visit.id}`, {
        startsAt: startIn(60),
      }, "PATCH"),
      "in_call",
    );
    await refusedWith(
      await doctor.fetch(`/api/appointments/${visit.id}`, { method: "DELETE" }),
      "in_call",
    );
    // The forms refuse the same, whatever the page showed.
    const form = await doctor.form(`/appointments/${visit.id}`, {
      action: "cancel",
      confirmCancel: "yes",
    });
    assert.equal(form.status, 409);
    await form.body?.cancel();
    assert.equal(
      (await (await doctor.fetch(`/api/appointments/${visit.id}`)).json())
        .status,
      "scheduled",
      "nothing changed",
    );
    await closeAll(patient, doctorSocket);
  });
});

Deno.test("completed: the call ended with the patient; only its report is offered", async () => {
  await withServer(async (server, doctor) => {
    const visit = await book(doctor, "Seen Patient");
    const patient = await join(await patientTicket(visit));
    await patient.next("waiting-for-peer");
    const doctorSocket = await join(await doctorTicket(visit));
    await doctorSocket.next("peer-joined");
    doctorSocket.send({ type: "end-session" });
    await patient.next("session-ended");
    await closeAll(patient, doctorSocket);

    const seen = await doctorSees(doctor, visit.id);
    expectState(seen, "completed");
    assert.match(seen.dashboardRow, />Completed</);
    assert.doesNotMatch(seen.dashboardRow, /Open to join/);
    assert.match(seen.dashboardRow, new RegExp(`href="/sessions/${visit.id}"`));
    assert.deepEqual(offered(seen.html), {
      join: false,
      reschedule: false,
      cancel: false,
      newLink: false,
      calendar: false,
      report: true,
      record: true,
    });
    assert.doesNotMatch(
      seen.html,
      /New personal page link|Send invitation again/,
    );

    // In exactly one list of the patient's page, with no way to join.
    assert.deepEqual(await patientSees(visit), {
      upcoming: [],
      past: ["completed"],
      joinLinks: 0,
    });
    const past = await (await fetch(
      visit.patientUrl!.replace("/patient/", "/api/patient/") + "/sessions",
    )).json();
    assert.equal(past.items[0].lifecycle, "completed");
    // The visit link tells it ended.
    const link = await fetch(visit.visitUrl);
    assert.equal(link.status, 410);
    await link.body?.cancel();

    // The server refuses what makes no sense, and changes nothing.
    const before =
      (await server.kv.get(["appointments", visit.id])).versionstamp;
    const api = `/api/appointments/${visit.id}`;
    await refusedWith(
      await doctor.json(api, { startsAt: startIn(60) }, "PATCH"),
      "completed",
    );
    await refusedWith(
      await doctor.fetch(api, { method: "DELETE" }),
      "completed",
    );
    await refusedWith(
      await doctor.fetch(`${api}/visit-link`, { method: "POST" }),
      "completed",
    );
    const { version } = await (await doctor.fetch(api)).json();
    for (const action of ["reschedule", "cancel", "reissue-visit-link"]) {
      const res = await doctor.form(`/appointments/${visit.id}`, {
        action,
        version,
        reason: "",
        confirmCancel: "yes",
        // Tomorrow, in the clinic's zone (UTC here).
        startsAt: new Date(Date.now() + 86_400_000).toISOString().slice(0, 16),
        durationMinutes: "20",
      });
      assert.equal(res.status, 409, action);
      assert.match(await res.text(), /This visit has taken place/);
    }
    assert.equal(
      (await server.kv.get(["appointments", visit.id])).versionstamp,
      before,
    );
  });
});

Deno.test("missed: the patient waited and the doctor never came; the clinic must follow up", async () => {
  const server = await startServer({ CALL_CLOSE_GRACE_SECONDS: "1" });
  try {
    const doctor = await new Client(server.url).signIn();
    const visit = await book(doctor, "Waiting Patient");
    const patient = await join(await patientTicket(visit));
    await patient.next("waiting-for-peer");
    patient.send({ type: "leave-room" });
    await patient.closed;
    // The call closes itself after its grace period, nobody having met.
    await new Promise((r) => setTimeout(r, 1300));

    const seen = await doctorSees(doctor, visit.id);
    expectState(seen, "missed");
    assert.match(seen.dashboardRow, />Missed: patient waited</);
    const { join: canJoin, reschedule, cancel, newLink } = offered(seen.html);
    assert.deepEqual([canJoin, reschedule, cancel, newLink], [
      false,
      false,
      false,
      false,
    ]);
    assert.deepEqual(await patientSees(visit), {
      upcoming: [],
      past: ["missed"],
      joinLinks: 0,
    });
    const page = await (await fetch(visit.patientUrl!)).text();
    assert.match(page, /Not held: the clinic will contact you/);
    await refusedWith(
      await doctor.json(
        `/api/appointments/${visit.id}`,
        { startsAt: startIn(60) },
        "PATCH",
      ),
      "missed",
    );
  } finally {
    await server.close();
  }
});

Deno.test("no-show: a call the patient never joined, or no call by the end of the window", async () => {
  await withServer(async (server, doctor) => {
    // The doctor came and ended the visit; the patient never joined.
    const alone = await book(doctor, "Absent Patient");
    const doctorSocket = await join(await doctorTicket(alone));
    await doctorSocket.next("waiting-for-peer");
    doctorSocket.send({ type: "end-session" });
    await doctorSocket.next("session-ended");
    await doctorSocket.close();
    const ended = await doctorSees(doctor, alone.id);
    expectState(ended, "no-show");
    assert.match(ended.dashboardRow, />No-show</);
    assert.deepEqual(offered(ended.html), {
      join: false,
      reschedule: false,
      cancel: false,
      newLink: false,
      calendar: false,
      report: true,
      record: true,
    });
    assert.deepEqual(await patientSees(alone), {
      upcoming: [],
      past: ["no-show"],
      joinLinks: 0,
    });

    // Nobody joined at all, and the window closed (moved back in time here).
    const missed = await book(doctor, "Forgetful Patient");
    await updateAppointment(
      server.kv,
      missed.id,
      (a) => ({ ...a, startsAt: Date.now() - 3 * 3_600_000 }),
      { visitLinkEnds: windowEnd },
    );
    const over = await doctorSees(doctor, missed.id);
    assert.deepEqual([over.api, over.page], ["no-show", "no-show"]);
    assert.deepEqual(offered(over.html), {
      join: false,
      reschedule: false,
      cancel: false,
      newLink: false,
      calendar: false,
      report: false,
      record: false,
    });
    assert.deepEqual((await patientSees(missed)).upcoming, []);
    await refusedWith(
      await doctor.fetch(`/api/appointments/${missed.id}`, {
        method: "DELETE",
      }),
      "no_show",
    );
  });
});

Deno.test("cancelled: while the patient waits; then nothing is offered, and cancelling again changes nothing", async () => {
  await withServer(async (_server, doctor) => {
    const visit = await book(doctor, "Cancelled Patient");
    const patient = await join(await patientTicket(visit));
    await patient.next("waiting-for-peer");
    const res = await doctor.fetch(`/api/appointments/${visit.id}`, {
      method: "DELETE",
    });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).lifecycle, "cancelled");
    const seen = await doctorSees(doctor, visit.id);
    expectState(seen, "cancelled");
    assert.deepEqual(offered(seen.html), {
      join: false,
      reschedule: false,
      cancel: false,
      newLink: false,
      calendar: false,
      report: false,
      record: false,
    });
    assert.deepEqual(await patientSees(visit), {
      upcoming: [],
      past: [],
      joinLinks: 0,
    });
    const again = await doctor.fetch(`/api/appointments/${visit.id}`, {
      method: "DELETE",
    });
    assert.equal(again.status, 200);
    await again.body?.cancel();
    await refusedWith(
      await doctor.json(`/api/appointments/${visit.id}`, {
        durationMinutes: 30,
      }, "PATCH"),
      "cancelled",
    );
    await patient.close();
  });
});

Deno.test("a visit whose call began cannot be moved, even with nobody in it now", async () => {
  await withServer(async (_server, doctor) => {
    const visit = await book(doctor, "Early Patient");
    const patient = await join(await patientTicket(visit));
    await patient.next("waiting-for-peer");
    patient.send({ type: "leave-room" });
    await patient.closed;
    const seen = await doctorSees(doctor, visit.id);
    expectState(seen, "scheduled");
    assert.equal(offered(seen.html).reschedule, false);
    assert.equal(offered(seen.html).cancel, true);
    await refusedWith(
      await doctor.json(`/api/appointments/${visit.id}`, {
        startsAt: startIn(120),
      }, "PATCH"),
      "call_begun",
    );
  });
});
