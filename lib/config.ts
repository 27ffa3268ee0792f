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

const hexColour = z.string().regex(
  /^#[0-9a-fA-F]{6}$/,
  "must be a colour like #0b6e4f",
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
  ADMIN_NAME: z.string().trim().min(1).max(100).optional(),
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
  /** Set by Deno Deploy in every deployment. */
  DENO_DEPLOYMENT_ID: z.string().optional(),
}).refine((s) => s.SIGNAL_RELAY !== "redis" || s.REDIS_URL !== undefined, {
  message: "SIGNAL_RELAY=redis needs REDIS_URL",
  path: ["REDIS_URL"],
}).refine(
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
  };
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
