/**
 * What a request repeated without end may cost: "Send invitation again" is
 * not a way to flood a patient's mailbox (by a doctor tricked into it, or
 * whoever holds a doctor's sign-in), and a visit link or personal link
 * cannot grow the store or the audit trail by switching the language back
 * and forth. A refused repeat writes nothing; a link replaced while its
 * holder was switching switches nothing.
 */
import assert from "node:assert/strict";
import { openPersonalPage } from "@/lib/clinic/personal_link_access.ts";
import { setPersonalPageLanguage } from "@/lib/clinic/patient_language.ts";
import { randomToken } from "@/lib/auth/tokens.ts";
import { listAudit } from "@/lib/store/audit.ts";
import { getPatient, reissuePatientLink } from "@/lib/store/patients.ts";
import {
  Client,
  snapshot,
  startIn,
  startServer,
  type TestServer,
} from "./helpers/server.ts";

/** Mail on, to a server nobody answers on: messages are only queued. */
const MAIL_QUEUED_ONLY = {
  SMTP_URL: "smtp://127.0.0.1:9",
  SMTP_TLS: "none",
  MAIL_FROM: "Riverside Clinic <visits@clinic.test>",
  MAIL_SWEEP_SECONDS: "3600",
};

async function book(doctor: Client) {
  const res = await doctor.json("/api/appointments", {
    patientName: "Ada Lovelace",
    patientEmail: "ada@example.org",
    startsAt: startIn(3 * 24 * 60),
    durationMinutes: 20,
  });
  assert.equal(res.status, 201, await res.clone().text());
  const body = await res.json();
  return {
    id: body.id as string,
    patientId: body.patient.id as string,
    token: body.visitUrl.split("/visit/")[1] as string,
    patientToken: body.patientDashboardUrl.split("/patient/")[1] as string,
  };
}

async function auditCount(server: TestServer, action: string) {
  return (await listAudit(server.kv, { limit: 100 })).items
    .filter((e) => e.action === action).length;
}

Deno.test("Send invitation again is limited per visit: no mail flood, a refusal writes nothing", async () => {
  const server = await startServer(MAIL_QUEUED_ONLY);
  try {
    const doctor = await new Client(server.url).signIn();
    const visit = await book(doctor);
    const again = () =>
      doctor.fetch(`/api/appointments/${visit.id}/invitation`, {
        method: "POST",
      });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await again();
      statuses.push(res.status);
      if (res.status === 429) {
        assert.equal((await res.json()).error.code, "too_many_invitations");
        const wait = Number(res.headers.get("retry-after"));
        assert.ok(wait > 0 && wait <= 24 * 3600, `Retry-After ${wait}`);
      } else await res.body?.cancel();
    }
    const sent = statuses.filter((s) => s === 202).length;
    assert.ok(sent >= 1 && sent <= 5, `${sent} invitations again`);
    assert.deepEqual(
      statuses.slice(sent),
      Array(30 - sent).fill(429),
      "refused once the limit is reached",
    );
    const items = (await (await doctor.fetch(
      `/api/appointments/${visit.id}/messages`,
    )).json()).items as { kind: string }[];
    assert.equal(
      items.filter((m) => m.kind === "invitation").length,
      1 + sent,
      "the booking's invitation and the ones let through, no more",
    );

    // In parallel, none passes the limit either; a refusal writes nothing.
    const before = await snapshot(server.kv);
    const parallel = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await again();
        await res.body?.cancel();
        return res.status;
      }),
    );
    assert.deepEqual(parallel, Array(10).fill(429));
    assert.equal(await snapshot(server.kv), before, "nothing written");

    // The appointment page's button is the same action, with the same limit.
    const form = await doctor.form(`/appointments/${visit.id}`, {
      action: "resend-invitation",
    });
    assert.equal(form.status, 429);
    await form.body?.cancel();
    assert.equal(await snapshot(server.kv), before, "nothing written");
  } finally {
    await server.close();
  }
});

