/**
 * The clinic the HTTP fuzz test attacks: two doctors, a visit that took
 * place (its session, report and note are real), one going on with a
 * patient waiting in it, and one of the other doctor's; the ids, tokens and
 * cursors a plausible request would carry.
 *
 * @module
 */
import { consentFor } from "@/lib/clinic/check_in.ts";
import { startLoginSession } from "@/lib/auth/login_sessions.ts";
import { cookieName } from "@/lib/auth/session_cookie.ts";
import { listDoctors } from "@/lib/store/doctors.ts";
import type { Random } from "./seeded_random.ts";
import {
  addDoctor,
  ADMIN,
  Client,
  startIn,
  type TestServer,
} from "./server.ts";
import { holdVisit, join, patientTicket } from "./signal_client.ts";

export interface FuzzClinic {
  ids: string[];
  doctorIds: string[];
  tokens: string[];
  cursors: string[];
  /** The clinic's consent versions, for check-ins that can pass. */
  consentVersions: string[];
  /** The administrator's and the other doctor's sign-in cookies. */
  doctors: { id: string; cookie: string }[];
  /** Signs again, straight in the store, a doctor a request signed out. */
  stillSignedIn(): Promise<void>;
}

/**
 * Fills the clinic of `server`; the waiting patient's socket is added to
 * `sockets` as soon as it is open, for the caller to close.
 */
export async function fuzzClinic(
  server: TestServer,
  rand: Random,
  sockets: { ws: WebSocket }[],
): Promise<FuzzClinic> {
  const admin = await new Client(server.url).signIn();
  const second = await addDoctor(admin, "other@clinic.test");
  const book = async (who: Client, patientName: string, minutes: number) =>
    await (await who.json("/api/appointments", {
      patientName,
      startsAt: startIn(minutes),
      durationMinutes: 30,
    })).json();
  const held = await book(admin, "Held", 1);
  const open = await book(admin, "Open", 1);
  const later = await book(admin, "Later", 120);
  const foreign = await book(second, "Foreign", 60);
  // A visit that took place: its session, report and note are real.
  await holdVisit({ id: held.id, visitUrl: held.visitUrl, doctor: admin });
  await (await admin.json(`/api/sessions/${held.id}/notes`, {
    text: "A note",
    baseVersion: 0,
  }, "PUT")).body?.cancel();
  // A visit going on: a patient waits in it for the whole run.
  const waiting = await join(
    await patientTicket({
      id: open.id,
      visitUrl: open.visitUrl,
      doctor: admin,
    }),
  );
  sockets.push(waiting);
  await waiting.next("waiting-for-peer");

  const accounts = await listDoctors(server.kv);
  const doctorIds = accounts.map((d) => d.id);
  const ids = [
    held.id,
    open.id,
    later.id,
    foreign.id,
    held.patient.id,
    foreign.patient.id,
    ...doctorIds,
    "0".repeat(32),
    rand.hex(32),
  ];
  const tokenOf = (url: string) => url.split("/").pop()!;
  const tokens = [
    tokenOf(held.visitUrl),
    tokenOf(open.visitUrl),
    tokenOf(held.patientDashboardUrl),
    tokenOf(foreign.visitUrl),
    tokenOf(foreign.patientDashboardUrl),
    "A".repeat(43),
  ];
  const cursorOf = async (who: Client, path: string) =>
    (await (await who.fetch(path)).json()).cursor as string;
  const cursors = [
    await cursorOf(admin, "/api/appointments?limit=1"),
    await cursorOf(admin, "/api/sessions?limit=1"),
    await cursorOf(admin, "/api/audit?limit=1"),
    "A".repeat(40),
  ].filter(Boolean).map(encodeURIComponent);

  /**
   * Each doctor's sign-in cookie. A request may sign a doctor out (or end
   * their sessions); a new sign-in is then written straight to the store,
   * so the run goes on signed in without meeting the sign-in limits.
   */
  const idOf = (email: string) => accounts.find((d) => d.email === email)!.id;
  const doctors = [
    { id: idOf(ADMIN.email), cookie: admin.cookie },
    { id: idOf("other@clinic.test"), cookie: second.cookie },
  ];
  const stillSignedIn = async () => {
    for (const d of doctors) {
      const res = await fetch(`${server.url}/api/appointments?limit=1`, {
        headers: { cookie: d.cookie },
      });
      await res.body?.cancel();
      if (res.status === 401) {
        const id = await startLoginSession(server.kv, d.id, {
          idleMs: server.config.sessionIdleMs,
          maxMs: server.config.sessionMaxMs,
        });
        d.cookie = `${cookieName(server.config)}=${id}`;
      }
    }
  };
  const consentVersions = [
    (await consentFor(server.config, "en")).version,
    (await consentFor(server.config, "es")).version,
  ];
  return {
    ids,
    doctorIds,
    tokens,
    cursors,
    consentVersions,
    doctors,
    stillSignedIn,
  };
}
