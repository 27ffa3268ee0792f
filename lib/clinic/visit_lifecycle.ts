/**
 * Where a visit stands, decided in one place for every page and the API:
 *
 * | state       | meaning                                                      |
 * | ----------- | ------------------------------------------------------------ |
 * | `scheduled` | booked; nobody is in its call (it may be open to join)       |
 * | `waiting`   | the patient is in the waiting room, the doctor is not in     |
 * | `in-call`   | the doctor is in the call, or the two met and the call is   |
 * |             | still open for them to come back to                          |
 * | `completed` | the call ended (or can no longer be joined) after the        |
 * |             | doctor and the patient met in it                             |
 * | `missed`    | the same, but the patient joined and the doctor never came: |
 * |             | the clinic owes the patient a call back                      |
 * | `no-show`   | the call can no longer be joined and the patient never did:  |
 * |             | no call at all by the end of the visit window, or a call    |
 * |             | that ended (or outlived the window) without the patient      |
 * | `cancelled` | the doctor cancelled it                                      |
 *
 * The facts it reads: the appointment (its status and times), its call's
 * record (`lib/sessions/session.ts`, read settled), who is live in the
 * call's room now (`lib/signaling/presence.ts`) and the clock
 * (`visit_window.ts`). Reading them is `lib/sessions/visit_state.ts`; this
 * module is the rule alone, and what each state lets the doctor do.
 *
 * @module
 */
import type { Appointment } from "@/lib/store/appointments.ts";
import { joinState, type Timed } from "./visit_window.ts";

export const VISIT_STATES = [
  "scheduled",
  "waiting",
  "in-call",
  "completed",
  "missed",
  "no-show",
  "cancelled",
] as const;
export type VisitState = typeof VISIT_STATES[number];

/** The appointment as the rule reads it. */
export interface LifecycleAppointment extends Timed {
  status: "scheduled" | "cancelled";
}

/** The visit's call record, if its call ever began. */
export interface CallRecord {
  status: "open" | "closed";
  /** When both were first in the call together; `null` if they never met. */
  startedAt: number | null;
  /** The patient joined the call at least once. */
  patientJoined: boolean;
}

/** Who has a live connection to the call's room now. */
export interface LivePresence {
  doctor: boolean;
  patient: boolean;
}

export const NOBODY_LIVE: LivePresence = { doctor: false, patient: false };

export interface VisitLifecycle {
  state: VisitState;
  /** The call admits a join now (the same rule as `room_rule.ts`). */
  joinable: boolean;
  /** The join window has not opened yet. */
  tooEarly: boolean;
  /** The visit window (and so the visit link) is over. */
  windowOver: boolean;
  /** The call has a record: its page (report and notes) can be opened. */
  hasRecord: boolean;
  /** That record is closed: its report is written. */
  reportReady: boolean;
}

/** How a call that can no longer be joined turned out. */
function over(call: CallRecord | null): VisitState {
  if (call?.startedAt != null) return "completed";
  return call?.patientJoined ? "missed" : "no-show";
}

/** The rule: see the table at the top of this module. */
export function visitLifecycle(
  appointment: LifecycleAppointment,
  call: CallRecord | null,
  live: LivePresence,
  now: number,
): VisitLifecycle {
  const window = joinState(appointment, now);
  const state = stateOf(appointment, call, live, window === "over");
  return {
    state,
    joinable: window === "open" && call?.status !== "closed" &&
      !isOver(state),
    tooEarly: window === "too-early",
    windowOver: window === "over",
    hasRecord: call !== null,
    reportReady: call?.status === "closed",
  };
}

function stateOf(
  appointment: LifecycleAppointment,
  call: CallRecord | null,
  live: LivePresence,
  windowOver: boolean,
): VisitState {
  // The doctor's decision stands, whatever the call did.
  if (appointment.status === "cancelled") return "cancelled";
  if (call?.status === "closed") return over(call);
  // Someone is in the room now: the call is going on, even past the window
  // (a call running late is not cut off).
  if (live.doctor) return "in-call";
  if (live.patient) return "waiting";
  if (windowOver) {
    // Nobody can join any more; the record closes itself after its grace
    // period, with the same outcome.
    return over(call);
  }
  // Both left a call they had: it stays open for them to come back to.
  if (call?.startedAt != null) return "in-call";
  return "scheduled";
}

