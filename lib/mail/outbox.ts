/**
 * The outbox: every message the clinic sends (to a patient, or a "patient
 * waiting" notice to a doctor), kept in Deno KV with its status, so that the
 * doctor sees what reached the patient and why something did not.
 *
 * A message is queued in the same atomic operation as the change to the
 * visit that calls for it, so a crash never loses one. Servers sharing the
 * store take a due message by an atomic claim (a versionstamp check and a
 * lease): one server sends it; a claim left by a server that died is taken
 * again once its lease has run out. A message whose sending fails is tried
 * again after a growing delay, then marked failed with the last reason.
 *
 * @module
 */
import { z } from "zod";
import { newId } from "@/lib/store/ids.ts";
import { keys } from "@/lib/store/keys.ts";
import { getAll } from "@/lib/store/kv.ts";

export const MAIL_KINDS = [
  "invitation",
  "reminder",
  "rescheduled",
  "cancelled",
  "patient_waiting",
] as const;
export type MailKind = typeof MAIL_KINDS[number];

export const MAIL_STATUSES = [
  "queued",
  "sending",
  "sent",
  "failed",
  "skipped",
] as const;
export type MailStatus = typeof MAIL_STATUSES[number];

export const mailMessageSchema = z.object({
  id: z.string(),
  kind: z.enum(MAIL_KINDS),
  appointmentId: z.string(),
  /** One checked address, never a name: it goes into a header. */
  to: z.string(),
  createdAt: z.number(),
  /** When it was meant to go (a reminder's time). */
  dueAt: z.number(),
  status: z.enum(MAIL_STATUSES),
  /** Why it was skipped, or why it finally failed, in words for the doctor. */
  reason: z.string().optional(),
  /** Tries made so far, including one under way. */
  attempts: z.number(),
  /** What went wrong at the last try, short, with no secrets. */
  lastError: z.string().optional(),
  /** When a server may next take it: a retry's time, or a claim's end. */
  nextAttemptAt: z.number(),
  sentAt: z.number().optional(),
  /** The server sending it now, and until when its claim holds. */
  claim: z.object({ by: z.string(), until: z.number() }).optional(),
  /** A reminder: how long before the start, and the start it reminds of. */
  offsetMs: z.number().optional(),
  forStartsAt: z.number().optional(),
  /** A "rescheduled" notice: the start before the change. */
  previousStartsAt: z.number().optional(),
  /** The doctor's reason for cancelling, or message with a new time. */
  note: z.string().optional(),
  /** A "patient waiting" notice: since when the patient waits. */
  waitingSince: z.number().optional(),
  updatedAt: z.number(),
});
export type MailMessage = z.infer<typeof mailMessageSchema>;

/** What a new message says beyond its kind, visit, recipient and time. */
export type NewMail =
  & Pick<MailMessage, "kind" | "appointmentId" | "to" | "dueAt">
  & Partial<
    Pick<
      MailMessage,
      "offsetMs" | "forStartsAt" | "previousStartsAt" | "note" | "waitingSince"
    >
  >;

const address = z.email().max(254);

/** Whether `text` is one plain address, fit for a To header. */
export function isMailAddress(text: string | undefined): text is string {
  return text !== undefined && address.safeParse(text).success;
}

/** Retries after a failure: 1, 2, 5, 10, 30 and 60 minutes, then it fails. */
export const RETRY_DELAYS_MS = [1, 2, 5, 10, 30, 60].map((m) => m * 60_000);

/** The wait before the next try after `attempts` tries; `null`: give up. */
export function retryDelay(
  attempts: number,
  delays: readonly number[] = RETRY_DELAYS_MS,
): number | null {
  return delays[attempts - 1] ?? null;
}

/**
 * Adds a message to an atomic operation (the one that changes the visit):
 * the record, its place in the due order and in the visit's list.
 */
export function queueMail(
  op: Deno.AtomicOperation,
  input: NewMail,
  now: number,
): MailMessage {
  if (!isMailAddress(input.to)) {
    throw new Error("Mail is queued only to a checked address.");
  }
  const message: MailMessage = {
    ...input,
    id: newId(),
    createdAt: now,
    status: "queued",
    attempts: 0,
    nextAttemptAt: input.dueAt,
    updatedAt: now,
  };
  op.check({ key: keys.mail(message.id), versionstamp: null })
    .set(keys.mail(message.id), message)
    .set(keys.mailDueAt(message.nextAttemptAt, message.id), message.id)
    .set(
      keys.mailOfAppointment(message.appointmentId, now, message.id),
      message.id,
    );
  return message;
}

export async function getMail(
  kv: Deno.Kv,
  id: string,
): Promise<Deno.KvEntry<MailMessage> | null> {
  const entry = await kv.get(keys.mail(id));
  if (entry.value === null) return null;
  return { ...entry, value: mailMessageSchema.parse(entry.value) };
}

