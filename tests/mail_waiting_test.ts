/**
 * The doctor's "patient waiting" mail: a patient alone in the waiting room
 * for WAITING_NOTICE_MINUTES (here 0.02, about a second) makes one mail to
 * the doctor, however often they come back; a doctor who joined in time
 * gets none.
 */
import assert from "node:assert/strict";
import { ADMIN, Client, startServer } from "./helpers/server.ts";
import {
  doctorTicket,
  join,
  openVisitNow,
  patientTicket,
} from "./helpers/signal_client.ts";
import { NO_SMTP, startSmtpServer } from "./helpers/smtp_server.ts";

Deno.test({
  name:
    "mail: a patient left waiting tells the doctor once; not if the doctor came",
  ignore: NO_SMTP,
  async fn() {
    const smtp = await startSmtpServer();
    const server = await startServer({
      ...smtp.env,
      MAIL_SWEEP_SECONDS: "0.2",
      WAITING_NOTICE_MINUTES: "0.02",
    });
    try {
      const doctor = await new Client(server.url).signIn();
      const toDoctor = (m: { headers: Map<string, string> }) =>
        m.headers.get("x-rcptto") === ADMIN.email;
      const statuses = async (id: string) =>
        ((await (await doctor.fetch(`/api/appointments/${id}/messages`))
          .json()).items as { kind: string; status: string; reason?: string }[])
          .filter((m) => m.kind === "patient_waiting");

      const alone = await openVisitNow(server, doctor);
      const patient = await join(await patientTicket(alone));
      await patient.next("waiting-for-peer");
      const [mail] = await smtp.waitFor(toDoctor);
      assert.ok(mail.text.includes(`/appointments/${alone.id}`));
      assert.ok(
        !mail.subject.includes("Test Patient"),
        "no name in the subject",
      );
      await patient.close();
      const again = await join(await patientTicket(alone));
      await again.next("waiting-for-peer");
      await new Promise((r) => setTimeout(r, 2500));
      await again.close();
      assert.equal(
        (await smtp.received()).filter(toDoctor).length,
        1,
        "once per visit",
      );
      assert.deepEqual((await statuses(alone.id)).map((m) => m.status), [
        "sent",
      ]);

      const met = await openVisitNow(server, doctor);
      const p2 = await join(await patientTicket(met));
      await p2.next("waiting-for-peer");
      const d2 = await join(await doctorTicket(met));
      await d2.next("peer-joined");
      for (let i = 0; i < 100; i++) {
        const [notice] = await statuses(met.id);
        if (notice && notice.status !== "queued") break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const [notice] = await statuses(met.id);
      assert.equal(notice.status, "skipped");
      assert.match(notice.reason ?? "", /doctor joined/);
      await p2.close();
      await d2.close();
      assert.equal((await smtp.received()).filter(toDoctor).length, 1);
    } finally {
      await server.close();
      await smtp.close();
    }
  },
});
