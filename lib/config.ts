/**
 * The clinic's configuration: every setting in one place, read from the
 * environment (and the deployment's `fresh.config.ts`) and validated with
 * zod before the server starts. The rest of `lib/` takes a `ClinicConfig`
 * and never reads the environment itself.
 *
 * @module
 */
import { z } from "zod";
import { type TrustedProxies, trustedProxies } from "./http/client_address.ts";
import { hasControlCharacters, singleLine } from "./http/text.ts";
import { type Language, LANGUAGES } from "./i18n/languages.ts";

const iceServer = z.object({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "must be an IANA time zone such as Europe/Paris");

/** Minutes as a number, decimals allowed (tests use seconds' worth). */
const minutes = (max: number) => z.coerce.number<string>().min(0.01).max(max);

/** A plain address, with no name and no line breaks: it goes into headers. */
const mailbox = z.email().max(254);

/** "Name <address>" or a bare address, checked before it reaches a header. */
const mailFrom = z.string().trim().max(300).refine(
  (text) => {
    const m = /^(?:([^<>\r\n"]{1,100}) )?<([^<>\s]+)>$/.exec(text);
    return mailbox.safeParse(m ? m[2] : text).success;
  },
  'must be an address, or "Name <address>"',
);

/** WCAG's relative luminance of a `#rrggbb` colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** How far apart white text is from `hex` behind it (1 to 21). */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminance(hex) + 0.05);
}

// The colour is the header and buttons behind white text, and the links on
// white: below 4.5:1 (WCAG AA) people with low vision cannot read them.
const hexColour = z.string().regex(
  /^#[0-9a-fA-F]{6}$/,
  "must be a colour like #0b6e4f",
).refine(
  (hex) => contrastWithWhite(hex) >= 4.5,
  "must be dark enough for white text on it (contrast 4.5:1 or more)",
);

/**
 * Text the clinic writes for patients (the consent, the waiting-room
 * message): paragraphs, one per line. An environment variable rarely holds
 * a line break, so `\n` written as two characters is one too. Nothing else
 * that is not plain text passes: it is shown on pages and its hash is kept
 * as evidence of what a patient accepted.
 */
const clinicText = (min: number, max: number) =>
  z.string().transform((text) =>
    text.replaceAll("\\n", "\n").replaceAll("\r\n", "\n").split("\n")
  ).refine(
    (lines) => lines.every((line) => !hasControlCharacters(line)),
    "use plain text: no control characters (paragraphs on separate lines)",
  ).transform((lines) =>
    lines.map((line) => line.trim()).filter(Boolean).join("\n")
  ).pipe(
    z.string().min(min, `must be at least ${min} characters`).max(
      max,
      `must be at most ${max} characters`,
    ),
  );

/** The environment variables the app reads, and what each becomes. */
const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOSTNAME: z.string().min(1).default("127.0.0.1"),
  KV_PATH: z.string().min(1).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  CLINIC_NAME: z.string().trim().min(1).max(80).default("Riverside Clinic"),
  CLINIC_TIME_ZONE: timeZone.default("UTC"),
  CLINIC_COLOUR: hexColour.default("#0b6e4f"),
  ICE_SERVERS: z.string().default('[{"urls":"stun:stun.l.google.com:19302"}]')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON array" });
        return z.NEVER;
      }
    }).pipe(z.array(iceServer)),
  TURN_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  TURN_URLS: z.string().default("").transform((text) =>
    text.split(",").map((u) => u.trim()).filter(Boolean)
  ).pipe(
    z.array(
      z.string().regex(
        /^turns?:/,
        "must be turn: or turns: URLs, comma-separated",
      ),
    ),
  ),
  CHAT_KEPT: z.enum(["report", "none"]).default("report"),
  SIGNALING_KEEPALIVE_SECONDS: z.coerce.number().min(0.05).max(60).default(5),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_NAME: singleLine({ min: 1, max: 100 }).optional(),
  ADMIN_PASSWORD: z.string().min(10, "must be at least 10 characters")
    .optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(
    30,
  ),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  CALL_CLOSE_GRACE_SECONDS: z.coerce.number().min(1).max(24 * 3600).default(
    600,
  ),
  SIGNALING_JOIN_SECONDS: z.coerce.number().min(0.05).max(120).default(10),
  SIGNALING_MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000)
    .default(20),
  SIGNALING_MAX_SOCKETS: z.coerce.number().int().min(1).max(1_000_000).default(
    5000,
  ),
  CHAT_MAX_LINES: z.coerce.number().int().min(10).max(5000).default(500),
  TRUSTED_PROXIES: z.string().max(4000).default("").transform(
    (text, ctx) => {
      const list = text.split(",").map((a) => a.trim()).filter(Boolean);
      try {
        return trustedProxies(list);
      } catch (error) {
        ctx.addIssue({
          code: "custom",
          message: `must be addresses or CIDR ranges, comma-separated (${
            (error as Error).message
          })`,
        });
        return z.NEVER;
      }
    },
  ),
  PATIENT_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  CALL_TEST_HOOKS: z.enum(["0", "1"]).default("0"),
  SIGNAL_RELAY: z.enum(["local", "redis", "kv"]).optional(),
  REDIS_URL: z.url({
    protocol: /^rediss?$/,
    error: "must be a redis:// or rediss:// URL",
  }).optional(),
  CLINIC_PHONE: z.string().trim().max(40).regex(
    /^[+0-9 ().\-]+$/,
    "must be a phone number (digits, spaces, + - . ( ))",
  ).optional(),
  CLINIC_EMAIL: mailbox.optional(),
  CLINIC_LANGUAGE: z.enum(LANGUAGES).default("en"),
  SMTP_URL: z.url({
    protocol: /^smtps?$/,
    error: "must be an smtp:// or smtps:// URL",
  }).optional(),
  SMTP_HOST: z.string().trim().min(1).max(253).regex(
    /^[A-Za-z0-9.:\-\[\]]+$/,
    "must be a host name or address",
  ).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_USER: z.string().max(256).optional(),
  SMTP_PASSWORD: z.string().max(256).optional(),
  SMTP_TLS: z.enum(["starttls", "tls", "none"]).optional(),
  MAIL_FROM: mailFrom.optional(),
  REMINDER_MINUTES: z.string().default("1440,60").transform((text) =>
    text.split(",").map((m) => m.trim()).filter(Boolean)
  ).pipe(z.array(minutes(60 * 24 * 30)).max(5, "must be at most 5 times")),
  WAITING_NOTICE_MINUTES: minutes(24 * 60).default(10),
  MAIL_SWEEP_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  /**
   * The clinic's telehealth consent, one setting per patient language (a
   * new language needs its own). Set all or none: a patient must read the
   * clinic's own text in their language, never a default in one language
   * and the clinic's in another.
   */
  CONSENT_TEXT_EN: clinicText(20, 4000).optional(),
  CONSENT_TEXT_ES: clinicText(20, 4000).optional(),
  /** Shown to every waiting patient, per language; all or none. */
  WAITING_ROOM_MESSAGE_EN: clinicText(1, 500).optional(),
  WAITING_ROOM_MESSAGE_ES: clinicText(1, 500).optional(),
  /** Set by Deno Deploy in every deployment. */
  DENO_DEPLOYMENT_ID: z.string().optional(),
}).refine((s) => !(s.SMTP_URL && s.SMTP_HOST), {
  message: "set SMTP_URL or SMTP_HOST, not both",
  path: ["SMTP_HOST"],
}).refine(
  (s) =>
    !(s.SMTP_URL || s.SMTP_HOST) || s.MAIL_FROM !== undefined ||
    s.CLINIC_EMAIL !== undefined,
  {
    message: "sending mail needs MAIL_FROM (or CLINIC_EMAIL)",
    path: ["MAIL_FROM"],
  },
).refine((s) => s.SIGNAL_RELAY !== "redis" || s.REDIS_URL !== undefined, {
  message: "SIGNAL_RELAY=redis needs REDIS_URL",
  path: ["REDIS_URL"],
}).refine(
  (s) =>
    (s.CONSENT_TEXT_EN === undefined) === (s.CONSENT_TEXT_ES === undefined),
  {
    message:
      "set CONSENT_TEXT_EN and CONSENT_TEXT_ES together: each patient reads the clinic's consent in their language",
    path: ["CONSENT_TEXT_ES"],
  },
).refine(
  (s) =>
    (s.WAITING_ROOM_MESSAGE_EN === undefined) ===
      (s.WAITING_ROOM_MESSAGE_ES === undefined),
  {
    message:
      "set WAITING_ROOM_MESSAGE_EN and WAITING_ROOM_MESSAGE_ES together: every waiting patient reads it in their language",
    path: ["WAITING_ROOM_MESSAGE_ES"],
  },
).refine(
  (s) => (s.ADMIN_EMAIL === undefined) === (s.ADMIN_PASSWORD === undefined),
  {
    message: "ADMIN_EMAIL and ADMIN_PASSWORD must be set together",
    path: ["ADMIN_PASSWORD"],
  },
);