/** A visit's messages, oldest first. */
export async function mailOfAppointment(
  kv: Deno.Kv,
  appointmentId: string,
): Promise<MailMessage[]> {
  const ids: string[] = [];
  for await (
    const entry of kv.list<string>({
      prefix: keys.mailByAppointment(appointmentId),
    }, { limit: 200 })
  ) ids.push(entry.value);
  const out: MailMessage[] = [];
  for (const entry of await getAll(kv, ids.map(keys.mail))) {
    if (entry.value !== null) out.push(mailMessageSchema.parse(entry.value));
  }
  return out;
}

/** Ids of messages a server may take now, the longest due first. */
export async function dueMail(
  kv: Deno.Kv,
  now: number,
  limit = 50,
): Promise<string[]> {
  const ids: string[] = [];
  for await (
    const entry of kv.list<string>({
      start: keys.mailDue(),
      end: [...keys.mailDue(), now + 1],
    }, { limit })
  ) ids.push(entry.value);
  return ids;
}

/** A message this server has claimed, at the version its claim wrote. */
export interface ClaimedMail {
  message: MailMessage;
  versionstamp: string;
}

/**
 * Claims a due message for `server` for `leaseMs`; `null` if it is not due,
 * already final, or another server claimed it first. A claim whose lease has
 * run out (its server died mid-send) may be taken again.
 */
export async function claimMail(
  kv: Deno.Kv,
  id: string,
  server: string,
  now: number,
  leaseMs: number,
): Promise<ClaimedMail | null> {
  const entry = await getMail(kv, id);
  if (entry === null) return null;
  const m = entry.value;
  const due = m.status === "queued" && m.nextAttemptAt <= now;
  const abandoned = m.status === "sending" && m.nextAttemptAt <= now;
  if (!due && !abandoned) return null;
  const until = now + leaseMs;
  const claimed: MailMessage = {
    ...m,
    status: "sending",
    claim: { by: server, until },
    attempts: m.attempts + 1,
    nextAttemptAt: until,
    updatedAt: now,
    ...(abandoned
      ? { lastError: "The server sending it stopped before it finished." }
      : {}),
  };
  const result = await kv.atomic()
    .check(entry)
    .delete(keys.mailDueAt(m.nextAttemptAt, id))
    .set(keys.mailDueAt(until, id), id)
    .set(keys.mail(id), claimed)
    .commit();
  return result.ok
    ? { message: claimed, versionstamp: result.versionstamp }
    : null;
}

/** How a try ended. `failed` is tried again later, until the retries run out. */
export type MailOutcome =
  | { kind: "sent" }
  | { kind: "skipped"; reason: string }
  | { kind: "failed"; error: string };

/**
 * Records how the claimed try ended; `null` when the claim was lost (its
 * lease ran out and another server took the message), which changes nothing.
 */
export async function finishMail(
  kv: Deno.Kv,
  claimed: ClaimedMail,
  outcome: MailOutcome,
  now: number,
  delays: readonly number[] = RETRY_DELAYS_MS,
): Promise<MailMessage | null> {
  const { claim: _, ...m } = claimed.message;
  const op = kv.atomic()
    .check({ key: keys.mail(m.id), versionstamp: claimed.versionstamp })
    .delete(keys.mailDueAt(m.nextAttemptAt, m.id));
  let next: MailMessage;
  if (outcome.kind === "sent") {
    next = { ...m, status: "sent", sentAt: now, updatedAt: now };
  } else if (outcome.kind === "skipped") {
    next = { ...m, status: "skipped", reason: outcome.reason, updatedAt: now };
  } else {
    const delay = retryDelay(m.attempts, delays);
    if (delay === null) {
      next = {
        ...m,
        status: "failed",
        lastError: outcome.error,
        reason: `Not sent after ${m.attempts} tries: ${outcome.error}`,
        updatedAt: now,
      };
    } else {
      next = {
        ...m,
        status: "queued",
        lastError: outcome.error,
        nextAttemptAt: now + delay,
        updatedAt: now,
      };
      op.set(keys.mailDueAt(next.nextAttemptAt, m.id), m.id);
    }
  }
  op.set(keys.mail(m.id), next);
  return (await op.commit()).ok ? next : null;
}

/**
 * Marks a visit's queued messages that `superseded` picks as skipped, with
 * `reason` (a cancelled visit's reminders, a moved visit's old ones). A
 * message a server is sending meanwhile is left to it: the sender reads the
 * visit again before sending and skips it there.
 */
export async function skipQueued(
  kv: Deno.Kv,
  appointmentId: string,
  superseded: (m: MailMessage) => boolean,
  reason: string,
  now = Date.now(),
): Promise<number> {
  let skipped = 0;
  for (const listed of await mailOfAppointment(kv, appointmentId)) {
    if (listed.status !== "queued" || !superseded(listed)) continue;
    const entry = await getMail(kv, listed.id);
    if (entry === null || entry.value.status !== "queued") continue;
    const m = entry.value;
    const result = await kv.atomic()
      .check(entry)
      .delete(keys.mailDueAt(m.nextAttemptAt, m.id))
      .set(keys.mail(m.id), { ...m, status: "skipped", reason, updatedAt: now })
      .commit();
    if (result.ok) skipped++;
  }
  return skipped;
}
