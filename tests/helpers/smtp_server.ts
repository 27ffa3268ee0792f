/**
 * A real SMTP server for the mail tests: Debian's aiosmtpd (python3-aiosmtpd)
 * on 127.0.0.1 and a free port, delivering into a Maildir that the test
 * reads back. It can be stopped and started again on the same port, as a
 * mail server that is down at first. Without aiosmtpd the tests are skipped
 * with a loud message locally, and fail in CI.
 *
 * @module
 */
import { freePort, listening } from "./ports.ts";
import { killNow, waitForReady } from "./launch.ts";

/** Debian's Python: the one `python3-aiosmtpd` installs for. */
const PYTHON = Deno.env.get("AIOSMTPD_PYTHON") ?? "/usr/bin/python3";

function hasAiosmtpd(): boolean {
  try {
    const { success } = new Deno.Command(PYTHON, {
      args: ["-c", "import aiosmtpd"],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    return success;
  } catch {
    return false;
  }
}

const inCI = Deno.env.get("CI") === "true";
/** Mail tests are skipped without aiosmtpd, except in CI. */
export const NO_SMTP = !hasAiosmtpd() && !inCI;
if (NO_SMTP) {
  console.warn(
    `\n!!! Mail tests SKIPPED: ${PYTHON} cannot import aiosmtpd (apt-get install python3-aiosmtpd).\n`,
  );
}

/** One message as it arrived: its raw text, headers and decoded parts. */
export interface ReceivedMail {
  raw: string;
  /** Header names in lower case; a repeated header keeps its last value. */
  headers: Map<string, string>;
  /** Every header line as received (unfolded), to look for injected ones. */
  headerLines: string[];
  subject: string;
  to: string;
  /** The text and html parts and attachments, decoded. */
  parts: { contentType: string; filename?: string; body: string }[];
  text: string;
}

export interface SmtpServer {
  port: number;
  /** SMTP_URL for the clinic. */
  url: string;
  /** Settings for the clinic: SMTP_URL and MAIL_FROM. */
  env: Record<string, string>;
  /** Every message received so far, in arrival order. */
  received(): Promise<ReceivedMail[]>;
  /** Waits until `count` messages matching `match` arrived (or throws). */
  waitFor(
    match: (m: ReceivedMail) => boolean,
    count?: number,
    seconds?: number,
  ): Promise<ReceivedMail[]>;
  /** Stops it (the port is kept, nothing listens there). */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the same Maildir. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpServer(
  options: { running?: boolean } = {},
): Promise<SmtpServer> {
  if (!hasAiosmtpd()) {
    throw new Error(
      "aiosmtpd is required in CI; install python3-aiosmtpd",
    );
  }
  const port = freePort();
  const dir = await Deno.makeTempDir();
  // aiosmtpd makes the Maildir itself and refuses one that exists.
  const maildir = `${dir}/mail`;
  let child: Deno.ChildProcess | null = null;
  const start = async () => {
    child = new Deno.Command(PYTHON, {
      args: [
        "-m",
        "aiosmtpd",
        "-n",
        "-l",
        `127.0.0.1:${port}`,
        "-c",
        "aiosmtpd.handlers.Mailbox",
        maildir,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await waitForReady(() => listening(port), "aiosmtpd");
  };
  const stop = async () => {
    const running: Deno.ChildProcess | null = child;
    child = null;
    await killNow(running);
  };
  const received = async (): Promise<ReceivedMail[]> => {
    const out: { at: number; name: string; mail: ReceivedMail }[] = [];
    try {
      for await (const file of Deno.readDir(`${maildir}/new`)) {
        const path = `${maildir}/new/${file.name}`;
        const raw = await Deno.readTextFile(path);
        const at = (await Deno.stat(path)).mtime?.getTime() ?? 0;
        out.push({ at, name: file.name, mail: parseMail(raw) });
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return out.sort((a, b) => a.at - b.at || a.name.localeCompare(b.name))
      .map((m) => m.mail);
  };
  if (options.running !== false) await start();
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    env: {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      SMTP_TLS: "none",
      MAIL_FROM: "Riverside Clinic <visits@clinic.test>",
    },
    received,
    async waitFor(match, count = 1, seconds = 30) {
      const giveUpAt = Date.now() + seconds * 1000;
      while (true) {
        const found = (await received()).filter(match);
        if (found.length >= count) return found;
        if (Date.now() > giveUpAt) {
          throw new Error(
            `expected ${count} matching message(s), got ${found.length}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop,
    start,
    async close() {
      await stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Header block and body of one MIME entity. */
function split(raw: string): { head: string; body: string } {
  const text = raw.replace(/\r\n/g, "\n");
  const end = text.indexOf("\n\n");
  return end < 0
    ? { head: text, body: "" }
    : { head: text.slice(0, end), body: text.slice(end + 2) };
}

function headerLines(head: string): string[] {
  return head.replace(/\n[ \t]+/g, " ").split("\n").filter(Boolean);
}

function headerMap(lines: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      map.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  return map;
}

/** RFC 2047 encoded words, as nodemailer writes non-ASCII subjects. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, "?==?").replace(
    /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
    (_, _charset, how, text) => {
      const bytes = how.toUpperCase() === "B"
        ? Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
        : quotedPrintableBytes(text.replace(/_/g, " "));
      return new TextDecoder().decode(bytes);
    },
  );
}

function quotedPrintableBytes(text: string): Uint8Array {
  const bytes: number[] = [];
  const soft = text.replace(/=\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...new TextEncoder().encode(soft[i]));
    }
  }
  return Uint8Array.from(bytes);
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch (encoding?.toLowerCase()) {
    case "base64":
      return new TextDecoder().decode(
        Uint8Array.from(atob(body.replace(/\s+/g, "")), (c) => c.charCodeAt(0)),
      );
    case "quoted-printable":
      return new TextDecoder().decode(quotedPrintableBytes(body));
    default:
      return body;
  }
}

function parts(
  raw: string,
): { contentType: string; filename?: string; body: string }[] {
  const { head, body } = split(raw);
  const headers = headerMap(headerLines(head));
  const type = headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith("multipart/") && boundary) {
    return body.split(`--${boundary}`).slice(1)
      .filter((part) => !part.startsWith("--"))
      .flatMap((part) => parts(part.replace(/^\n/, "")));
  }
  const disposition = headers.get("content-disposition") ?? "";
  const filename = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ??
    /name="?([^";]+)"?/i.exec(type)?.[1];
  return [{
    contentType: type.split(";")[0].trim().toLowerCase(),
    ...(filename ? { filename } : {}),
    body: decodeBody(body, headers.get("content-transfer-encoding")),
  }];
}

export function parseMail(raw: string): ReceivedMail {
  const { head } = split(raw);
  const lines = headerLines(head);
  const headers = headerMap(lines);
  const all = parts(raw);
  return {
    raw,
    headers,
    headerLines: lines,
    subject: decodeWords(headers.get("subject") ?? ""),
    to: headers.get("to") ?? "",
    parts: all,
    text: all.filter((p) => p.contentType === "text/plain" && !p.filename)
      .map((p) => p.body).join("\n"),
  };
}
