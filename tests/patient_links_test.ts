/**
 * A patient's links as they stop working: each reason gets its own plain
 * page (status, the clinic's phone and email, no way to the doctors'
 * sign-in, nothing of any other visit), the ticket API says the same in
 * JSON, and the patient's language switch changes that one field, from
 * this site only.
 */
import assert from "node:assert/strict";
import { randomToken } from "@/lib/auth/tokens.ts";
import { toLocalInput } from "@/lib/clinic/time.ts";
import { windowEnd } from "@/lib/clinic/visit_window.ts";
import { updateAppointment } from "@/lib/store/appointments.ts";
import { listAudit } from "@/lib/store/audit.ts";
import { keys } from "@/lib/store/keys.ts";
import { getPatient, reissuePatientLink } from "@/lib/store/patients.ts";
import {
  Client,
  snapshot,
  startIn,
  startServer,
  type TestServer,
} from "./helpers/server.ts";
import { holdVisit } from "./helpers/signal_client.ts";

const CONTACT = {
  CLINIC_NAME: "Clínica Ribera",
  CLINIC_PHONE: "+34 910 000 111",
  CLINIC_EMAIL: "citas@ribera.example",
  CLINIC_LANGUAGE: "en",
};

/** What no patient's error page may carry: another visit's details. */
const SECRETS = [/Ada Secretname/, /Very private reason/, /admin/];

interface Booked {
  id: string;
  token: string;
  patientToken?: string;
}

async function bookFor(
  doctor: Client,
  fields: Record<string, unknown> = {},
): Promise<Booked> {
  const res = await doctor.json("/api/appointments", {
    patientName: "Ada Secretname",
    reason: "Very private reason",
    startsAt: startIn(1),
    durationMinutes: 20,
    ...fields,
  });
  assert.equal(res.status, 201, await res.clone().text());
  const body = await res.json();
  return {
    id: body.id,
    token: body.visitUrl.split("/visit/")[1],
    patientToken: body.patientDashboardUrl?.split("/patient/")[1],
  };
}

async function get(server: TestServer, path: string, client?: Client) {
  const res = client
    ? await client.fetch(path)
    : await fetch(server.url + path);
  return { status: res.status, body: await res.text() };
}

/** A patient's page that explains a stopped link, checked for everything it must and must not say. */
function assertProblemPage(
  page: { status: number; body: string },
  expected: { status: number; problem: string; lang: "en" | "es" },
) {
  const { body } = page;
  assert.equal(page.status, expected.status, body.slice(0, 300));
  assert.match(body, new RegExp(`<html lang="${expected.lang}"`));
  assert.match(body, new RegExp(`data-problem="${expected.problem}"`));
  assert.ok(body.includes(CONTACT.CLINIC_PHONE), "the clinic's phone");
  assert.ok(body.includes(CONTACT.CLINIC_EMAIL), "the clinic's email");
  assert.doesNotMatch(body, /href="\/login"|href="\/"|href="\/dashboard"/);
  assert.doesNotMatch(body, /Sign in|Sign out/);
  for (const secret of SECRETS) assert.doesNotMatch(body, secret);
}

