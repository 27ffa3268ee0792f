/**
 * Around the call, in Chromium: the patient checks in (name corrected,
 * consent refused then accepted) and joins; the doctor sees the check-in in
 * the dashboard's waiting room and sends a ready-made note and their own,
 * which appear on the patient's waiting page with the clinic's message; a
 * reload does not ask again. And "Test my camera and microphone" from a
 * Spanish visit's page hours before it opens: camera, microphone and
 * speaker in Spanish, with no ticket asked for and no socket opened.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { keys } from "@/lib/store/keys.ts";
import { assertAccessible } from "./helpers/axe.ts";
import { ARTIFACTS, browserTest } from "./helpers/browser.ts";
import {
  enterCall,
  reloadInCall,
  waitForVideo,
  withoutCamera,
} from "./helpers/call_pages.ts";
import { Client, startIn, startServer } from "./helpers/server.ts";
import { openVisitNow } from "./helpers/signal_client.ts";

const shot = (name: string) => new URL(name, ARTIFACTS).pathname;

browserTest(
  "check-in, then the waiting room with the clinic's message and the doctor's notes",
  async (browser) => {
    const server = await startServer({
      CALL_TEST_HOOKS: "1",
      WAITING_ROOM_MESSAGE_EN: "Please have your list of medicines at hand.",
      WAITING_ROOM_MESSAGE_ES: "Tenga a mano su lista de medicamentos.",
    });
    try {
      const visit = await openVisitNow(server);
      const doctorContext = await browser.newContext({
        viewport: { width: 1100, height: 800 },
      });
      const [name, value] = visit.doctor.cookie.split("=");
      await doctorContext.addCookies([{ name, value, url: server.url }]);
      const dashboard = await doctorContext.newPage();
      await dashboard.goto(`${server.url}/dashboard`);
      await dashboard.waitForSelector("html[data-islands-ready]");

      const patientContext = await browser.newContext({
        viewport: { width: 390, height: 844 },
      });
      const patient = await patientContext.newPage();
      await patient.goto(visit.visitUrl);
      await patient.waitForSelector("html[data-islands-ready]");
      await patient.getByRole("link", { name: "Join call" }).click();
      await patient.waitForURL(/\/call$/);
      assert.equal(
        await patient.textContent("h1"),
        "Check in for your visit with admin",
      );
      const nameField = patient.getByLabel("Your name");
      assert.equal(await nameField.inputValue(), "Test Patient");
      await nameField.fill("Test Patiënt");
      await patient.screenshot({ path: shot("check-in.png"), fullPage: true });

      // Without the consent: said why, and what was typed is kept.
      await patient.getByRole("button", { name: "Check in and continue" })
        .click();
      await patient.waitForSelector("[role=alert]");
      assert.match(
        await patient.textContent("[role=alert]") ?? "",
        /Tick the box to agree/,
      );
      assert.equal(
        await patient.getByLabel("Your name").inputValue(),
        "Test Patiënt",
      );
      await patient.getByLabel("I have read this and agree to a video visit")
        .check();
      await patient.getByRole("button", { name: "Check in and continue" })
        .click();
      await patient.waitForSelector("html[data-islands-ready]");
      assert.equal(
        await patient.textContent("h1"),
        "Check your camera and microphone",
      );
      await enterCall(patient);
      await patient.waitForSelector(".call[data-status=waiting]");
      assert.match(
        await patient.textContent(".clinic-message") ?? "",
        /From Riverside Clinic.*Please have your list of medicines at hand\./s,
      );

      // The doctor's waiting room: the check-in, live.
      const row = dashboard.locator(".waiting-list li", {
        hasText: "Test Patient",
      });
      await row.waitFor();
      assert.match(
        await row.locator(".check-in").textContent() ?? "",
        /^Checked in \d{2}:\d{2} as Test Patiënt, consent accepted$/,
      );

      // A ready-made note, then the doctor's own words.
      await row.getByText("Send a message").click();
      await row.getByLabel("Message", { exact: true }).selectOption("late10");
      await row.getByRole("button", { name: "Send" }).click();
      await row.locator(".note-result", { hasText: "Sent at" }).waitFor();
      await patient.locator(".waiting-note-text", {
        hasText: "I am running about 10 minutes late.",
      }).waitFor();
      assert.equal(
        await patient.getAttribute(".waiting-note", "aria-live"),
        "polite",
      );
      await row.getByLabel("Message", { exact: true }).selectOption("own");
      const own = row.getByLabel(/Your message/);
      await own.fill("Running 10 minutes late, sorry");
      await row.getByRole("button", { name: "Send" }).click();
      await patient.locator(".waiting-note-text", {
        hasText: "Running 10 minutes late, sorry",
      }).waitFor();
      assert.match(
        await patient.textContent(".waiting-note") ?? "",
        /^Message from admin at \d{1,2}:\d{2}.*: Running 10 minutes late, sorry$/,
      );
      await patient.screenshot({
        path: shot("waiting-note.png"),
        fullPage: true,
      });
      await assertAccessible(
        patient,
        "waiting, the clinic's message and a note",
      );
      await assertAccessible(dashboard, "dashboard, a note sent");
      await dashboard.screenshot({
        path: shot("dashboard-check-in.png"),
        fullPage: true,
      });

      // Back after a reload: no check-in again, and the note is still there.
      await reloadInCall(patient);
      await patient.waitForSelector(".call[data-status=waiting]");
      assert.equal(await patient.locator("form.check-in-form").count(), 0);
      await patient.locator(".waiting-note-text", {
        hasText: "Running 10 minutes late, sorry",
      }).waitFor();

      // The doctor joins: the wait is over, and so is its note.
      await row.getByRole("link", { name: "Join" }).click();
      await dashboard.waitForSelector("html[data-islands-ready]");
      await enterCall(dashboard);
      await patient.waitForSelector(".call[data-status=connected]");
      await waitForVideo(patient);
      assert.equal(await patient.locator(".waiting-note-text").count(), 0);
      assert.equal(await patient.locator(".clinic-message").count(), 0);
      await patientContext.close();
      await doctorContext.close();
    } finally {
      await server.close();
    }
  },
);

/** Counts what a page asks of the call: tickets and sockets. */
function watchCallTraffic(page: Page) {
  const seen = { sockets: [] as string[], tickets: [] as string[] };
  page.on("websocket", (ws) => seen.sockets.push(ws.url()));
  page.on("request", (request) => {
    if (/\/ticket$/.test(new URL(request.url()).pathname)) {
      seen.tickets.push(request.url());
    }
  });
  return seen;
}

