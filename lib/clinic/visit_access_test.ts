import assert from "node:assert/strict";
import { randomToken } from "@/lib/auth/tokens.ts";
import { type Clinic, loadConfig } from "@/lib/config.ts";
import { createAppointment } from "@/lib/store/appointments.ts";
import { createDoctor } from "@/lib/store/doctors.ts";
import { getPatient } from "@/lib/store/patients.ts";
import { type LinkProblem, PatientLinkError } from "./link_problem.ts";
import {
  openPersonalPage,
  personalLinkVerdict,
} from "./personal_link_access.ts";
import { reissuePatientLink } from "@/lib/store/patients.ts";
import { setVisitLanguage } from "./patient_language.ts";
import { cancelVisit, rescheduleVisit } from "./scheduling.ts";
import { reissueVisitLink } from "./visit_links.ts";
import type { ChangeGuard } from "./visit_lifecycle.ts";
import { openVisit, visitLinkVerdict } from "./visit_access.ts";
import { windowEnd } from "./visit_window.ts";

/** These visits have no call (no signaling here): every change is allowed. */
const noCall: ChangeGuard = () => Promise.resolve();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function clinicWithVisit(language?: "en" | "es") {
  const kv = await Deno.openKv(":memory:");
  const clinic: Clinic = {
    kv,
    config: loadConfig({ CLINIC_LANGUAGE: "en", CLINIC_TIME_ZONE: "UTC" }),
  };
  const doctor = (await createDoctor(kv, {
    email: "dr@example.org",
    name: "Dr Ruiz",
    passwordHash: "x",
    isAdmin: false,
  }))!;
  const visitToken = randomToken();
  const patientToken = randomToken();
  const created = await createAppointment(kv, {
    doctorId: doctor.id,
    patient: { name: "Ada" },
    reason: "",
    startsAt: Date.now() + HOUR,
    durationMinutes: 20,
    ...(language ? { language } : {}),
  }, {
    visit: visitToken,
    patientLink: patientToken,
    patientLinkValidMs: DAY,
    visitLinkEnds: windowEnd,
  });
  return {
    clinic,
    doctor,
    visitToken,
    patientToken,
    appointment: created.appointment.value,
    close: () => kv.close(),
  };
}

/** The problem `promise` was refused with, or "open". */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "open";
  } catch (error) {
    if (error instanceof PatientLinkError) {
      return `${error.problem} ${error.status} ${error.language}`;
    }
    throw error;
  }
}

Deno.test("the visit link rule: each reason in its order, and only a current, scheduled, unended visit in its window opens", async () => {
  const base = {
    wellFormed: true,
    entry: {
      appointment: {
        id: "a",
        doctorId: "d",
        patientId: "p",
        patientName: "Ada",
        reason: "",
        startsAt: 10 * HOUR,
        durationMinutes: 20,
        status: "scheduled" as const,
        visitTokenHash: "h",
        createdAt: 0,
        updatedAt: 0,
      },
      current: true,
    },
    doctorFound: true,
    ended: () => Promise.resolve(false),
    now: 10 * HOUR,
  };
  const cancelled = {
    ...base.entry,
    appointment: { ...base.entry.appointment, status: "cancelled" as const },
  };
  const cases: [string, Parameters<typeof visitLinkVerdict>[0], string][] = [
    ["open", base, "open"],
    ["not a token", { ...base, wellFormed: false }, "malformed"],
    ["no entry", { ...base, entry: null }, "unknown"],
    ["doctor gone", { ...base, doctorFound: false }, "unknown"],
    ["cancelled", { ...base, entry: cancelled }, "cancelled"],
    [
      "cancelled beats replaced",
      { ...base, entry: { ...cancelled, current: false } },
      "cancelled",
    ],
    [
      "replaced",
      { ...base, entry: { ...base.entry, current: false } },
      "replaced",
    ],
    [
      "replaced beats ended and expired",
      {
        ...base,
        entry: { ...base.entry, current: false },
        ended: () => Promise.resolve(true),
        now: 20 * HOUR,
      },
      "replaced",
    ],
    ["ended", { ...base, ended: () => Promise.resolve(true) }, "ended"],
    [
      "ended beats the clock",
      { ...base, ended: () => Promise.resolve(true), now: 20 * HOUR },
      "ended",
    ],
    [
      "the window's last moment",
      { ...base, now: windowEnd(base.entry.appointment) - 1 },
      "open",
    ],
    [
      "the window closed",
      { ...base, now: windowEnd(base.entry.appointment) },
      "expired",
    ],
  ];
  for (const [name, facts, expected] of cases) {
    assert.equal(await visitLinkVerdict(facts), expected, name);
  }
});