/** The visit is over one way or another: its call can never open again. */
export function isOver(state: VisitState): boolean {
  return state === "completed" || state === "missed" ||
    state === "no-show" || state === "cancelled";
}

/** What the doctor can do to a visit, on its page and through the API. */
export type VisitAction =
  | "join"
  | "reschedule"
  | "cancel"
  | "new-visit-link"
  | "send-invitation";

/** Why the visit's state refuses an action: a stable code and a sentence. */
export interface ActionRefusal {
  code: string;
  message: string;
}

const STATE_REFUSALS: Record<VisitState, ActionRefusal> = {
  scheduled: { code: "call_begun", message: "" },
  waiting: {
    code: "waiting",
    message: "The patient is in the waiting room now.",
  },
  "in-call": { code: "in_call", message: "The visit's call is going on." },
  completed: { code: "completed", message: "This visit has taken place." },
  missed: {
    code: "missed",
    message: "This visit is over; the patient waited and nobody joined.",
  },
  "no-show": {
    code: "no_show",
    message: "This visit is over; the patient did not join.",
  },
  cancelled: { code: "cancelled", message: "This visit was cancelled." },
};

const WHAT: Record<Exclude<VisitAction, "join">, string> = {
  reschedule: "It cannot be rescheduled; book another visit instead.",
  cancel: "It cannot be cancelled.",
  "new-visit-link": "It needs no new visit link.",
  "send-invitation": "Its invitation cannot be sent again.",
};

/**
 * Why `action` does not make sense for a visit in this state, or `null` if
 * it does. Cancelling a cancelled visit is allowed: it changes nothing.
 */
export function actionRefusal(
  lifecycle: VisitLifecycle,
  action: VisitAction,
): ActionRefusal | null {
  const { state } = lifecycle;
  if (action === "join") {
    if (lifecycle.joinable) return null;
    return lifecycle.tooEarly && state === "scheduled"
      ? {
        code: "not_open",
        message: "The call opens 10 minutes before the visit.",
      }
      : { code: "room_closed", message: STATE_REFUSALS[state].message };
  }
  const allowed = action === "reschedule"
    // A visit whose call has begun keeps that call's record: moving it
    // would leave the new time with a call that has already ended.
    ? state === "scheduled" && !lifecycle.hasRecord
    : action === "cancel"
    ? state === "scheduled" || state === "waiting" || state === "cancelled"
    // A new link or the invitation again: only while the link can open
    // the visit.
    : !isOver(state) && !lifecycle.windowOver;
  if (allowed) return null;
  if (state === "scheduled" && lifecycle.hasRecord) {
    return {
      code: "call_begun",
      message: `The visit's call has begun. ${WHAT[action]}`,
    };
  }
  if (state === "in-call" && lifecycle.windowOver) {
    return {
      code: "in_call",
      message: `The visit's window is over. ${WHAT[action]}`,
    };
  }
  const refusal = STATE_REFUSALS[state];
  return { code: refusal.code, message: `${refusal.message} ${WHAT[action]}` };
}

/**
 * Whether a page offers `action` for the visit: it makes sense, and it
 * would change something (a cancelled visit offers no "Cancel").
 */
export function offers(
  lifecycle: VisitLifecycle,
  action: VisitAction,
): boolean {
  if (lifecycle.state === "cancelled") return false;
  return actionRefusal(lifecycle, action) === null;
}

/**
 * Checks, inside a change's atomic write, that the visit's state allows the
 * change: throws the refusal, or adds the checks that keep it true until
 * the write commits. (`lib/sessions/visit_state.ts` makes one.)
 */
export type ChangeGuard = (
  op: Deno.AtomicOperation,
  before: Appointment,
  now: number,
) => Promise<void>;