Deno.test("every stopped visit link has its own page, status and JSON answer", async (t) => {
  const server = await startServer(CONTACT);
  try {
    const doctor = await new Client(server.url).signIn();

    await t.step(
      "malformed and unknown: 404, nothing of any visit",
      async () => {
        await bookFor(doctor, { patientLanguage: "es" });
        for (
          const token of ["abc", "x".repeat(44), "a%0d%0ab", "%3Cscript%3E"]
        ) {
          assertProblemPage(await get(server, `/visit/${token}`), {
            status: 404,
            problem: "malformed",
            lang: "en",
          });
        }
        const unknown = randomToken();
        for (const path of [`/visit/${unknown}`, `/visit/${unknown}/call`]) {
          assertProblemPage(await get(server, path), {
            status: 404,
            problem: "unknown",
            lang: "en",
          });
        }
        const ticket = await fetch(
          `${server.url}/api/visits/${unknown}/ticket`,
          {
            method: "POST",
          },
        );
        assert.equal(ticket.status, 404);
        assert.equal((await ticket.json()).error.code, "not_found");
      },
    );

    await t.step(
      "replaced and cancelled: 410 in the visit's language",
      async () => {
        const visit = await bookFor(doctor, { patientLanguage: "es" });
        const renewed = await (await doctor.fetch(
          `/api/appointments/${visit.id}/visit-link`,
          { method: "POST" },
        )).json();
        const fresh = renewed.visitUrl.split("/visit/")[1];
        const replaced = await get(server, `/visit/${visit.token}`);
        assertProblemPage(replaced, {
          status: 410,
          problem: "replaced",
          lang: "es",
        });
        assert.match(replaced.body, /Este enlace fue sustituido/);
        const ticket = await fetch(
          `${server.url}/api/visits/${visit.token}/ticket`,
          { method: "POST" },
        );
        assert.equal(ticket.status, 410);
        assert.equal((await ticket.json()).error.code, "link_replaced");

        const cancel = await doctor.fetch(`/api/appointments/${visit.id}`, {
          method: "DELETE",
        });
        await cancel.body?.cancel();
        for (const token of [fresh, visit.token]) {
          const page = await get(server, `/visit/${token}/call`);
          assertProblemPage(page, {
            status: 410,
            problem: "cancelled",
            lang: "es",
          });
          assert.match(page.body, /Esta consulta fue cancelada/);
        }
        const ics = await fetch(`${server.url}/visit/${fresh}/invite.ics`);
        assert.equal(ics.status, 410);
        await ics.body?.cancel();
      },
    );

    await t.step("ended: 410, while the ticket API keeps its 409", async () => {
      const visit = await bookFor(doctor);
      await holdVisit({
        id: visit.id,
        visitUrl: `${server.url}/visit/${visit.token}`,
        doctor,
      });
      for (
        const path of [`/visit/${visit.token}`, `/visit/${visit.token}/call`]
      ) {
        const page = await get(server, path);
        assertProblemPage(page, { status: 410, problem: "ended", lang: "en" });
        assert.match(page.body, /This visit has ended/);
      }
      const ticket = await fetch(
        `${server.url}/api/visits/${visit.token}/ticket`,
        { method: "POST" },
      );
      assert.equal(ticket.status, 409);
      assert.equal((await ticket.json()).error.code, "room_closed");
    });

    await t.step("expired: 410 once the visit window has closed", async () => {
      const visit = await bookFor(doctor, { patientLanguage: "es" });
      await updateAppointment(server.kv, visit.id, (a) => ({
        ...a,
        startsAt: Date.now() - 2 * 3_600_000,
      }), { visitLinkEnds: windowEnd });
      const page = await get(server, `/visit/${visit.token}`);
      assertProblemPage(page, { status: 410, problem: "expired", lang: "es" });
      assert.match(page.body, /Este enlace ha caducado/);
      const ticket = await fetch(
        `${server.url}/api/visits/${visit.token}/ticket`,
        { method: "POST" },
      );
      assert.equal(ticket.status, 410);
      assert.equal((await ticket.json()).error.code, "link_expired");
    });

    await t.step(
      "a signed-in doctor opening a patient's page sees the patient's header",
      async () => {
        const visit = await bookFor(doctor);
        const page = await get(server, `/visit/${visit.token}`, doctor);
        assert.equal(page.status, 200);
        assert.doesNotMatch(page.body, /href="\/login"|href="\/dashboard"/);
        assert.match(page.body, /<span class="brand">Clínica Ribera<\/span>/);
        const stopped = await get(server, `/visit/${randomToken()}`, doctor);
        assertProblemPage(stopped, {
          status: 404,
          problem: "unknown",
          lang: "en",
        });
      },
    );
  } finally {
    await server.close();
  }
});

Deno.test("a stopped personal page link: malformed, unknown, replaced, expired", async () => {
  const server = await startServer(CONTACT);
  try {
    const doctor = await new Client(server.url).signIn();
    const first = await bookFor(doctor);
    const second = await bookFor(doctor);
    assert.ok(first.patientToken && second.patientToken);
    const open = await get(server, `/patient/${first.patientToken}`);
    assert.equal(open.status, 200);
    assert.doesNotMatch(open.body, /href="\/login"|href="\/"/);

    assertProblemPage(await get(server, "/patient/not-a-token"), {
      status: 404,
      problem: "malformed",
      lang: "en",
    });
    assertProblemPage(await get(server, `/patient/${randomToken()}`), {
      status: 404,
      problem: "unknown",
      lang: "en",
    });
    const api = await fetch(
      `${server.url}/api/patient/${randomToken()}/sessions`,
    );
    assert.equal(api.status, 404);
    await api.body?.cancel();

    const patientId = (await (await doctor.fetch(
      `/api/appointments/${first.id}`,
    )).json()).patient.id;
    const doctorId = (await getPatient(server.kv, patientId))!.doctorId!;
    await reissuePatientLink(server.kv, doctorId, patientId, {
      token: randomToken(),
      validMs: 3_600_000,
      actor: { kind: "doctor", id: doctorId },
    });
    assertProblemPage(await get(server, `/patient/${first.patientToken}`), {
      status: 410,
      problem: "replaced",
      lang: "en",
    });
    const replacedApi = await fetch(
      `${server.url}/api/patient/${first.patientToken}/sessions`,
    );
    assert.equal(replacedApi.status, 410);
    assert.equal((await replacedApi.json()).error.code, "link_replaced");

    const secondId = (await (await doctor.fetch(
      `/api/appointments/${second.id}`,
    )).json()).patient.id;
    const record = (await getPatient(server.kv, secondId))!;
    await server.kv.set(keys.patient(secondId), {
      ...record,
      linkExpiresAt: Date.now() - 1,
    });
    assertProblemPage(await get(server, `/patient/${second.patientToken}`), {
      status: 410,
      problem: "expired",
      lang: "en",
    });
  } finally {
    await server.close();
  }
});

