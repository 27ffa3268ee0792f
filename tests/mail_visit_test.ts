/**
 * The clinic's mail through a real SMTP server (aiosmtpd): the invitation
 * with the visit link and the calendar file, "Send invitation again", the
 * notices of a new time and of a cancellation with the doctor's words, and
 * the status of each message on the appointment page and in the API.
 */
import assert from "node:assert/strict";
import { Client, startIn, startServer } from "./helpers/server.ts";
import {
  NO_SMTP,
  type ReceivedMail,
  startSmtpServer,
} from "./helpers/smtp_server.ts";

const ics = (m: ReceivedMail) =>
  m.parts.find((p) => p.contentType === "text/calendar");

async function messages(doctor: Client, id: string) {
  const res = await doctor.fetch(`/api/appointments/${id}/messages`);
  assert.equal(res.status, 200);
  return (await res.json()).items as {
    kind: string;
    status: string;
    reason?: string;
    to: string;
  }[];
}

/** Waits until the visit's messages of `kind` all have left the queue. */
async function settled(doctor: Client, id: string, kind: string) {
  for (let i = 0; i < 300; i++) {
    const items = (await messages(doctor, id)).filter((m) => m.kind === kind);
    if (
      items.length &&
      items.every((m) => !["queued", "sending"].includes(m.status))
    ) {
      return items;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the ${kind} messages stayed queued`);
}

Deno.test({
  name: "mail: invitation, resend, new time and cancellation reach the patient",
  ignore: NO_SMTP,
  async fn(t) {
    const smtp = await startSmtpServer();
    const server = await startServer({
      ...smtp.env,
      MAIL_SWEEP_SECONDS: "0.2",
    });
    try {
      const doctor = await new Client(server.url).signIn();
      const res = await doctor.json("/api/appointments", {
        patientName: "Ada Lovelace",
        patientEmail: "ada@example.org",
        reason: "Follow-up",
        startsAt: startIn(3 * 24 * 60),
        durationMinutes: 20,
      });
      assert.equal(res.status, 201);
      const visit = await res.json();
      const toAda = (m: ReceivedMail) =>
        m.headers.get("x-rcptto") === "ada@example.org";

      await t.step(
        "the invitation arrives with the link and the .ics",
        async () => {
          const [mail] = await smtp.waitFor(toAda);
          assert.ok(
            mail.text.includes(visit.visitUrl),
            "the visit link is in it",
          );
          const calendar = ics(mail);
          assert.ok(calendar, "a calendar file is attached");
          assert.match(calendar.body, /BEGIN:VEVENT/);
          assert.ok(calendar.body.includes(`UID:${visit.id}@`));
          assert.equal(mail.headers.get("auto-submitted"), "auto-generated");
          const [invitation] = await settled(doctor, visit.id, "invitation");
          assert.equal(invitation.status, "sent");
          assert.equal(invitation.to, "ada@example.org");
          const reminders = (await messages(doctor, visit.id))
            .filter((m) => m.kind === "reminder");
          assert.equal(reminders.length, 2, "24 h and 1 h before, both ahead");
          assert.ok(reminders.every((m) => m.status === "queued"));
        },
      );

      await t.step(
        "the page lists it; Send invitation again sends it again",
        async () => {
          const page = await (await doctor.fetch(`/appointments/${visit.id}`))
            .text();
          assert.match(page, /Messages to the patient/);
          assert.match(page, /Invitation/);
          assert.match(page, /Sent /);
          const again = await doctor.form(`/appointments/${visit.id}`, {
            action: "resend-invitation",
          });
          assert.equal(again.status, 303);
          await smtp.waitFor(toAda, 2);
          const api = await doctor.fetch(
            `/api/appointments/${visit.id}/invitation`,
            {
              method: "POST",
            },
          );
          assert.equal(api.status, 202);
          assert.equal((await api.json()).kind, "invitation");
          const mails = await smtp.waitFor(toAda, 3);
          assert.ok(mails.every((m) => m.text.includes(visit.visitUrl)));
        },
      );

      await t.step("a new link replaces the one mail carries", async () => {
        const reissued = await (await doctor.fetch(
          `/api/appointments/${visit.id}/visit-link`,
          { method: "POST" },
        )).json();
        assert.notEqual(reissued.visitUrl, visit.visitUrl);
        await (await doctor.fetch(`/api/appointments/${visit.id}/invitation`, {
          method: "POST",
        })).body?.cancel();
        const mails = await smtp.waitFor(toAda, 4);
        assert.ok(mails[3].text.includes(reissued.visitUrl));
        assert.ok(!mails[3].text.includes(visit.visitUrl));
        visit.visitUrl = reissued.visitUrl;
        visit.version = reissued.version;
      });

      await t.step(
        "a new time: the notice with the doctor's message, reminders replaced",
        async () => {
          const before = (await messages(doctor, visit.id))
            .filter((m) => m.kind === "reminder");
          const moved = await doctor.json(`/api/appointments/${visit.id}`, {
            startsAt: startIn(4 * 24 * 60),
            message: "The clinic is closed that day.\nSorry for the change.",
          }, "PATCH");
          assert.equal(moved.status, 200);
          const [notice] = await smtp.waitFor(
            (m) =>
              toAda(m) && m.text.includes("The clinic is closed that day."),
          );
          assert.ok(notice.text.includes(visit.visitUrl));
          const reminders = (await messages(doctor, visit.id))
            .filter((m) => m.kind === "reminder");
          assert.equal(reminders.length, before.length + 2);
          assert.equal(
            reminders.filter((m) => m.status === "skipped").length,
            2,
            "the old time's reminders are skipped",
          );
          assert.ok(
            reminders.filter((m) => m.status === "skipped")
              .every((m) => /moved/.test(m.reason ?? "")),
          );
        },
      );

      await t.step(
        "cancelled: the notice with the reason, nothing else goes",
        async () => {
          const res = await doctor.form(`/appointments/${visit.id}`, {
            action: "cancel",
            confirmCancel: "yes",
            cancelReason: "Dr Grey is ill.\r\nWe will call you.",
          });
          assert.equal(res.status, 303);
          const [notice] = await smtp.waitFor(
            (m) => toAda(m) && m.text.includes("Dr Grey is ill."),
          );
          assert.ok(!notice.text.includes(visit.visitUrl), "no dead link");
          const items = await messages(doctor, visit.id);
          assert.ok(
            items.filter((m) => m.kind === "reminder")
              .every((m) => m.status === "skipped"),
          );
          const cancelled = await settled(doctor, visit.id, "cancelled");
          assert.equal(cancelled.length, 1);
          assert.equal(cancelled[0].status, "sent");
          const again = await doctor.fetch(`/api/appointments/${visit.id}`, {
            method: "DELETE",
          });
          assert.equal(again.status, 200);
          assert.equal(
            (await messages(doctor, visit.id)).filter((m) =>
              m.kind === "cancelled"
            )
              .length,
            1,
            "cancelling twice tells the patient once",
          );
          const resend = await doctor.fetch(
            `/api/appointments/${visit.id}/invitation`,
            { method: "POST" },
          );
          assert.equal(resend.status, 409);
          await resend.body?.cancel();
        },
      );
    } finally {
      await server.close();
      await smtp.close();
    }
  },
});
