/**
 * The clinic as a doctor and a patient use it, in headless Chromium: sign
 * in, schedule a visit through the dashboard, and open its visit link in a
 * second, separate browser context.
 */
import assert from "node:assert/strict";
import { ADMIN, startServer } from "./helpers/server.ts";
import { ARTIFACTS, browserTest } from "./helpers/browser.ts";
import { assertAccessible } from "./helpers/axe.ts";
import { parseLocalDateTime, toLocalInput } from "@/lib/clinic/time.ts";
import { formatWhen } from "@/lib/i18n/dates.ts";
import { passCheckIn } from "./helpers/call_pages.ts";

browserTest(
  "a doctor schedules a visit and the patient opens its link",
  async (browser) => {
    const server = await startServer({ CLINIC_TIME_ZONE: "Europe/Paris" });
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    try {
      const doctor = await browser.newContext({
        viewport: { width: 1100, height: 900 },
      });
      const page = await doctor.newPage();
      await page.goto(`${server.url}/dashboard`);
      assert.match(page.url(), /\/login\?next=%2Fdashboard&reason=required$/);
      await assertAccessible(page, "sign-in");
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/dashboard$/);

      // A mistake first: the error shows beside the field and the input is kept.
      await page.getByLabel("Patient email (optional)").fill("not-an-email");
      await page.getByRole("button", { name: "Schedule visit" }).click();
      await page.waitForSelector(".field-error");
      assert.equal(
        await page.getByLabel("Patient email (optional)").inputValue(),
        "not-an-email",
      );
      assert.match(
        await page.textContent("#field-patientName-error") ?? "",
        /patient's name/,
      );
      await assertAccessible(page, "dashboard, booking refused");

      const start = toLocalInput(Date.now() + 5 * 60_000, "Europe/Paris");
      await page.getByLabel("Patient name").fill("Grace Hopper");
      await page.getByLabel("Patient email (optional)").fill(
        "grace@example.org",
      );
      await page.getByLabel("Start (Europe/Paris)").fill(start);
      await page.getByLabel("Reason for the visit (optional)").fill("Check-up");
      await page.getByRole("button", { name: "Schedule visit" }).click();
      await page.waitForURL(/\/appointments\/[0-9a-f]{32}$/);
      const visitUrl = await page.getByLabel("Visit link").inputValue();
      assert.ok(visitUrl.startsWith(`${server.url}/visit/`));
      await page.screenshot({
        path: new URL("appointment.png", ARTIFACTS).pathname,
        fullPage: true,
      });
      await assertAccessible(page, "appointment page");

      await page.goto(`${server.url}/dashboard`);
      assert.ok(
        await page.getByRole("link", { name: "Grace Hopper" }).isVisible(),
      );
      await page.screenshot({
        path: new URL("dashboard.png", ARTIFACTS).pathname,
        fullPage: true,
      });

      // The patient: another context, no cookies, a phone-sized screen.
      const patient = await browser.newContext({
        viewport: { width: 390, height: 844 },
        timezoneId: "America/New_York",
        locale: "en-US",
      });
      const visit = await patient.newPage();
      await visit.goto(visitUrl);
      await visit.waitForSelector("html[data-islands-ready]");
      assert.match(
        await visit.textContent("h1") ?? "",
        /Your video visit with admin/,
      );
      // The join window is open (the start is 5 minutes away): the button is a link.
      const join = visit.getByRole("link", { name: "Join call" });
      assert.ok(await join.isVisible());
      // In the visit's zone (the clinic's, none was chosen), labelled with
      // it; and on this device's clock too, since its zone is another.
      const startsAt = parseLocalDateTime(start, "Europe/Paris")!;
      assert.equal(
        await visit.textContent(".visit-time") ?? "",
        formatWhen(startsAt, "Europe/Paris", "en"),
      );
      const device = await visit.textContent(".device-time") ?? "";
      assert.match(device, /Eastern Time/);
      assert.ok(
        device.includes(
          new Intl.DateTimeFormat("en", {
            hour: "numeric",
            minute: "2-digit",
            timeZone: "America/New_York",
          }).format(startsAt),
        ),
        device,
      );
      await visit.screenshot({
        path: new URL("visit-phone.png", ARTIFACTS).pathname,
        fullPage: true,
      });
      await assertAccessible(visit, "visit page, open, on a phone");
      await join.click();
      await visit.waitForURL(/\/call$/);
      // First the check-in, then the device check.
      assert.match(
        await visit.textContent("h1") ?? "",
        /Check in for your visit with admin/,
      );
      await passCheckIn(visit);
      assert.match(
        await visit.textContent("h1") ?? "",
        /Check your camera and microphone/,
      );
      await patient.close();
      await doctor.close();
    } finally {
      await server.close();
    }
  },
);