/** A setting's name, as an environment variable. */
export type SettingName = keyof typeof settingsSchema.shape;
/** Settings as text, the way the environment gives them. */
export type Settings = Partial<Record<SettingName, string>>;

/** The validated configuration the app runs with. */
export interface ClinicConfig {
  port: number;
  hostname: string;
  /** A file, a `denokv` URL, `:memory:`; `null` for Deno Deploy's own KV. */
  kvPath: string | null;
  /**
   * How call messages reach the other servers: `local` (this process
   * only), `redis` (`redisUrl`) or `kv` (the clinic's Deno KV).
   */
  signalRelay: "local" | "redis" | "kv";
  redisUrl?: string;
  /** Base URL for links given to patients, without a trailing slash. */
  publicUrl: string;
  clinicName: string;
  timeZone: string;
  colour: string;
  iceServers: z.infer<typeof iceServer>[];
  turnSecret?: string;
  turnUrls: string[];
  /**
   * Whether a visit's chat is kept for its session report ("report") or
   * deleted when the visit window ends ("none").
   */
  chatKept: "report" | "none";
  /** How often the server pings call sockets; three missed answers close one. */
  keepaliveMs: number;
  admin?: { email: string; password: string; name: string };
  sessionIdleMs: number;
  sessionMaxMs: number;
  /**
   * How long a call whose participants have all gone stays open for them to
   * come back; after that it closes itself (as "both left" or "timed out").
   */
  callCloseGraceMs: number;
  /** A call socket that has not joined a room by then is closed. */
  signalingJoinMs: number;
  /** Open call sockets allowed per client address, and in this process. */
  signalingMaxSocketsPerAddress: number;
  signalingMaxSockets: number;
  /** Chat lines a visit may hold; the line over it is refused. */
  chatMaxLines: number;
  /** The reverse proxies whose `X-Forwarded-For` names the client. */
  trustedProxies: TrustedProxies;
  /** How long a patient's personal page link works after it is issued. */
  patientLinkMs: number;
  /**
   * For browser tests only: the call page puts its call client on
   * `globalThis.clinicCall` and obeys `?relay=only`. Off in production.
   */
  callTestHooks: boolean;
  /** Sign-in throttling; built in, not a setting (tests shorten it). */
  loginLimits: LoginLimits;
  /** How patients can reach the clinic when a link fails. */
  clinicPhone?: string;
  clinicEmail?: string;
  /** The language of a new visit unless the doctor picks another. */
  language: Language;
  /** How mail leaves the clinic; `null` when no SMTP server is set (mail is off). */
  mail: MailSettings | null;
  /** When reminders go out, before the visit's start, longest first. */
  reminderOffsetsMs: number[];
  /** A patient left waiting this long with nobody joining: the doctor is told. */
  waitingNoticeMs: number;
  /** How often a server looks for mail that is due. */
  mailSweepMs: number;
  /**
   * The clinic's own telehealth consent in each language, paragraphs
   * separated by line breaks; `null`: the default text of the catalogue.
   */
  consentText: Record<Language, string> | null;
  /** Shown to every waiting patient, in their language; `null`: nothing. */
  waitingRoomMessage: Record<Language, string> | null;
}

