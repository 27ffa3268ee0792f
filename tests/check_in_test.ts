/**
 * Check-in before the first join: the ticket waits for it; the form and
 * the API refuse hostile input and change nothing; it is kept with the
 * visit (not on the doctor's record) and in the audit trail; the clinic's
 * own consent is shown in the patient's language and kept by its hash; a
 * cancelled or expired link checks nobody in; and the doctor reads it on
 * the visit's page.
 */
import assert from "node:assert/strict";
import { windowEnd } from "@/lib/clinic/visit_window.ts";
import { checkIn as checkInText } from "@/lib/i18n/text/check_in.ts";
import { updateAppointment } from "@/lib/store/appointments.ts";
import { listAudit } from "@/lib/store/audit.ts";
import { getCheckIn, getConsentText } from "@/lib/store/check_ins.ts";
import { hashToken } from "@/lib/store/ids.ts";
import {
  Client,
  snapshot,
  startIn,
  startServer,
  type TestServer,
} from "./helpers/server.ts";

async function bookVisit(doctor: Client, fields: Record<string, unknown> = {}) {
  const res = await doctor.json("/api/appointments", {
    patientName: "Ana Peres",
    startsAt: startIn(1),
    durationMinutes: 20,
    ...fields,
  });
  assert.equal(res.status, 201, await res.clone().text());
  const body = await res.json();
  return {
    id: body.id as string,
    token: body.visitUrl.split("/visit/")[1] as string,
  };
}

const SAME_SITE = { "sec-fetch-site": "same-origin" };

function postForm(
  server: TestServer,
  token: string,
  fields: Record<string, string>,
  headers: Record<string, string> = SAME_SITE,
) {
  return fetch(`${server.url}/visit/${token}/call`, {
    method: "POST",
    redirect: "manual",
    headers,
    body: new URLSearchParams(fields),
  });
}

