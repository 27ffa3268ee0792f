/**
 * axe-core on the pages the other browser tests do not reach, in English
 * and in Spanish: sign-in, the dashboard empty and with visits, the
 * appointment page, the history, a visit's report, the doctors, the
 * profile, the patient's visit page before its window opens and once it is
 * open, testing the camera and microphone, the check-in (refused, then
 * passed), the call's device check, the patient's personal page, the
 * pages of stopped links, the doctor's page of a cancelled visit and of one
 * nobody came to, and the sign-in a page asked for. Nothing of impact moderate or above may be found.
 * (The call's other states, the waiting dashboard and the stopped links
 * reached through a call are checked where those tests reach them.)
 */
import assert from "node:assert/strict";
import { ARTIFACTS, browserTest } from "./helpers/browser.ts";
import { assertAccessible, axeFindings } from "./helpers/axe.ts";
import { ADMIN, Client, startIn, startServer } from "./helpers/server.ts";
import { windowEnd } from "@/lib/clinic/visit_window.ts";
import { updateAppointment } from "@/lib/store/appointments.ts";
import { holdVisit } from "./helpers/signal_client.ts";
import { passCheckIn } from "./helpers/call_pages.ts";
import { assertVideosPlayInline } from "./helpers/video_markup.ts";

browserTest(
  "axe finds nothing on the doctor's and the patient's pages",
  async (browser) => {
    const server = await startServer({
      CALL_TEST_HOOKS: "1",
      CLINIC_PHONE: "+1 555 0100",
      CLINIC_EMAIL: "desk@clinic.example",
    });
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    try {
      const context = await browser.newContext({
        viewport: { width: 1100, height: 900 },
      });
      const page = await context.newPage();
      context.on(
        "console",
        (m) =>
          m.text().startsWith("axe") && console.log(m.page()?.url(), m.text()),
      );

      // Sign-in, then the dashboard with nothing booked yet.
      await page.goto(`${server.url}/login`);
      await assertAccessible(page, "sign-in");
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill("wrong password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForSelector(".alert, [role=alert]");
      await assertAccessible(page, "sign-in, refused");
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/dashboard$/);
      await page.waitForSelector("html[data-islands-ready]");
      await assertAccessible(page, "dashboard, empty");

      // A booking with mistakes: the errors beside the fields.
      await page.getByRole("button", { name: "Schedule visit" }).click();
      await page.waitForSelector(".field-error");
      await assertAccessible(page, "dashboard, booking refused");

      // Visits booked through the API, in English and in Spanish: one open
      // now, one tomorrow, one held and ended.
      const doctor = new Client(server.url);
      const [name, value] = await signedInCookie(context, server.url);
      doctor.cookies.set(name, value);
      const book = async (body: Record<string, unknown>) => {
        const res = await doctor.json("/api/appointments", {
          patientName: "Grace Hopper",
          durationMinutes: 30,
          ...body,
        });
        assert.equal(res.status, 201, await res.clone().text());
        return await res.json() as {
          id: string;
          visitUrl: string;
          patientDashboardUrl: string;
        };
      };
      const now = await book({ startsAt: startIn(2) });
      const later = await book({ startsAt: startIn(24 * 60) });
      const spanish = await book({
        patientName: "Lucía Fernández",
        startsAt: startIn(3),
        patientLanguage: "es",
      });
      const spanishLater = await book({
        patientName: "Lucía Fernández",
        startsAt: startIn(26 * 60),
        patientLanguage: "es",
      });
      const held = await book({ startsAt: startIn(1) });
      await holdVisit({ id: held.id, visitUrl: held.visitUrl, doctor });

      await page.goto(`${server.url}/dashboard`);
      await page.waitForSelector("html[data-islands-ready]");
      await assertAccessible(page, "dashboard, with visits");
      await page.goto(`${server.url}/appointments/${now.id}`);
      await assertAccessible(page, "appointment page");
      await page.goto(`${server.url}/appointments/${held.id}`);
      await page.waitForSelector("[data-lifecycle=completed]");
      await assertAccessible(page, "appointment page, visit held");
      await page.goto(`${server.url}/history`);
      await assertAccessible(page, "history");
      await page.goto(`${server.url}/sessions/${held.id}`);
      await assertAccessible(page, "visit report");
      await page.goto(`${server.url}/doctors`);
      await assertAccessible(page, "doctors");
      await page.goto(`${server.url}/profile`);
      await assertAccessible(page, "profile");
      await page.goto(`${server.url}/audit`);
      await assertAccessible(page, "audit trail");
      await page.goto(`${server.url}/appointments/${now.id}/call`);
      await page.waitForSelector("html[data-islands-ready]");
      await assertAccessible(page, "doctor's call, device check");

      // The patient's pages, on a phone, in English then in Spanish.
      const phone = await browser.newContext({
        viewport: { width: 390, height: 844 },
      });
      const patient = await phone.newPage();
      phone.on(
        "console",
        (m) =>
          m.text().startsWith("axe") && console.log(m.page()?.url(), m.text()),
      );
      for (
        const [language, open, before] of [
          ["English", now, later],
          ["Spanish", spanish, spanishLater],
        ] as const
      ) {
        await patient.goto(before.visitUrl);
        await patient.waitForSelector("html[data-islands-ready]");
        await assertAccessible(
          patient,
          `visit page before it opens, ${language}`,
        );
        await patient.goto(open.visitUrl);
        await patient.waitForSelector("html[data-islands-ready]");
        await assertAccessible(patient, `visit page, open, ${language}`);
        // Testing the camera and microphone, before the window opens.
        await patient.goto(before.visitUrl + "/test");
        await patient.waitForSelector("html[data-islands-ready]");
        await assertAccessible(patient, `device test, ${language}`);
        await patient.locator(".device-test-page button.big").click();
        await patient.waitForSelector("video.preview");
        await assertAccessible(patient, `device test, camera on, ${language}`);
        assert.equal(await assertVideosPlayInline(patient), 1, "the preview");
        // Check-in: refused without the consent, then passed.
        await patient.goto(open.visitUrl + "/call");
        await patient.waitForSelector("form.check-in-form");
        await assertAccessible(patient, `check-in, ${language}`);
        await patient.click("form.check-in-form button[type=submit]");
        await patient.waitForSelector("#consent-error");
        await assertAccessible(patient, `check-in, refused, ${language}`);
        await passCheckIn(patient);
        await assertAccessible(patient, `call, before the camera, ${language}`);
        await patient.locator(".call-check button").first().click();
        await patient.waitForSelector("video.preview");
        await assertAccessible(patient, `call, device check, ${language}`);
        assert.equal(await assertVideosPlayInline(patient), 1, "the preview");
        await patient.goto(open.patientDashboardUrl);
        await assertAccessible(patient, `personal page, ${language}`);
      }

      // Stopped links: unknown, malformed, cancelled, ended.
      await patient.goto(`${server.url}/visit/not-a-token`);
      await assertAccessible(patient, "link problem, malformed");
      await patient.goto(`${server.url}/patient/not-a-token`);
      await assertAccessible(patient, "personal page link problem");
      await patient.goto(held.visitUrl);
      await assertAccessible(patient, "link problem, ended");
      for (const visit of [later, spanishLater]) {
        const res = await doctor.fetch(`/api/appointments/${visit.id}`, {
          method: "DELETE",
        });
        await res.body?.cancel();
        await patient.goto(visit.visitUrl);
        await assertAccessible(
          patient,
          `link problem, cancelled, ${visit === later ? "English" : "Spanish"}`,
        );
      }
      // The doctor's side of those: a cancelled visit, one nobody came to.
      await page.goto(`${server.url}/appointments/${later.id}`);
      await page.waitForSelector("[data-lifecycle=cancelled]");
      await assertAccessible(page, "appointment page, cancelled");
      await updateAppointment(server.kv, now.id, (a) => ({
        ...a,
        startsAt: Date.now() - 2 * 3_600_000,
      }), { visitLinkEnds: windowEnd });
      await page.goto(`${server.url}/appointments/${now.id}`);
      await page.waitForSelector("[data-lifecycle=no-show]");
      await assertAccessible(page, "appointment page, nobody came");
      await page.goto(`${server.url}/history`);
      await assertAccessible(page, "history, every kind of visit");

      // Signed out, a page asks for the sign-in and says why.
      const signedOut = await browser.newContext();
      const asked = await signedOut.newPage();
      await asked.goto(`${server.url}/sessions/${held.id}`);
      await asked.waitForURL(/\/login\?/);
      await assertAccessible(asked, "sign-in, asked for by a page");
      await signedOut.close();
      await phone.close();
      await context.close();
    } finally {
      await server.close();
    }
  },
);

browserTest(
  "the check finds what it must: contrast, a label, heading order, landmarks",
  async (browser) => {
    const page = await browser.newPage();
    await page.setContent(
      `<!doctype html><html lang="en"><head><title>Faults</title></head>
      <body><main><h1>Faults</h1><h3>A skipped level</h3>
      <p style="color:#999;background:#fff">Too pale to read</p>
      <input type="text"></main><p>Outside every landmark</p></body></html>`,
    );
    const found = (await axeFindings(page)).map((f) => `${f.id}:${f.impact}`);
    assert.deepEqual(found.sort(), [
      "color-contrast:serious",
      "heading-order:moderate",
      "label:critical",
      "region:moderate",
    ]);
    await assert.rejects(
      assertAccessible(page, "a page of faults"),
      /axe on a page of faults .*: 4 finding\(s\)\n- /,
    );
    await page.close();
  },
);

/** The sign-in cookie the browser context holds for `url`. */
async function signedInCookie(
  context: import("playwright-core").BrowserContext,
  url: string,
): Promise<[string, string]> {
  const cookie = (await context.cookies(url)).find((c) =>
    c.name.endsWith("clinic_session")
  );
  assert.ok(cookie, "signed in");
  return [cookie.name, cookie.value];
}
