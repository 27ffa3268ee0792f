/**
 * Reads the facts a visit's lifecycle is decided from (its call record,
 * settled as every read of it is, and who is live in its room) and applies
 * the rule (`lib/clinic/visit_lifecycle.ts`); and refuses, in the same
 * atomic write, a change the visit's state does not allow.
 *
 * @module
 */
import {
  actionRefusal,
  type CallRecord,
  type ChangeGuard,
  type LivePresence,
  NOBODY_LIVE,
  type VisitAction,
  type VisitLifecycle,
  visitLifecycle,
} from "@/lib/clinic/visit_lifecycle.ts";
import { HttpError } from "@/lib/http/errors.ts";
import {
  type Appointment,
  appointmentSchema,
  type Versioned,
} from "@/lib/store/appointments.ts";
import { appointmentJson } from "@/lib/clinic/appointment_views.ts";
import { keys } from "@/lib/store/keys.ts";
import { getAll } from "@/lib/store/kv.ts";
import { type Liveness, settle } from "./close.ts";
import type { ClinicWithCalls, RoomsLive } from "./live_calls.ts";
import { sessionSchema, type SessionSummary } from "./session.ts";

/** The record as the lifecycle rule reads it. */
export function callRecordOf(s: SessionSummary): CallRecord {
  return {
    status: s.status,
    startedAt: s.startedAt,
    patientJoined: s.participants.patient.joins > 0,
  };
}

/** Who is live in a room, from what was read for many rooms together. */
function presenceIn(rooms: RoomsLive, roomId: string): LivePresence {
  return {
    doctor: rooms.member(roomId, "doctor") !== null,
    patient: rooms.member(roomId, "patient") !== null,
  };
}

/**
 * The call's facts from a stored record (or none), settled, with who is
 * live taken from `rooms`, read for the visits together.
 */
async function callFacts(
  clinic: ClinicWithCalls,
  stored: unknown,
  now: number,
  rooms: RoomsLive,
): Promise<{ record: CallRecord | null; live: LivePresence }> {
  if (stored === null) return { record: null, live: NOBODY_LIVE };
  const liveness: Liveness = {
    member: (roomId, role) => Promise.resolve(rooms.member(roomId, role)),
  };
  const session = await settle(
    clinic.kv,
    clinic.config,
    liveness,
    sessionSchema.parse(stored),
    now,
  );
  // A closed call has nobody in it; only an open one is asked.
  const live = session.status === "open"
    ? presenceIn(rooms, session.id)
    : NOBODY_LIVE;
  return { record: callRecordOf(session), live };
}

/** Where one visit stands now (read as a list of one is). */
export async function readVisitState(
  clinic: ClinicWithCalls,
  appointment: Appointment,
  now = Date.now(),
): Promise<VisitLifecycle> {
  return (await readVisitStates(clinic, [appointment], now))
    .get(appointment.id)!;
}

/**
 * Where each of these visits stands now, by appointment id. The records
 * and who is live in the rooms are read for all the visits at once, side
 * by side: a page waits for the store once, whatever its length.
 */
export async function readVisitStates(
  clinic: ClinicWithCalls,
  appointments: Appointment[],
  now = Date.now(),
): Promise<Map<string, VisitLifecycle>> {
  const out = new Map<string, VisitLifecycle>();
  const asked = appointments.filter((a) => a.status !== "cancelled");
  for (const a of appointments) {
    if (a.status === "cancelled") {
      out.set(a.id, visitLifecycle(a, null, NOBODY_LIVE, now));
    }
  }
  const [stored, rooms] = await Promise.all([
    getAll(clinic.kv, asked.map((a) => keys.session(a.id))),
    clinic.signaling.presence.inRooms(asked.map((a) => a.id)),
  ]);
  await Promise.all(asked.map(async (a, i) => {
    const { record, live } = await callFacts(
      clinic,
      stored[i].value,
      now,
      rooms,
    );
    out.set(a.id, visitLifecycle(a, record, live, now));
  }));
  return out;
}

/**
 * Where the visits of these (settled) call records stand, by id: for the
 * history, which lists records rather than appointments.
 */
export async function readRecordStates(
  clinic: ClinicWithCalls,
  records: SessionSummary[],
  now = Date.now(),
): Promise<Map<string, VisitLifecycle>> {
  const out = new Map<string, VisitLifecycle>();
  const [appointments, rooms] = await Promise.all([
    getAll(clinic.kv, records.map((s) => keys.appointment(s.id))),
    clinic.signaling.presence.inRooms(
      records.filter((s) => s.status === "open").map((s) => s.id),
    ),
  ]);
  records.forEach((s, i) => {
    const stored = appointmentSchema.safeParse(appointments[i].value);
    // The record keeps the booking's times, should the booking be gone.
    const appointment = stored.success ? stored.data : {
      status: "scheduled" as const,
      startsAt: s.scheduledStart,
      durationMinutes: s.scheduledMinutes,
    };
    const live = s.status === "open" ? presenceIn(rooms, s.id) : NOBODY_LIVE;
    out.set(s.id, visitLifecycle(appointment, callRecordOf(s), live, now));
  });
  return out;
}

/** The 409 a refused action answers. */
export function refusalError(
  lifecycle: VisitLifecycle,
  action: VisitAction,
): HttpError | null {
  const refusal = actionRefusal(lifecycle, action);
  return refusal && new HttpError(409, refusal.code, refusal.message);
}

/**
 * Checks, as part of a change's atomic write, that the visit's state allows
 * `action`: it refuses with a 409 otherwise, and makes the write fail if
 * the call's record changes before it commits (a join meanwhile).
 */
export function guardFor(
  clinic: ClinicWithCalls,
  action: VisitAction,
): ChangeGuard {
  return async (op, before, now) => {
    const key = keys.session(before.id);
    // Settling may close the record; the check is against the record as
    // it stands once read and settled.
    for (let attempt = 0;; attempt++) {
      const [entry, rooms] = await Promise.all([
        clinic.kv.get(key),
        clinic.signaling.presence.inRooms([before.id]),
      ]);
      const lifecycle = before.status === "cancelled"
        ? visitLifecycle(before, null, NOBODY_LIVE, now)
        : await (async () => {
          const { record, live } = await callFacts(
            clinic,
            entry.value,
            now,
            rooms,
          );
          return visitLifecycle(before, record, live, now);
        })();
      const refused = refusalError(lifecycle, action);
      if (refused) throw refused;
      const after = await clinic.kv.get(key);
      if (after.versionstamp === entry.versionstamp || attempt >= 3) {
        op.check({ key, versionstamp: after.versionstamp });
        return;
      }
    }
  };
}

/** An appointment as the API shows it, with where it stands now. */
export async function appointmentView(
  clinic: ClinicWithCalls,
  appointment: Versioned<Appointment>,
  links: { visitUrl?: string; patientDashboardUrl?: string } = {},
) {
  const { state } = await readVisitState(clinic, appointment.value);
  return appointmentJson(appointment, links, clinic.config, state);
}
