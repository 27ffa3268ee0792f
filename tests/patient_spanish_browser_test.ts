/**
 * A visit booked in Spanish, in headless Chromium: the visit page and the
 * call in Spanish with the visit's time in its zone, the language switch
 * both ways, a real call with the doctor (in English on their side) ended
 * by the doctor, and the pages a stopped link leads to, with the clinic's
 * contact. Screenshots go to tests/artifacts/.
 */
import assert from "node:assert/strict";
import { windowEnd } from "@/lib/clinic/visit_window.ts";
import { formatWhen } from "@/lib/i18n/dates.ts";
import { updateAppointment } from "@/lib/store/appointments.ts";
import { ARTIFACTS, browserTest } from "./helpers/browser.ts";
import { assertAccessible } from "./helpers/axe.ts";
import {
  endVisit,
  enterCall,
  passCheckIn,
  waitForVideo,
} from "./helpers/call_pages.ts";
import { Client, startIn, startServer } from "./helpers/server.ts";

const SPANISH_CALL = {
  start: "Activar cámara y micrófono",
  join: "Entrar en la consulta",
};

browserTest(
  "a Spanish visit: its pages, the switch, a call and a stopped link",
  async (browser) => {
    const server = await startServer({
      CALL_TEST_HOOKS: "1",
      CLINIC_NAME: "Clínica Ribera",
      CLINIC_PHONE: "+34 910 000 111",
      CLINIC_EMAIL: "citas@ribera.example",
      CLINIC_TIME_ZONE: "Europe/Madrid",
    });
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const shot = (name: string) => new URL(name, ARTIFACTS).pathname;
    try {
      const doctorClient = await new Client(server.url).signIn();
      const book = async () => {
        const res = await doctorClient.json("/api/appointments", {
          patientName: "Lucía Fernández",
          startsAt: startIn(1),
          durationMinutes: 20,
          patientLanguage: "es",
          patientTimeZone: "America/Mexico_City",
        });
        assert.equal(res.status, 201);
        return await res.json();
      };
      const visit = await book();

      const patientContext = await browser.newContext({
        viewport: { width: 390, height: 844 },
        locale: "es-ES",
        timezoneId: "Europe/Madrid",
      });
      const patient = await patientContext.newPage();
      await patient.goto(visit.visitUrl);
      await patient.waitForSelector("html[data-islands-ready]");
      assert.equal(await patient.getAttribute("html", "lang"), "es");
      assert.equal(
        await patient.textContent("h1"),
        "Su consulta por vídeo con admin",
      );
      assert.equal(
        await patient.textContent(".visit-time"),
        formatWhen(Date.parse(visit.startsAt), "America/Mexico_City", "es"),
      );
      assert.match(
        await patient.textContent(".device-time") ?? "",
        /^En la hora de este dispositivo: .*hora de Europa central/,
        "the device's zone is another: its clock too, labelled",
      );
      assert.match(
        await patient.textContent(".clinic-contact") ?? "",
        /\+34 910 000 111.*citas@ribera\.example/s,
      );
      assert.equal(await patient.locator("a[href='/login']").count(), 0);
      await patient.screenshot({ path: shot("visit-es.png"), fullPage: true });
      await assertAccessible(patient, "visit page, Spanish");

      // The switch, both ways: recorded on the visit, so the call follows.
      await patient.getByRole("button", { name: "Read this page in English" })
        .click();
      await patient.waitForSelector("html[lang=en][data-islands-ready]");
      assert.equal(
        await patient.textContent("h1"),
        "Your video visit with admin",
      );
      await patient.getByRole("button", {
        name: "Leer esta página en Español",
      }).click();
      await patient.waitForSelector("html[lang=es][data-islands-ready]");

      await patient.getByRole("link", { name: "Entrar en la llamada" }).click();
      await patient.waitForURL(/\/call$/);
      assert.equal(
        await patient.textContent("h1"),
        "Registre su llegada a la consulta con admin",
      );
      await passCheckIn(patient);
      await patient.waitForSelector("html[data-islands-ready]");
      assert.equal(
        await patient.textContent("h1"),
        "Compruebe su cámara y su micrófono",
      );
      await enterCall(patient, SPANISH_CALL);
      await patient.waitForSelector(".call[data-status=waiting]");
      assert.equal(
        await patient.textContent(".call-status"),
        "Está en la sala de espera. El médico se unirá en breve.",
      );
      await assertAccessible(patient, "call, waiting, Spanish");

      // The doctor joins in English.
      const doctorContext = await browser.newContext();
      const [name, value] = doctorClient.cookie.split("=");
      await doctorContext.addCookies([{ name, value, url: server.url }]);
      const doctor = await doctorContext.newPage();
      await doctor.goto(`${server.url}/appointments/${visit.id}/call`);
      await doctor.waitForSelector("html[data-islands-ready]");
      assert.equal(await doctor.getAttribute("html", "lang"), "en");
      await enterCall(doctor);
      await Promise.all([
        patient.waitForSelector(".call[data-status=connected]"),
        doctor.waitForSelector(".call[data-status=connected]"),
      ]);
      await Promise.all([waitForVideo(patient), waitForVideo(doctor)]);
      assert.equal(
        await patient.textContent(".call-status"),
        "Conectado con admin.",
      );
      assert.match(
        await doctor.textContent(".call-status") ?? "",
        /^Connected with Lucía Fernández\.$/,
      );
      assert.ok(
        await patient.getByRole("button", { name: "Silenciar" }).isVisible(),
      );
      await patient.fill("#chat-input", "Hola, doctor");
      await patient.getByRole("button", { name: "Enviar" }).click();
      await doctor.waitForSelector(".chat-log li:has-text('Hola, doctor')");
      assert.match(
        await patient.textContent(".chat-log") ?? "",
        /\d\d:\d\d Usted: Hola, doctor/,
      );
      await patient.screenshot({ path: shot("call-es.png"), fullPage: true });
      await assertAccessible(patient, "call, in call, Spanish");

      await endVisit(doctor);
      await patient.waitForSelector(".call[data-phase=done]");
      assert.equal(
        await patient.textContent("h1"),
        "El médico ha terminado la consulta. Gracias.",
      );
      await assertAccessible(patient, "call, ended, Spanish");
      await patient.getByRole("link", { name: "Volver" }).click();
      await patient.waitForSelector(".link-problem[data-problem=ended]");
      assert.equal(
        await patient.textContent("h1"),
        "Esta consulta ha terminado",
      );
      await assertAccessible(patient, "link problem, ended, Spanish");

      // A stopped link: its window closed.
      const late = await book();
      await updateAppointment(server.kv, late.id, (a) => ({
        ...a,
        startsAt: Date.now() - 2 * 3_600_000,
      }), { visitLinkEnds: windowEnd });
      const expired = await patient.goto(late.visitUrl);
      assert.equal(expired?.status(), 410);
      assert.equal(await patient.getAttribute("html", "lang"), "es");
      assert.equal(await patient.textContent("h1"), "Este enlace ha caducado");
      const contact = await patient.textContent(".clinic-contact") ?? "";
      assert.match(contact, /Teléfono: \+34 910 000 111/);
      assert.match(contact, /Correo electrónico: citas@ribera\.example/);
      assert.equal(
        await patient.locator("a[href='/login'], a[href='/']").count(),
        0,
      );
      assert.equal(await patient.locator(".brand").getAttribute("href"), null);
      await patient.screenshot({
        path: shot("link-expired-es.png"),
        fullPage: true,
      });
      await assertAccessible(patient, "link problem, expired, Spanish");
      await doctorContext.close();
      await patientContext.close();
    } finally {
      await server.close();
    }
  },
);