/** An SMTP server and the sender the clinic's mail comes from. */
export interface MailSettings {
  host: string;
  port: number;
  /** `tls`: TLS from the start (port 465); `starttls`: required upgrade; `none`: plain (local relays only). */
  tls: "tls" | "starttls" | "none";
  user?: string;
  password?: string;
  /** The From header: "Name <address>" or an address. */
  from: string;
}

/** How sign-in failures are spaced out, for one scope. */
export interface ThrottleRule {
  /** Failures allowed before tries are spaced out. */
  free: number;
  /** The wait after the first failure over `free`; it doubles after each. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Sign-in throttling, built in (see lib/auth/login_limit.ts). */
export interface LoginLimits {
  /** One account from one address, or from one of the doctor's browsers. */
  pair: ThrottleRule;
  /** One address, whatever the accounts. */
  address: ThrottleRule;
  /**
   * One account, for browsers without its device cookie, once failures
   * have come from `addresses` different addresses: one address alone can
   * never slow the account for others.
   */
  account: ThrottleRule & { addresses: number };
}

export const LOGIN_LIMITS: LoginLimits = {
  pair: { free: 3, firstDelayMs: 1000, maxDelayMs: 15 * 60_000 },
  address: { free: 30, firstDelayMs: 1000, maxDelayMs: 15 * 60_000 },
  account: {
    free: 10,
    addresses: 5,
    firstDelayMs: 1000,
    maxDelayMs: 15 * 60_000,
  },
};

/**
 * The running clinic as most of `lib/` needs it: its configuration and its
 * store. (Requests carry more: see `ClinicRuntime` in `lib/state.ts`.)
 */
export interface Clinic {
  config: ClinicConfig;
  kv: Deno.Kv;
}

/** A setting that failed validation; the message names it. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads and validates the configuration from an environment map. */
export function loadConfig(
  env: Record<string, string | undefined>,
): ClinicConfig {
  const known = Object.fromEntries(
    Object.keys(settingsSchema.shape).map((k) => [k, emptyToUndefined(env[k])]),
  );
  const parsed = settingsSchema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) =>
      `  ${issue.path.join(".") || "settings"}: ${issue.message}`
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const s = parsed.data;
  const publicUrl = (s.PUBLIC_URL ??
    `http://${s.HOSTNAME === "0.0.0.0" ? "127.0.0.1" : s.HOSTNAME}:${s.PORT}`)
    .replace(/\/+$/, "");
  const onDeploy = s.DENO_DEPLOYMENT_ID !== undefined;
  return {
    port: s.PORT,
    hostname: s.HOSTNAME,
    kvPath: s.KV_PATH ?? (onDeploy ? null : "data/clinic.kv"),
    signalRelay: s.SIGNAL_RELAY ??
      (s.REDIS_URL ? "redis" : onDeploy ? "kv" : "local"),
    redisUrl: s.REDIS_URL,
    publicUrl,
    clinicName: s.CLINIC_NAME,
    timeZone: s.CLINIC_TIME_ZONE,
    colour: s.CLINIC_COLOUR,
    iceServers: s.ICE_SERVERS,
    turnSecret: s.TURN_SECRET,
    turnUrls: s.TURN_URLS,
    chatKept: s.CHAT_KEPT,
    keepaliveMs: s.SIGNALING_KEEPALIVE_SECONDS * 1000,
    admin: s.ADMIN_EMAIL && s.ADMIN_PASSWORD
      ? {
        email: s.ADMIN_EMAIL.toLowerCase(),
        password: s.ADMIN_PASSWORD,
        name: s.ADMIN_NAME ?? s.ADMIN_EMAIL.split("@")[0],
      }
      : undefined,
    sessionIdleMs: s.SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: s.SESSION_MAX_HOURS * 3_600_000,
    callCloseGraceMs: s.CALL_CLOSE_GRACE_SECONDS * 1000,
    signalingJoinMs: s.SIGNALING_JOIN_SECONDS * 1000,
    signalingMaxSocketsPerAddress: s.SIGNALING_MAX_SOCKETS_PER_ADDRESS,
    signalingMaxSockets: s.SIGNALING_MAX_SOCKETS,
    chatMaxLines: s.CHAT_MAX_LINES,
    trustedProxies: s.TRUSTED_PROXIES,
    patientLinkMs: s.PATIENT_LINK_DAYS * 24 * 3_600_000,
    callTestHooks: s.CALL_TEST_HOOKS === "1",
    loginLimits: LOGIN_LIMITS,
    clinicPhone: s.CLINIC_PHONE,
    clinicEmail: s.CLINIC_EMAIL,
    language: s.CLINIC_LANGUAGE,
    mail: mailSettings(s),
    reminderOffsetsMs: s.REMINDER_MINUTES.map((m) => m * 60_000)
      .sort((a, b) => b - a),
    waitingNoticeMs: s.WAITING_NOTICE_MINUTES * 60_000,
    mailSweepMs: s.MAIL_SWEEP_SECONDS * 1000,
    consentText: s.CONSENT_TEXT_EN && s.CONSENT_TEXT_ES
      ? { en: s.CONSENT_TEXT_EN, es: s.CONSENT_TEXT_ES }
      : null,
    waitingRoomMessage: s.WAITING_ROOM_MESSAGE_EN && s.WAITING_ROOM_MESSAGE_ES
      ? { en: s.WAITING_ROOM_MESSAGE_EN, es: s.WAITING_ROOM_MESSAGE_ES }
      : null,
  };
}