Deno.test("404 when nothing is known of a link, 410 when it once worked", () => {
  const statuses = Object.fromEntries(
    ([
      "malformed",
      "unknown",
      "cancelled",
      "ended",
      "expired",
      "replaced",
    ] as LinkProblem[]).map((p) => [p, new PatientLinkError(p, "visit", "en")]),
  );
  assert.equal(statuses.malformed.status, 404);
  assert.equal(statuses.unknown.status, 404);
  assert.equal(statuses.unknown.code, "not_found");
  for (const p of ["cancelled", "ended", "expired", "replaced"]) {
    assert.equal(statuses[p].status, 410, p);
    assert.equal(statuses[p].code, `link_${p}`);
  }
});

Deno.test("a visit link is told apart after it stops: replaced, cancelled, expired; in the visit's language, and a stranger's link in the clinic's", async () => {
  const v = await clinicWithVisit("es");
  try {
    const { clinic, doctor, visitToken } = v;
    const opened = await openVisit(clinic, visitToken);
    assert.equal(opened.language, "es");
    assert.equal(opened.timeZone, "UTC", "none given: the clinic's");

    assert.equal(await outcome(openVisit(clinic, "x")), "malformed 404 en");
    assert.equal(
      await outcome(openVisit(clinic, randomToken())),
      "unknown 404 en",
      "a guessed link is in the clinic's language: nothing of the visit",
    );
    assert.equal(
      await outcome(
        openVisit(clinic, visitToken, { now: windowEnd(v.appointment) }),
      ),
      "expired 410 es",
    );
    assert.equal(
      await outcome(
        openVisit(clinic, visitToken, { ended: () => Promise.resolve(true) }),
      ),
      "ended 410 es",
    );

    // Rescheduling keeps the language (and the link).
    await rescheduleVisit(clinic, doctor, v.appointment.id, {
      durationMinutes: 30,
    }, noCall);
    assert.equal((await openVisit(clinic, visitToken)).language, "es");

    const renewed = await reissueVisitLink(
      clinic,
      doctor,
      v.appointment.id,
      noCall,
    );
    const newToken = renewed.visitUrl.split("/visit/")[1];
    assert.equal(
      await outcome(openVisit(clinic, visitToken)),
      "replaced 410 es",
    );
    assert.equal(await outcome(openVisit(clinic, newToken)), "open");

    await cancelVisit(clinic, doctor, v.appointment.id, noCall);
    assert.equal(
      await outcome(openVisit(clinic, newToken)),
      "cancelled 410 es",
    );
    assert.equal(
      await outcome(openVisit(clinic, visitToken)),
      "cancelled 410 es",
    );
  } finally {
    v.close();
  }
});

Deno.test("the visit link sets the visit's language and nothing else, and not once replaced", async () => {
  const v = await clinicWithVisit();
  try {
    const { clinic, doctor, visitToken } = v;
    const opened = await openVisit(clinic, visitToken);
    assert.equal(opened.language, "en", "none given: the clinic's");
    await setVisitLanguage(clinic, opened, "es");
    const after = await openVisit(clinic, visitToken);
    assert.equal(after.language, "es");
    const { language: _a, updatedAt: _b, ...rest } = after.appointment;
    const { language: _c, updatedAt: _d, ...before } = opened.appointment;
    assert.deepEqual(rest, before, "only the language changed");

    await reissueVisitLink(clinic, doctor, v.appointment.id, noCall);
    await assert.rejects(
      () => setVisitLanguage(clinic, after, "en"),
      (e: Error & { status?: number }) => e.status === 409,
    );
  } finally {
    v.close();
  }
});

Deno.test("the personal link rule: malformed, unknown, replaced, expired", async () => {
  const v = await clinicWithVisit();
  try {
    const { clinic, doctor, patientToken } = v;
    const patient = await openPersonalPage(clinic, patientToken);
    assert.equal(patient.id, v.appointment.patientId);
    assert.equal(
      await outcome(openPersonalPage(clinic, "../x")),
      "malformed 404 en",
    );
    assert.equal(
      await outcome(openPersonalPage(clinic, randomToken())),
      "unknown 404 en",
    );
    assert.equal(
      await outcome(openPersonalPage(clinic, patientToken, Date.now() + DAY)),
      "expired 410 en",
    );
    const fresh = randomToken();
    await reissuePatientLink(clinic.kv, doctor.id, patient.id, {
      token: fresh,
      validMs: DAY,
      actor: { kind: "doctor", id: doctor.id },
    });
    assert.equal(
      await outcome(openPersonalPage(clinic, patientToken)),
      "replaced 410 en",
    );
    assert.equal((await openPersonalPage(clinic, fresh)).id, patient.id);

    const { doctorId: _owner, ...ownerless } =
      (await getPatient(clinic.kv, patient.id))!;
    assert.equal(
      personalLinkVerdict(true, { patient: ownerless, current: true }, 0),
      "unknown",
      "a record without an owning doctor opens nothing",
    );
  } finally {
    v.close();
  }
});
