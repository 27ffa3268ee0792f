import assert from "node:assert/strict";
import {
  actionRefusal,
  type CallRecord,
  type LifecycleAppointment,
  type LivePresence,
  NOBODY_LIVE,
  offers,
  type VisitAction,
  visitLifecycle,
  type VisitState,
} from "./visit_lifecycle.ts";
import { joinOpensAt, windowEnd } from "./visit_window.ts";

const START = Date.UTC(2026, 10, 24, 9, 30);
const visit: LifecycleAppointment = {
  status: "scheduled",
  startsAt: START,
  durationMinutes: 20,
};
const cancelled: LifecycleAppointment = { ...visit, status: "cancelled" };
const OPENS = joinOpensAt(visit);
const ENDS = windowEnd(visit);
const DURING = START + 5 * 60_000;

const call = (over: Partial<CallRecord> = {}): CallRecord => ({
  status: "open",
  startedAt: null,
  patientJoined: false,
  ...over,
});
const met = call({ startedAt: START, patientJoined: true });
const closedWithPatient = { ...met, status: "closed" as const };
const closedWithoutPatient = call({ status: "closed" });
/** The patient waited; the doctor never came, and the call closed itself. */
const closedUnmet = call({ status: "closed", patientJoined: true });
const DOCTOR: LivePresence = { doctor: true, patient: false };
const PATIENT: LivePresence = { doctor: false, patient: true };
const BOTH: LivePresence = { doctor: true, patient: true };

type Case = [
  string,
  LifecycleAppointment,
  CallRecord | null,
  LivePresence,
  number,
  VisitState,
];

const CASES: Case[] = [
  [
    "booked, a day ahead",
    visit,
    null,
    NOBODY_LIVE,
    START - 86_400_000,
    "scheduled",
  ],
  [
    "a moment before the join opens",
    visit,
    null,
    NOBODY_LIVE,
    OPENS - 1,
    "scheduled",
  ],
  ["the moment the join opens", visit, null, NOBODY_LIVE, OPENS, "scheduled"],
  [
    "the last moment of the window",
    visit,
    null,
    NOBODY_LIVE,
    ENDS - 1,
    "scheduled",
  ],
  [
    "window closed, no call: no-show",
    visit,
    null,
    NOBODY_LIVE,
    ENDS,
    "no-show",
  ],
  [
    "patient in the waiting room",
    visit,
    call({ patientJoined: true }),
    PATIENT,
    DURING,
    "waiting",
  ],
  ["doctor in, patient not yet", visit, call(), DOCTOR, DURING, "in-call"],
  ["both in", visit, met, BOTH, DURING, "in-call"],
  [
    "both dropped after meeting: call open to come back",
    visit,
    met,
    NOBODY_LIVE,
    DURING,
    "in-call",
  ],
  [
    "patient came and left before the doctor",
    visit,
    call({ patientJoined: true }),
    NOBODY_LIVE,
    DURING,
    "scheduled",
  ],
  [
    "doctor came and left, patient never",
    visit,
    call(),
    NOBODY_LIVE,
    DURING,
    "scheduled",
  ],
  [
    "a call going on past the window",
    visit,
    met,
    BOTH,
    ENDS + 60_000,
    "in-call",
  ],
  [
    "patient still waiting past the window",
    visit,
    call({ patientJoined: true }),
    PATIENT,
    ENDS,
    "waiting",
  ],
  [
    "open record, nobody in, window closed, patient had joined",
    visit,
    met,
    NOBODY_LIVE,
    ENDS,
    "completed",
  ],
  [
    "open record, nobody in, window closed, only the doctor came",
    visit,
    call(),
    NOBODY_LIVE,
    ENDS,
    "no-show",
  ],
  [
    "ended with the patient",
    visit,
    closedWithPatient,
    NOBODY_LIVE,
    DURING,
    "completed",
  ],
  [
    "ended with the patient, long after",
    visit,
    closedWithPatient,
    NOBODY_LIVE,
    ENDS + 86_400_000,
    "completed",
  ],
  [
    "ended without the patient",
    visit,
    closedWithoutPatient,
    NOBODY_LIVE,
    DURING,
    "no-show",
  ],
  [
    "ended after the patient waited and the doctor never came",
    visit,
    closedUnmet,
    NOBODY_LIVE,
    DURING,
    "missed",
  ],
  [
    "window closed after the patient waited alone",
    visit,
    call({ patientJoined: true }),
    NOBODY_LIVE,
    ENDS,
    "missed",
  ],
  [
    "a stale presence cannot reopen an ended call",
    visit,
    closedWithPatient,
    BOTH,
    DURING,
    "completed",
  ],
  ["cancelled before", cancelled, null, NOBODY_LIVE, OPENS - 1, "cancelled"],
  [
    "cancelled with the patient waiting",
    cancelled,
    call({ patientJoined: true }),
    PATIENT,
    DURING,
    "cancelled",
  ],
  [
    "cancelled, after its window",
    cancelled,
    null,
    NOBODY_LIVE,
    ENDS,
    "cancelled",
  ],
];

for (const [name, a, record, live, now, expected] of CASES) {
  Deno.test(`lifecycle: ${name} → ${expected}`, () => {
    assert.equal(visitLifecycle(a, record, live, now).state, expected);
  });
}