/** Whether no join ticket is kept in the store. */
async function noTickets(kv: Deno.Kv) {
  const prefix = keys.joinTicket("x").slice(0, 1);
  for await (const _ of kv.list({ prefix })) return false;
  return true;
}

browserTest(
  "test my camera and microphone: a Spanish visit, hours before it opens, no call",
  async (browser) => {
    const server = await startServer();
    try {
      const doctor = await new Client(server.url).signIn();
      const res = await doctor.json("/api/appointments", {
        patientName: "Lucía Fernández",
        patientLanguage: "es",
        startsAt: startIn(180),
        durationMinutes: 20,
      });
      assert.equal(res.status, 201);
      const { visitUrl } = await res.json();
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        locale: "es-ES",
      });
      const page = await context.newPage();
      const traffic = watchCallTraffic(page);
      await page.goto(visitUrl);
      await page.waitForSelector("html[data-islands-ready]");
      await page.getByRole("link", { name: "Probar mi cámara y mi micrófono" })
        .click();
      await page.waitForURL(/\/test$/);
      await page.waitForSelector("html[data-islands-ready]");
      assert.equal(await page.getAttribute("html", "lang"), "es");
      assert.equal(
        await page.textContent("h1"),
        "Probar mi cámara y mi micrófono",
      );
      await page.getByRole("button", { name: "Empezar la prueba" }).click();
      await page.locator("[data-device=camera]").waitFor();
      assert.equal(
        await page.textContent("[data-device=camera]"),
        "La cámara funciona.",
      );
      assert.equal(
        await page.textContent("[data-device=microphone]"),
        "El micrófono funciona.",
      );
      // The results take the focus: what to read next.
      assert.equal(
        await page.evaluate(() => document.activeElement?.textContent),
        "Resultados",
      );
      await page.waitForFunction(() => {
        const video = document.querySelector("video.preview") as
          | HTMLVideoElement
          | null;
        return (video?.videoWidth ?? 0) > 0;
      });
      assert.ok(await page.locator("meter.mic-level").isVisible());

      await page.getByRole("button", {
        name: "Reproducir un sonido de prueba",
      }).click();
      await page.getByText("¿Ha oído el sonido?").waitFor();
      await page.getByRole("button", { name: "Sí" }).click();
      assert.equal(
        await page.textContent("[data-device=speaker]"),
        "El altavoz funciona.",
      );
      await page.screenshot({
        path: shot("device-test-es.png"),
        fullPage: true,
      });
      await page.getByRole("link", { name: "Volver a mi consulta" }).click();
      await page.waitForURL(visitUrl);

      assert.deepEqual(traffic.sockets, [], "no call socket was opened");
      assert.deepEqual(traffic.tickets, [], "no ticket was asked for");
      assert.ok(await noTickets(server.kv), "no ticket was issued");

      // A refused camera is said plainly; the microphone still works.
      const blocked = await browser.newContext({ locale: "es-ES" });
      await withoutCamera(blocked, "NotAllowedError");
      const refused = await blocked.newPage();
      await refused.goto(`${visitUrl}/test`);
      await refused.waitForSelector("html[data-islands-ready]");
      await refused.getByRole("button", { name: "Empezar la prueba" }).click();
      await refused.locator("[data-device=camera]").waitFor();
      assert.match(
        await refused.textContent("[data-device=camera]") ?? "",
        /^No podemos usar su cámara: permítalo en los ajustes del navegador/,
      );
      assert.equal(
        await refused.textContent("[data-device=microphone]"),
        "El micrófono funciona.",
      );
      await refused.screenshot({
        path: shot("device-test-camera-blocked-es.png"),
        fullPage: true,
      });
      await assertAccessible(refused, "device test, camera refused");
      await blocked.close();
      await context.close();
    } finally {
      await server.close();
    }
  },
);