Deno.test("parallel requests to send the invitation again pass the limit no more than one at a time", async () => {
  const server = await startServer(MAIL_QUEUED_ONLY);
  try {
    const doctor = await new Client(server.url).signIn();
    const visit = await book(doctor);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await doctor.fetch(
          `/api/appointments/${visit.id}/invitation`,
          { method: "POST" },
        );
        await res.body?.cancel();
        return res.status;
      }),
    );
    const sent = statuses.filter((s) => s === 202).length;
    assert.ok(sent <= 5, `${sent} let through: ${statuses}`);
    assert.ok(
      statuses.every((s) => s === 202 || s === 429 || s === 409),
      String(statuses),
    );
    const items = (await (await doctor.fetch(
      `/api/appointments/${visit.id}/messages`,
    )).json()).items as { kind: string }[];
    assert.equal(items.filter((m) => m.kind === "invitation").length, 1 + sent);
  } finally {
    await server.close();
  }
});

Deno.test("a patient's link cannot grow the store by switching the language again and again", async () => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const visit = await book(doctor);
    const post = (path: string, language: string) =>
      fetch(server.url + path, {
        method: "POST",
        body: new URLSearchParams({ language }),
        redirect: "manual",
      });

    for (
      const [path, action] of [
        [`/visit/${visit.token}`, "appointment.language_changed"],
        [`/patient/${visit.patientToken}`, "patient.language_changed"],
      ]
    ) {
      // Choosing the language already chosen writes nothing.
      const first = await post(path, "es");
      assert.equal(first.status, 303);
      await first.body?.cancel();
      const unchanged = await snapshot(server.kv);
      for (let i = 0; i < 5; i++) {
        const res = await post(path, "es");
        assert.equal(res.status, 303);
        await res.body?.cancel();
      }
      assert.equal(await snapshot(server.kv), unchanged, `${path}: no-op`);
      assert.equal(await auditCount(server, action), 1);

      // Back and forth: a few changes pass, then each is refused.
      let current = "es";
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) {
        const other = current === "es" ? "en" : "es";
        const res = await post(path, other);
        statuses.push(res.status);
        if (res.status === 303) current = other;
        if (res.status === 429) {
          assert.ok(Number(res.headers.get("retry-after")) > 0);
        }
        await res.body?.cancel();
      }
      const passed = statuses.filter((s) => s === 303).length;
      assert.ok(passed >= 3 && passed <= 10, `${path}: ${passed} changes`);
      assert.deepEqual(statuses.slice(passed), Array(60 - passed).fill(429));
      assert.ok(
        await auditCount(server, action) <= 11,
        `${path}: audit entries bounded`,
      );
      const before = await snapshot(server.kv);
      const refused = await post(path, current === "es" ? "en" : "es");
      assert.equal(refused.status, 429);
      await refused.body?.cancel();
      assert.equal(
        await snapshot(server.kv),
        before,
        "a refusal writes nothing",
      );
    }
  } finally {
    await server.close();
  }
});

Deno.test("a personal link replaced while its page was open switches no language", async () => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const visit = await book(doctor);
    const opened = await openPersonalPage(server.clinic, visit.patientToken);
    const patient = (await getPatient(server.kv, visit.patientId))!;
    const reissued = await reissuePatientLink(
      server.kv,
      patient.doctorId!,
      patient.id,
      {
        token: randomToken(),
        validMs: 3_600_000,
        actor: { kind: "doctor", id: patient.doctorId! },
      },
    );
    assert.ok(reissued);
    const before = await snapshot(server.kv);
    await assert.rejects(
      () => setPersonalPageLanguage(server.clinic, opened, "es"),
      (e: Error & { status?: number }) => e.status === 409,
    );
    assert.equal(await snapshot(server.kv), before, "nothing written");
    assert.equal(
      (await getPatient(server.kv, patient.id))!.language,
      undefined,
    );
  } finally {
    await server.close();
  }
});
