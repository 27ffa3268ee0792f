/**
 * The SMTP connection the clinic's mail leaves by, built from `config.mail`
 * with nodemailer. Time limits are short, so a dead or silent server makes
 * a try fail in seconds (and be retried later) instead of holding a sweep.
 *
 * @module
 */
import type { MailSettings } from "@/lib/config.ts";

/** Each step with the server (connect, greeting, any silence) gets this long. */
export const SMTP_STEP_MS = 10_000;

/** A message as it leaves: one checked address, text, html and files. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; content: string; contentType: string }[];
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Nothing that could end a header line or hide in one. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;

/**
 * A transport for `settings`; `helloName` is the name the server is greeted
 * with (the clinic's public host), so that nodemailer need not ask the
 * system for its host name, which the server is not allowed to.
 */
export function createMailTransport(
  settings: MailSettings,
  helloName: string,
): MailTransport {
  type Nodemailer = typeof import("nodemailer").default;
  let connection: ReturnType<Nodemailer["createTransport"]> | null = null;
  // nodemailer is loaded when the first message goes, not at start: a
  // server that sends nothing (or has mail off) never holds it in memory.
  const open = async () => {
    const { default: nodemailer } = await import("nodemailer");
    return connection ??= nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      name: helloName,
      secure: settings.tls === "tls",
      requireTLS: settings.tls === "starttls",
      ignoreTLS: settings.tls === "none",
      ...(settings.user
        ? { auth: { user: settings.user, pass: settings.password ?? "" } }
        : {}),
      connectionTimeout: SMTP_STEP_MS,
      greetingTimeout: SMTP_STEP_MS,
      socketTimeout: SMTP_STEP_MS,
      dnsTimeout: SMTP_STEP_MS,
      // Addresses are given one by one as plain strings: never parse a
      // list or a display name out of them.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  };
  return {
    async send(mail) {
      await (await open()).sendMail({
        from: settings.from,
        to: mail.to,
        subject: mail.subject.replace(CONTROL, " ").trim(),
        text: mail.text,
        html: mail.html,
        attachments: mail.attachments.map((a) => ({
          filename: a.filename.replace(CONTROL, ""),
          content: a.content,
          contentType: a.contentType,
        })),
        headers: { "Auto-Submitted": "auto-generated" },
      });
    },
    close() {
      connection?.close();
    },
  };
}

/**
 * A sending error in a few words for the doctor's page: its code and first
 * line, never the SMTP password even if a server echoes it.
 */
export function describeSendError(
  error: unknown,
  settings: MailSettings,
): string {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === "string" ? `${e.code}: ` : "";
  let text = `${code}${String(e?.message ?? error)}`.split("\n")[0];
  for (const secret of [settings.password, settings.user]) {
    if (secret && secret.length >= 3) text = text.replaceAll(secret, "…");
  }
  return text.replace(CONTROL, " ").slice(0, 200);
}
