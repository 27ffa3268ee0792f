/**
 * Mail when things go wrong: an SMTP server down at first (the message
 * waits with the reason shown, then goes once the server is up), and
 * hostile input (line breaks meant to add headers, a bad address, text too
 * long or with control characters) that adds no header and is refused
 * with a clear error.
 */
import assert from "node:assert/strict";
import { Client, startIn, startServer } from "./helpers/server.ts";
import { NO_SMTP, startSmtpServer } from "./helpers/smtp_server.ts";

async function items(doctor: Client, id: string) {
  const res = await doctor.fetch(`/api/appointments/${id}/messages`);
  return (await res.json()).items as {
    kind: string;
    status: string;
    lastError?: string;
    attempts: number;
  }[];
}

async function until<T>(probe: () => Promise<T | null>, what: string) {
  for (let i = 0; i < 300; i++) {
    const found = await probe();
    if (found !== null) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

Deno.test({
  name:
    "mail: a server down at first; the try fails with the reason, then the mail goes once",
  ignore: NO_SMTP,
  async fn() {
    const smtp = await startSmtpServer({ running: false });
    const server = await startServer({
      ...smtp.env,
      MAIL_SWEEP_SECONDS: "0.2",
    });
    try {
      server.clinic.mail!.retryDelaysMs = [500, 500, 500, 500, 500, 500];
      const doctor = await new Client(server.url).signIn();
      const res = await doctor.json("/api/appointments", {
        patientName: "Ada Lovelace",
        patientEmail: "ada@example.org",
        startsAt: startIn(3 * 24 * 60),
        durationMinutes: 20,
      });
      const visit = await res.json();
      const failedOnce = await until(async () => {
        const invitation = (await items(doctor, visit.id))
          .find((m) => m.kind === "invitation");
        return invitation?.status === "queued" && invitation.lastError
          ? invitation
          : null;
      }, "a failed try");
      assert.match(failedOnce.lastError!, /ECONNREFUSED|refused/i);
      const page = await (await doctor.fetch(`/appointments/${visit.id}`))
        .text();
      assert.match(page, /Not sent yet: [^<]*(ECONNREFUSED|refused)/i);
      await smtp.start();
      const sent = await until(async () => {
        const invitation = (await items(doctor, visit.id))
          .find((m) => m.kind === "invitation");
        return invitation?.status === "sent" ? invitation : null;
      }, "the invitation sent");
      assert.ok(sent.attempts >= 2);
      await new Promise((r) => setTimeout(r, 1000));
      const received = await smtp.received();
      assert.equal(received.length, 1, "sent once");
    } finally {
      await server.close();
      await smtp.close();
    }
  },
});

Deno.test({
  name:
    "mail: hostile names, reasons and messages add no header; bad input is refused",
  ignore: NO_SMTP,
  async fn(t) {
    const smtp = await startSmtpServer();
    const server = await startServer({
      ...smtp.env,
      MAIL_SWEEP_SECONDS: "0.2",
    });
    try {
      const doctor = await new Client(server.url).signIn();
      const injected = (m: { headerLines: string[] }) =>
        m.headerLines.filter((l) => /^(bcc|x-injected|cc):/i.test(l));

      await t.step(
        "an address with a line break is refused at booking",
        async () => {
          for (
            const patientEmail of [
              "ada@example.org\r\nBcc: eve@evil.test",
              "Ada <ada@example.org>",
              "ada@example.org, eve@evil.test",
            ]
          ) {
            const res = await doctor.json("/api/appointments", {
              patientName: "Ada",
              patientEmail,
              startsAt: startIn(3 * 24 * 60),
              durationMinutes: 20,
            });
            assert.equal(res.status, 400);
            const body = await res.json();
            assert.equal(body.error.code, "invalid_input");
            assert.ok(body.error.fields.patientEmail, patientEmail);
          }
        },
      );

      const res = await doctor.json("/api/appointments", {
        patientName: "Ada\r\nBcc: eve@evil.test\r\nX-Injected: 1",
        patientEmail: "ada@example.org",
        startsAt: startIn(3 * 24 * 60),
        durationMinutes: 20,
      });
      const visit = await res.json();

      await t.step(
        "too long or with control characters: refused, nothing sent",
        async () => {
          const long = "x".repeat(1001);
          const patch = await doctor.json(`/api/appointments/${visit.id}`, {
            startsAt: startIn(4 * 24 * 60),
            message: long,
          }, "PATCH");
          assert.equal(patch.status, 400);
          assert.ok((await patch.json()).error.fields.message);
          const bell = await doctor.json(`/api/appointments/${visit.id}`, {
            startsAt: startIn(4 * 24 * 60),
            message: "Hello\u0007\u001b[31m",
          }, "PATCH");
          assert.equal(bell.status, 400);
          await bell.body?.cancel();
          const del = await doctor.fetch(`/api/appointments/${visit.id}`, {
            method: "DELETE",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ reason: long }),
          });
          assert.equal(del.status, 400);
          assert.ok((await del.json()).error.fields.reason);
          const form = await doctor.form(`/appointments/${visit.id}`, {
            action: "cancel",
            confirmCancel: "yes",
            cancelReason: long,
          });
          assert.equal(form.status, 400);
          assert.match(await form.text(), /Use at most 1000 characters/);
          const still =
            await (await doctor.fetch(`/api/appointments/${visit.id}`))
              .json();
          assert.equal(still.status, "scheduled");
          assert.equal(
            (await items(doctor, visit.id)).filter((m) =>
              m.kind !== "invitation" && m.kind !== "reminder"
            ).length,
            0,
          );
        },
      );

      await t.step(
        "line breaks in the name, message and reason add no header",
        async () => {
          const moved = await doctor.json(`/api/appointments/${visit.id}`, {
            startsAt: startIn(4 * 24 * 60),
            message: "See you then.\r\nBcc: eve@evil.test\nX-Injected: 2",
          }, "PATCH");
          assert.equal(moved.status, 200);
          // Sent before the cancellation, which would skip it otherwise.
          await until(async () => {
            const all = await items(doctor, visit.id);
            return all.some((m) =>
                m.kind === "rescheduled" && m.status === "sent"
              )
              ? true
              : null;
          }, "the new time's notice sent");
          const cancel = await doctor.json(`/api/appointments/${visit.id}`, {
            reason: "Closed.\r\nBcc: eve@evil.test\r\n\r\n<script>x</script>",
          }, "DELETE");
          assert.equal(cancel.status, 200);
          await until(async () => {
            const all = await items(doctor, visit.id);
            return all.some((m) =>
                m.kind === "cancelled" && m.status === "sent"
              )
              ? true
              : null;
          }, "the cancellation sent");
          const mails = await smtp.received();
          assert.ok(mails.length >= 3, "invitation, new time, cancellation");
          for (const mail of mails) {
            assert.deepEqual(injected(mail), [], mail.subject);
            assert.equal(mail.headers.get("x-rcptto"), "ada@example.org");
            const html = mail.parts.filter((p) =>
              p.contentType === "text/html"
            );
            assert.ok(html.length > 0);
            assert.ok(
              html.every((p) => !p.body.includes("<script>x</script>")),
              "html escaped",
            );
          }
          assert.ok(
            mails.some((m) => m.text.includes("Bcc: eve@evil.test")),
            "kept as text in the body",
          );
        },
      );
    } finally {
      await server.close();
      await smtp.close();
    }
  },
});