function postJson(
  server: TestServer,
  token: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(`${server.url}/api/visits/${token}/check-in`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function ticket(server: TestServer, token: string) {
  return fetch(`${server.url}/api/visits/${token}/ticket`, { method: "POST" });
}

/** The consent version the form carries. */
function versionOn(html: string): string {
  const m = /name="consentVersion" value="([0-9a-f]{64})"/.exec(html);
  assert.ok(m, "the form carries the consent's version");
  return m[1];
}

Deno.test("check-in: needed before a ticket, refused when hostile, kept once and audited", async (t) => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const visit = await bookVisit(doctor);
    const english = checkInText.en.defaultConsent;
    const version = await hashToken(english);

    await t.step("no ticket before check-in", async () => {
      const res = await ticket(server, visit.token);
      assert.equal(res.status, 409);
      assert.equal((await res.json()).error.code, "check_in_needed");
    });

    await t.step("the call page starts with the form, filled in", async () => {
      const res = await fetch(`${server.url}/visit/${visit.token}/call`);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /<h1>Check in for your visit with admin<\/h1>/);
      assert.match(html, /name="name"[^>]*value="Ana Peres"/);
      assert.match(html, /A video visit is a consultation with your doctor/);
      assert.equal(versionOn(html), version);
      assert.doesNotMatch(html, /data-island="Call"/, "no call before it");
      const api = await (await fetch(
        `${server.url}/api/visits/${visit.token}/check-in`,
      )).json();
      assert.deepEqual(api, {
        checkedIn: null,
        name: "Ana Peres",
        consent: { text: english, version, language: "en" },
      });
    });

    await t.step("hostile or incomplete input changes nothing", async () => {
      const before = await snapshot(server.kv);
      const good = {
        name: "Ana Pérez",
        consent: "yes",
        consentVersion: version,
      };
      const cases: [Record<string, string>, number, RegExp][] = [
        [{ ...good, consent: "" }, 400, /Tick the box to agree/],
        [{ name: good.name, consentVersion: version }, 400, /Tick the box/],
        [{ ...good, consent: "true" }, 400, /Tick the box/],
        [
          { ...good, name: "Ana\r\nBcc: x@evil.example" },
          400,
          /no line breaks/,
        ],
        [{ ...good, name: "Ana\u202Eevil" }, 400, /control characters/],
        [{ ...good, name: "A".repeat(101) }, 400, /at most 100 characters/],
        [{ ...good, name: "   " }, 400, /Enter your name/],
        [{ consent: "yes", consentVersion: version }, 400, /Enter your name/],
        [{ ...good, consentVersion: "x" }, 400, /changed this text/],
        [{ ...good, consentVersion: "0".repeat(64) }, 409, /changed this text/],
      ];
      for (const [fields, status, message] of cases) {
        const res = await postForm(server, visit.token, fields);
        assert.equal(res.status, status, JSON.stringify(fields));
        const html = await res.text();
        assert.match(html, message, JSON.stringify(fields));
        assert.match(html, /role="alert"/);
      }
      // A changed consent is to be read again: its box comes back unticked.
      const changed = await (await postForm(server, visit.token, {
        ...good,
        consentVersion: "0".repeat(64),
      })).text();
      assert.doesNotMatch(changed, /name="consent"[^>]*checked/);
      assert.equal(versionOn(changed), version);

      // From another site: refused before anything is read.
      const crossSite = await postForm(server, visit.token, good, {
        "sec-fetch-site": "cross-site",
        origin: "https://evil.example",
      });
      assert.equal(crossSite.status, 403);
      assert.equal((await crossSite.json()).error.code, "cross_site_request");
      const oldBrowser = await postForm(server, visit.token, good, {
        origin: "https://evil.example",
      });
      assert.equal(oldBrowser.status, 403);
      await oldBrowser.body?.cancel();

      // The API refuses the same, and more.
      const apiCases: [unknown, number, string][] = [
        [
          { name: "Ana", consent: false, consentVersion: version },
          400,
          "invalid_input",
        ],
        [
          { name: "Ana", consent: "yes", consentVersion: version },
          400,
          "invalid_input",
        ],
        [{ name: "Ana", consentVersion: version }, 400, "invalid_input"],
        [
          { name: "Ana\nB", consent: true, consentVersion: version },
          400,
          "invalid_input",
        ],
        [
          { name: "Ana", consent: true, consentVersion: version, admin: true },
          400,
          "invalid_input",
        ],
        [
          { name: 42, consent: true, consentVersion: version },
          400,
          "invalid_input",
        ],
        ["{not json", 400, "invalid_json"],
        [
          { name: "Ana", consent: true, consentVersion: "f".repeat(64) },
          409,
          "consent_changed",
        ],
      ];
      for (const [body, status, code] of apiCases) {
        const res = await postJson(server, visit.token, body);
        assert.equal(res.status, status, JSON.stringify(body));
        assert.equal((await res.json()).error.code, code, JSON.stringify(body));
      }
      const plain = await fetch(
        `${server.url}/api/visits/${visit.token}/check-in`,
        {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: JSON.stringify({
            name: "Ana",
            consent: true,
            consentVersion: version,
          }),
        },
      );
      assert.equal(plain.status, 415);
      await plain.body?.cancel();
      const crossJson = await postJson(
        server,
        visit.token,
        { name: "Ana", consent: true, consentVersion: version },
        { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      );
      assert.equal(crossJson.status, 403);
      await crossJson.body?.cancel();

      assert.equal(await snapshot(server.kv), before, "nothing was written");
      const still = await ticket(server, visit.token);
      assert.equal(still.status, 409);
      await still.body?.cancel();
    });

    await t.step(
      "checked in: kept with the visit, audited, and the call follows",
      async () => {
        const res = await postForm(server, visit.token, {
          name: "  Ana Pérez ",
          consent: "yes",
          consentVersion: version,
        });
        assert.equal(res.status, 303);
        assert.equal(res.headers.get("location"), `/visit/${visit.token}/call`);
        await res.body?.cancel();

        const kept = await getCheckIn(server.kv, visit.id);
        assert.ok(kept);
        assert.equal(kept.name, "Ana Pérez", "trimmed, as confirmed");
        assert.equal(kept.consentVersion, version);
        assert.equal(kept.language, "en");
        assert.ok(Math.abs(kept.at - Date.now()) < 60_000);
        assert.deepEqual(
          (await getConsentText(server.kv, version))?.text,
          english,
          "the words accepted are kept by their version",
        );
        // The doctor's record keeps the doctor's spelling.
        const record =
          await (await doctor.fetch(`/api/appointments/${visit.id}`))
            .json();
        assert.equal(record.patient.name, "Ana Peres");

        const entries = (await listAudit(server.kv, { limit: 100 })).items
          .filter((e) => e.action === "visit.checked_in");
        assert.equal(entries.length, 1);
        assert.deepEqual(entries[0].actor, {
          kind: "patient",
          id: record.patient.id,
        });
        assert.equal(entries[0].subject, visit.id);
        assert.equal(entries[0].detail, `consent ${version.slice(0, 12)}, en`);
        assert.doesNotMatch(
          JSON.stringify(entries[0]),
          /Ana/,
          "no name in the trail",
        );

        const page =
          await (await fetch(`${server.url}/visit/${visit.token}/call`))
            .text();
        assert.match(page, /data-island="Call"/);
        assert.doesNotMatch(
          page,
          /check-in-form/,
          "a rejoin is not asked again",
        );
        const offer = await ticket(server, visit.token);
        assert.equal(offer.status, 200);
        assert.equal((await offer.json()).role, "patient");
      },
    );

    await t.step(
      "a second check-in changes nothing: the first stands",
      async () => {
        const again = await postForm(server, visit.token, {
          name: "Somebody Else",
          consent: "yes",
          consentVersion: version,
        });
        assert.equal(again.status, 303);
        await again.body?.cancel();
        const api = await postJson(server, visit.token, {
          name: "Somebody Else",
          consent: true,
          consentVersion: version,
        });
        assert.equal(api.status, 200);
        assert.equal((await api.json()).checkedIn.name, "Ana Pérez");
        assert.equal(
          (await getCheckIn(server.kv, visit.id))?.name,
          "Ana Pérez",
        );
        const entries = (await listAudit(server.kv, { limit: 100 })).items
          .filter((e) => e.action === "visit.checked_in");
        assert.equal(entries.length, 1);
      },
    );

    await t.step("the doctor reads it on the visit's page", async () => {
      const html = await (await doctor.fetch(`/appointments/${visit.id}`))
        .text();
      assert.match(
        html,
        /Checked in [^<]+\d{2}:\d{2} as <strong>Ana Pérez<\/strong>, consent accepted/,
      );
      assert.match(
        html,
        /the visit&#x27;s record says Ana Peres|the visit's record says Ana Peres/,
      );
    });

    await t.step("a cancelled or expired link checks nobody in", async () => {
      const cancelled = await bookVisit(doctor);
      const expired = await bookVisit(doctor);
      const shown = versionOn(
        await (await fetch(`${server.url}/visit/${cancelled.token}/call`))
          .text(),
      );
      const del = await doctor.fetch(`/api/appointments/${cancelled.id}`, {
        method: "DELETE",
      });
      await del.body?.cancel();
      await updateAppointment(server.kv, expired.id, (a) => ({
        ...a,
        startsAt: Date.now() - 2 * 3_600_000,
      }), { visitLinkEnds: windowEnd });
      const before = await snapshot(server.kv);
      for (const token of [cancelled.token, expired.token]) {
        const form = await postForm(server, token, {
          name: "Ana",
          consent: "yes",
          consentVersion: shown,
        });
        assert.equal(form.status, 410);
        assert.doesNotMatch(await form.text(), /check-in-form/);
        const api = await postJson(server, token, {
          name: "Ana",
          consent: true,
          consentVersion: shown,
        });
        assert.equal(api.status, 410);
        await api.body?.cancel();
        const get = await fetch(`${server.url}/api/visits/${token}/check-in`);
        assert.equal(get.status, 410);
        await get.body?.cancel();
      }
      const unknown = await postJson(server, "A".repeat(43), {
        name: "Ana",
        consent: true,
        consentVersion: shown,
      });
      assert.equal(unknown.status, 404);
      await unknown.body?.cancel();
      assert.equal(await snapshot(server.kv), before, "nothing was written");
    });
  } finally {
    await server.close();
  }
});

