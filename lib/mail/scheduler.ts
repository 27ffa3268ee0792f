/**
 * When the outbox is swept. On Deno Deploy `Deno.cron` runs the sweep every
 * minute, once per deployment; elsewhere (where `Deno.cron` is absent
 * unless started with `--unstable-cron`) every server runs a timer every
 * `MAIL_SWEEP_SECONDS`, and a lease in the store lets one server sweep at a
 * time. Either way each message is taken by its own claim
 * (`lib/mail/outbox.ts`), so two sweeps never send one message twice.
 * With mail off nothing is started.
 *
 * @module
 */
import type { Clinic } from "@/lib/config.ts";
import { log } from "@/lib/log.ts";
import { newId } from "@/lib/store/ids.ts";
import { keys } from "@/lib/store/keys.ts";
import { within } from "@/lib/time_limit.ts";
import { RETRY_DELAYS_MS } from "./outbox.ts";
import { sweepOutbox } from "./sender.ts";
import { createMailTransport, type MailTransport } from "./transport.ts";

/** How long a sweep may hold the lease; a server that died loses it then. */
export const SWEEP_LEASE_MS = 2 * 60_000;
/** How long a stopping server waits for the message it is sending. */
const STOP_WAIT_MS = 3000;

export interface MailService {
  /** `cron` on Deno Deploy, `timer` elsewhere. */
  readonly schedule: "cron" | "timer";
  /** Sweeps now (unless a sweep is under way here), holding the lease. */
  sweep(): Promise<void>;
  /** Stops sweeping; waits a little for a message being sent. */
  stop(): Promise<void>;
  /** Retry delays; tests shorten them. */
  retryDelaysMs: readonly number[];
}

interface SweepLease {
  by: string;
  until: number;
}

/** Takes the sweep lease if it is free, expired, or this server's own. */
export async function takeSweepLease(
  kv: Deno.Kv,
  server: string,
  now: number,
  leaseMs = SWEEP_LEASE_MS,
): Promise<boolean> {
  const entry = await kv.get<SweepLease>(keys.mailSweepLease());
  const held = entry.value;
  if (held && held.until > now && held.by !== server) return false;
  const result = await kv.atomic().check(entry)
    .set(keys.mailSweepLease(), { by: server, until: now + leaseMs }, {
      expireIn: leaseMs,
    }).commit();
  return result.ok;
}

export async function releaseSweepLease(kv: Deno.Kv, server: string) {
  const entry = await kv.get<SweepLease>(keys.mailSweepLease());
  if (entry.value?.by !== server) return;
  await kv.atomic().check(entry).delete(keys.mailSweepLease()).commit();
}

type Cron = (
  name: string,
  schedule: string,
  options: { signal: AbortSignal },
  handler: () => Promise<void>,
) => Promise<void>;

/** Starts sweeping the outbox; `null` when mail is off. */
export function startMailService(
  clinic: Clinic,
  transport?: MailTransport,
): MailService | null {
  const settings = clinic.config.mail;
  if (settings === null) return null;
  const smtp = transport ??
    createMailTransport(settings, new URL(clinic.config.publicUrl).hostname);
  const server = newId().slice(0, 8);
  let running: Promise<void> | null = null;
  let stopping = false;

  const sweepOnce = async () => {
    if (!await takeSweepLease(clinic.kv, server, Date.now())) return;
    try {
      await sweepOutbox(clinic, smtp, {
        server,
        retryDelaysMs: service.retryDelaysMs,
        stopping: () => stopping,
      });
    } finally {
      await releaseSweepLease(clinic.kv, server);
    }
  };
  const sweep = () => {
    if (stopping) return Promise.resolve();
    running ??= sweepOnce()
      .catch((error) => log.warn("mail.sweep", { error: String(error) }))
      .finally(() => running = null);
    return running;
  };

  const cron = (Deno as unknown as { cron?: Cron }).cron;
  let end: () => void;
  let schedule: MailService["schedule"];
  if (typeof cron === "function") {
    // Deno Deploy runs it once per minute for the whole deployment.
    const abort = new AbortController();
    cron("clinic mail", "* * * * *", { signal: abort.signal }, sweep)
      .catch((error) => log.warn("mail.cron", { error: String(error) }));
    end = () => abort.abort();
    schedule = "cron";
  } else {
    const timer = setInterval(sweep, clinic.config.mailSweepMs);
    // The timer alone never keeps a stopping process alive.
    Deno.unrefTimer(timer);
    end = () => clearInterval(timer);
    schedule = "timer";
  }

  const service: MailService = {
    schedule,
    sweep,
    retryDelaysMs: RETRY_DELAYS_MS,
    async stop() {
      stopping = true;
      end();
      try {
        if (running) await within(running, STOP_WAIT_MS, "mail still sending");
      } catch (error) {
        // Its claim runs out and another server (or this one, restarted)
        // tries it again: that one message may then arrive twice.
        log.warn("mail.stop", { error: String(error) });
      }
      smtp.close();
    },
  };
  return service;
}