Deno.test("the language switch: this site only, one field, audited, and followed by the pages", async () => {
  const server = await startServer(CONTACT);
  try {
    const doctor = await new Client(server.url).signIn();
    const visit = await bookFor(doctor);
    const path = `/visit/${visit.token}`;
    const before = await get(server, path);
    assert.match(before.body, /<html lang="en"/);
    assert.match(before.body, /lang="es"[^>]*>Leer esta página en Español/);

    const post = (
      fields: Record<string, string>,
      headers: Record<string, string> = {},
      at = path,
    ) =>
      fetch(server.url + at, {
        method: "POST",
        body: new URLSearchParams(fields),
        headers,
        redirect: "manual",
      });
    const unchanged = await snapshot(server.kv);
    for (
      const [fields, headers, status] of [
        [{ language: "es" }, {
          "sec-fetch-site": "cross-site",
          origin: "https://evil.example",
        }, 403],
        [{ language: "es" }, { origin: "https://evil.example" }, 403],
        [{ language: "fr" }, {}, 400],
        [{ language: "es\r\nX-Injected: 1" }, {}, 400],
        [{ language: "e".repeat(10_000) }, {}, 400],
        [{}, {}, 400],
        [{ language: "es", status: "cancelled" }, {}, 400],
        [{ language: "es", startsAt: "2030-01-01T10:00" }, {}, 400],
      ] as [Record<string, string>, Record<string, string>, number][]
    ) {
      const res = await post(fields, headers);
      assert.equal(res.status, status, JSON.stringify(fields));
      const text = await res.text();
      assert.doesNotMatch(text, /href="\/login"|href="\/"/);
    }
    assert.equal(await snapshot(server.kv), unchanged, "nothing written");

    const switched = await post({ language: "es" }, {
      "sec-fetch-site": "same-origin",
      origin: server.url,
    });
    assert.equal(switched.status, 303);
    assert.equal(switched.headers.get("location"), path);
    await switched.body?.cancel();
    const after = await get(server, path);
    assert.match(after.body, /<html lang="es"/);
    assert.match(after.body, /Su consulta por vídeo con admin/);
    assert.match(after.body, />Read this page in English</);
    const call = await get(server, `${path}/call`);
    assert.match(call.body, /<html lang="es"/);
    // Its first step, check-in, with the consent in Spanish.
    assert.match(call.body, /Registre su llegada a la consulta con admin/);
    assert.match(call.body, /Consentimiento para una consulta por vídeo/);
    const json = await (await doctor.fetch(`/api/appointments/${visit.id}`))
      .json();
    assert.equal(json.patientLanguage, "es");
    assert.equal(json.reason, "Very private reason", "nothing else changed");
    const changes = (await listAudit(server.kv, { limit: 100 })).items
      .filter((e) => e.action === "appointment.language_changed");
    assert.deepEqual(
      changes.map((e) => [e.actor, e.subject, e.detail]),
      [[{ kind: "patient", id: json.patient.id }, visit.id, "es"]],
    );

    // A replaced link switches nothing.
    const renewed = await doctor.fetch(
      `/api/appointments/${visit.id}/visit-link`,
      { method: "POST" },
    );
    await renewed.body?.cancel();
    const stale = await post({ language: "en" });
    assert.equal(stale.status, 410);
    await stale.body?.cancel();
    assert.equal(
      (await (await doctor.fetch(`/api/appointments/${visit.id}`)).json())
        .patientLanguage,
      "es",
    );

    // The personal page has its own switch.
    const personal = `/patient/${visit.patientToken}`;
    const res = await post({ language: "es" }, {}, personal);
    assert.equal(res.status, 303);
    await res.body?.cancel();
    const page = await get(server, personal);
    assert.match(page.body, /<html lang="es"/);
    assert.match(page.body, /Hola, Ada Secretname/);
  } finally {
    await server.close();
  }
});

