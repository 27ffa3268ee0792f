/**
 * A visit's mail on its page: each message to the patient (and the
 * doctor's "patient waiting" notices) with its status and why, "Send
 * invitation again", and, when mail is off, a `mailto:` link that opens the
 * doctor's own mail program with the invitation written.
 *
 * @module
 */
import { mailtoHref } from "@/lib/clinic/patient_contact.ts";
import { formatDateTime } from "@/lib/clinic/time.ts";
import type { MailKind, MailMessage } from "@/lib/mail/outbox.ts";

const KIND_NAMES: Record<MailKind, string> = {
  invitation: "Invitation",
  reminder: "Reminder",
  rescheduled: "New time",
  cancelled: "Cancellation",
  patient_waiting: "Patient waiting (to you)",
};

function minutes(ms: number) {
  const m = ms / 60_000;
  return m >= 120 && m % 60 === 0 ? `${m / 60} h` : `${Math.round(m)} min`;
}

function kindName(m: MailMessage) {
  if (m.kind === "reminder" && m.offsetMs !== undefined) {
    return `Reminder, ${minutes(m.offsetMs)} before`;
  }
  return KIND_NAMES[m.kind];
}

function statusText(m: MailMessage, timeZone: string): string {
  const at = (ms: number) => formatDateTime(ms, timeZone);
  switch (m.status) {
    case "sent":
      return `Sent ${at(m.sentAt ?? m.updatedAt)}`;
    case "sending":
      return "Sending now";
    case "queued":
      return m.lastError
        ? `Not sent yet: ${m.lastError}. Next try ${at(m.nextAttemptAt)}`
        : `Queued for ${at(m.nextAttemptAt)}`;
    case "failed":
      return `Failed: ${m.reason ?? m.lastError ?? "unknown"}`;
    case "skipped":
      return `Not sent: ${m.reason ?? "no longer needed"}`;
  }
}

export function VisitMessages(props: {
  appointmentId: string;
  messages: MailMessage[];
  mailOn: boolean;
  canResend: boolean;
  timeZone: string;
}) {
  return (
    <section class="panel" aria-labelledby="mail-title" id="messages">
      <h2 id="mail-title">Messages to the patient</h2>
      {!props.mailOn && (
        <p>
          Mail is off: this clinic sends no email (no SMTP server is set). Send
          the visit link yourself when it is shown.
        </p>
      )}
      {props.messages.length === 0
        ? <p>No messages.</p>
        : (
          <table class="mail-status">
            <thead>
              <tr>
                <th scope="col">Message</th>
                <th scope="col">To</th>
                <th scope="col">Status</th>
                <th scope="col">Queued</th>
              </tr>
            </thead>
            <tbody>
              {props.messages.map((m) => (
                <tr key={m.id} data-status={m.status}>
                  <td>{kindName(m)}</td>
                  <td>{m.to}</td>
                  <td>{statusText(m, props.timeZone)}</td>
                  <td>{formatDateTime(m.createdAt, props.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {props.canResend && (
        <form method="post" action={`/appointments/${props.appointmentId}`}>
          <input type="hidden" name="action" value="resend-invitation" />
          <button type="submit" class="button secondary">
            Send invitation again
          </button>
        </form>
      )}
    </section>
  );
}

/**
 * With mail off: a link that opens the doctor's mail program with the
 * invitation the clinic would have sent (in the patient's language, with
 * the time in their zone), to the patient's address if there is one.
 */
export function MailToPatientLink(props: {
  email?: string;
  draft: { subject: string; text: string };
}) {
  // Mail programs expect CRLF line breaks in a mailto body.
  const body = props.draft.text.replace(/\r?\n/g, "\r\n");
  const href = `${props.email ? mailtoHref(props.email) : "mailto:"}?subject=${
    encodeURIComponent(props.draft.subject)
  }&body=${encodeURIComponent(body)}`;
  return (
    <p>
      Mail is off. <a href={href}>Write to the patient with the link</a>{" "}
      (opens your mail program with the invitation written).
    </p>
  );
}