type ParsedSettings = z.infer<typeof settingsSchema>;

/** SMTP_URL, or SMTP_HOST and its companions; `null` when neither is set. */
function mailSettings(s: ParsedSettings): MailSettings | null {
  const from = s.MAIL_FROM ??
    (s.CLINIC_EMAIL ? `${quoteName(s.CLINIC_NAME)} <${s.CLINIC_EMAIL}>` : "");
  if (s.SMTP_URL) {
    const url = new URL(s.SMTP_URL);
    const tls = url.protocol === "smtps:" ? "tls" : s.SMTP_TLS ?? "starttls";
    return {
      host: url.hostname,
      port: Number(url.port) || (tls === "tls" ? 465 : 587),
      tls,
      ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      from,
    };
  }
  if (!s.SMTP_HOST) return null;
  const tls = s.SMTP_TLS ?? "starttls";
  return {
    host: s.SMTP_HOST,
    port: s.SMTP_PORT ?? (tls === "tls" ? 465 : 587),
    tls,
    ...(s.SMTP_USER ? { user: s.SMTP_USER } : {}),
    ...(s.SMTP_PASSWORD ? { password: s.SMTP_PASSWORD } : {}),
    from,
  };
}

/** The clinic's name as a From display name, with nothing that ends a header. */
function quoteName(name: string): string {
  return `"${name.replace(/[\r\n"\\<>]/g, " ").trim()}"`;
}

function emptyToUndefined(value: string | undefined) {
  return value === undefined || value.trim() === "" ? undefined : value;
}

/**
 * The configuration from this process's environment; `fileSettings` (the
 * deployment's `fresh.config.ts`) fill in what the environment leaves out.
 */
export function configFromEnv(fileSettings: Settings = {}): ClinicConfig {
  const env = Object.entries(Deno.env.toObject())
    .filter(([, value]) => emptyToUndefined(value) !== undefined);
  return loadConfig({ ...fileSettings, ...Object.fromEntries(env) });
}