Deno.test("a visit's language and time zone: booked in the form and the API, checked, kept on reschedule", async () => {
  const server = await startServer({
    ...CONTACT,
    CLINIC_TIME_ZONE: "Europe/Paris",
  });
  try {
    const doctor = await new Client(server.url).signIn();
    const dashboard = await (await doctor.fetch("/dashboard")).text();
    assert.match(dashboard, /<option value="en" selected>English<\/option>/);
    assert.match(dashboard, /name="patientTimeZone"[^>]*value="Europe\/Paris"/);
    assert.match(
      dashboard,
      /<datalist id="time-zones">.*value="America\/Bogota"/s,
    );

    const booked = await doctor.json("/api/appointments", {
      patientName: "Lucía",
      startsAt: startIn(60),
      durationMinutes: 20,
      patientLanguage: "es",
      patientTimeZone: "america/new_york",
    });
    assert.equal(booked.status, 201);
    const body = await booked.json();
    assert.equal(body.patientLanguage, "es");
    assert.equal(
      body.patientTimeZone,
      "America/New_York",
      "as the runtime spells it",
    );
    const plain = await (await doctor.json("/api/appointments", {
      patientName: "Lucía",
      startsAt: startIn(60),
      durationMinutes: 20,
    })).json();
    assert.equal(plain.patientLanguage, "en", "the clinic's");
    assert.equal(plain.patientTimeZone, "Europe/Paris", "the clinic's");

    const doctorsPage = await (await doctor.fetch(`/appointments/${body.id}`))
      .text();
    assert.match(doctorsPage, /Español,\s*America\/New_York/);
    const visitPage = await (await fetch(body.visitUrl)).text();
    assert.match(visitPage, /hora (del este|oriental)/i, "the zone is named");

    const moved = await doctor.json(`/api/appointments/${body.id}`, {
      durationMinutes: 40,
    }, "PATCH");
    const movedBody = await moved.json();
    assert.equal(movedBody.patientLanguage, "es");
    assert.equal(movedBody.patientTimeZone, "America/New_York");

    const before = await snapshot(server.kv);
    for (
      const [field, value] of [
        ["patientTimeZone", "Mars/Olympus"],
        ["patientTimeZone", "Europe/Paris\r\nX"],
        ["patientTimeZone", "../../etc/passwd"],
        ["patientTimeZone", "A".repeat(500)],
        ["patientTimeZone", 3],
        ["patientLanguage", "fr"],
        ["patientLanguage", "ES"],
      ] as [string, unknown][]
    ) {
      const res = await doctor.json("/api/appointments", {
        patientName: "Lucía",
        startsAt: startIn(60),
        durationMinutes: 20,
        [field]: value,
      });
      assert.equal(res.status, 400, `${field}=${value}`);
      assert.ok((await res.json()).error.fields[field], field);
    }
    const inThreeDays = toLocalInput(
      Date.now() + 3 * 86_400_000,
      "Europe/Paris",
    );
    const form = await doctor.form("/dashboard", {
      patientName: "Lucía",
      startsAt: inThreeDays,
      durationMinutes: "20",
      patientLanguage: "es",
      patientTimeZone: "Nowhere/Atlantis",
    });
    assert.equal(form.status, 400);
    const shown = await form.text();
    assert.match(shown, /Choose a time zone from the list/);
    assert.match(shown, /value="Nowhere\/Atlantis"/, "what was typed is kept");
    assert.match(shown, /<option value="es" selected>/);
    assert.equal(await snapshot(server.kv), before, "nothing written");

    const ok = await doctor.form("/dashboard", {
      patientName: "Lucía",
      startsAt: inThreeDays,
      durationMinutes: "20",
      patientLanguage: "es",
      patientTimeZone: "Europe/Madrid",
    });
    assert.equal(ok.status, 303);
    const id = ok.headers.get("location")!.split("/").pop();
    await ok.body?.cancel();
    const saved = await (await doctor.fetch(`/api/appointments/${id}`)).json();
    assert.equal(saved.patientLanguage, "es");
    assert.equal(saved.patientTimeZone, "Europe/Madrid");
  } finally {
    await server.close();
  }
});