Deno.test("lifecycle: the call is joinable only in its window, and never once ended", () => {
  const at = (now: number, record: CallRecord | null = null) =>
    visitLifecycle(visit, record, NOBODY_LIVE, now);
  assert.equal(at(OPENS - 1).joinable, false);
  assert.equal(at(OPENS - 1).tooEarly, true);
  assert.equal(at(OPENS).joinable, true);
  assert.equal(at(ENDS - 1).joinable, true);
  assert.equal(at(ENDS).joinable, false);
  assert.equal(at(ENDS).windowOver, true);
  assert.equal(at(DURING, met).joinable, true, "rejoin an open call");
  assert.equal(at(DURING, closedWithPatient).joinable, false);
  assert.equal(
    visitLifecycle(cancelled, null, NOBODY_LIVE, DURING).joinable,
    false,
  );
  assert.equal(
    visitLifecycle(visit, met, BOTH, ENDS).joinable,
    false,
    "a call past its window admits nobody new",
  );
});

Deno.test("lifecycle: a record means a page to open; a closed one a report", () => {
  const none = visitLifecycle(visit, null, NOBODY_LIVE, DURING);
  assert.deepEqual([none.hasRecord, none.reportReady], [false, false]);
  const open = visitLifecycle(visit, met, BOTH, DURING);
  assert.deepEqual([open.hasRecord, open.reportReady], [true, false]);
  const closed = visitLifecycle(visit, closedWithPatient, NOBODY_LIVE, DURING);
  assert.deepEqual([closed.hasRecord, closed.reportReady], [true, true]);
});

const ACTIONS: VisitAction[] = [
  "join",
  "reschedule",
  "cancel",
  "new-visit-link",
  "send-invitation",
];

/** What each state allows: `true`, or the refusal's code. */
const ALLOWED: [
  string,
  ReturnType<typeof visitLifecycle>,
  (true | string)[],
][] = [
  [
    "scheduled, too early",
    visitLifecycle(visit, null, NOBODY_LIVE, OPENS - 1),
    [
      "not_open",
      true,
      true,
      true,
      true,
    ],
  ],
  ["scheduled, open", visitLifecycle(visit, null, NOBODY_LIVE, DURING), [
    true,
    true,
    true,
    true,
    true,
  ]],
  [
    "scheduled with a record",
    visitLifecycle(visit, call(), NOBODY_LIVE, DURING),
    [
      true,
      "call_begun",
      true,
      true,
      true,
    ],
  ],
  [
    "waiting",
    visitLifecycle(visit, call({ patientJoined: true }), PATIENT, DURING),
    [
      true,
      "waiting",
      true,
      true,
      true,
    ],
  ],
  ["in call", visitLifecycle(visit, met, BOTH, DURING), [
    true,
    "in_call",
    "in_call",
    true,
    true,
  ]],
  ["in call past the window", visitLifecycle(visit, met, BOTH, ENDS), [
    "room_closed",
    "in_call",
    "in_call",
    "in_call",
    "in_call",
  ]],
  ["completed", visitLifecycle(visit, closedWithPatient, NOBODY_LIVE, DURING), [
    "room_closed",
    "completed",
    "completed",
    "completed",
    "completed",
  ]],
  ["missed", visitLifecycle(visit, closedUnmet, NOBODY_LIVE, DURING), [
    "room_closed",
    "missed",
    "missed",
    "missed",
    "missed",
  ]],
  ["no-show", visitLifecycle(visit, null, NOBODY_LIVE, ENDS), [
    "room_closed",
    "no_show",
    "no_show",
    "no_show",
    "no_show",
  ]],
  ["cancelled", visitLifecycle(cancelled, null, NOBODY_LIVE, DURING), [
    "room_closed",
    "cancelled",
    true, // cancelling again changes nothing
    "cancelled",
    "cancelled",
  ]],
];

for (const [name, lifecycle, expected] of ALLOWED) {
  Deno.test(`lifecycle actions: ${name}`, () => {
    const got = ACTIONS.map((action) =>
      actionRefusal(lifecycle, action)?.code ?? true
    );
    assert.deepEqual(got, expected);
    for (const action of ACTIONS) {
      const refusal = actionRefusal(lifecycle, action);
      if (refusal) assert.ok(refusal.message.length > 10, refusal.message);
    }
  });
}

Deno.test("lifecycle: pages offer nothing for a visit that is over or cancelled", () => {
  for (
    const lifecycle of [
      visitLifecycle(visit, closedWithPatient, NOBODY_LIVE, DURING),
      visitLifecycle(visit, closedWithoutPatient, NOBODY_LIVE, DURING),
      visitLifecycle(visit, closedUnmet, NOBODY_LIVE, DURING),
      visitLifecycle(visit, null, NOBODY_LIVE, ENDS),
      visitLifecycle(cancelled, null, NOBODY_LIVE, DURING),
    ]
  ) {
    for (const action of ACTIONS) {
      assert.equal(
        offers(lifecycle, action),
        false,
        `${lifecycle.state} ${action}`,
      );
    }
  }
  const open = visitLifecycle(visit, null, NOBODY_LIVE, DURING);
  for (const action of ACTIONS) assert.equal(offers(open, action), true);
});