Deno.test("check-in: the clinic's own consent, in the patient's language, kept by its version", async () => {
  const CONSENT_TEXT_EN =
    "Riverside video visits: your doctor sees and hears you.\\nYou may stop at any time.";
  const CONSENT_TEXT_ES =
    "Consultas por vídeo de Riverside: su médico le ve y le oye.\\nPuede parar cuando quiera.";
  const server = await startServer({ CONSENT_TEXT_EN, CONSENT_TEXT_ES });
  try {
    const doctor = await new Client(server.url).signIn();
    const visit = await bookVisit(doctor, {
      patientName: "Lucía Fernández",
      patientLanguage: "es",
    });
    const spanish =
      "Consultas por vídeo de Riverside: su médico le ve y le oye.\nPuede parar cuando quiera.";
    const html = await (await fetch(`${server.url}/visit/${visit.token}/call`))
      .text();
    assert.match(html, /<html lang="es"/);
    assert.match(html, /Registre su llegada a la consulta con admin/);
    assert.match(
      html,
      /<p>Consultas por vídeo de Riverside: su médico le ve y le oye\.<\/p><p>Puede parar cuando quiera\.<\/p>/,
    );
    assert.doesNotMatch(html, /A video visit is a consultation/);
    const version = versionOn(html);
    assert.equal(version, await hashToken(spanish));

    const missing = await postForm(server, visit.token, {
      name: "Lucía Fernández",
      consentVersion: version,
    });
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), /Marque la casilla para aceptar/);

    const res = await postForm(server, visit.token, {
      name: "Lucía Fernández",
      consent: "yes",
      consentVersion: version,
    });
    assert.equal(res.status, 303);
    await res.body?.cancel();
    const kept = await getCheckIn(server.kv, visit.id);
    assert.equal(kept?.language, "es");
    assert.equal(kept?.consentVersion, version);
    assert.deepEqual(await getConsentText(server.kv, version), {
      text: spanish,
      language: "es",
      firstAcceptedAt: kept?.at,
    });
  } finally {
    await server.close();
  }
});
