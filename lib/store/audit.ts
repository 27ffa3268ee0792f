/**
 * The clinic's audit trail: who did what and when, appended to Deno KV and
 * never changed or deleted. Entries name records by id and never hold
 * note text or chat. Where the action itself is an atomic write, its entry
 * is written in the same operation, so one is never kept without the other.
 *
 * @module
 */
import { z } from "zod";
import { newId } from "./ids.ts";
import { keys } from "./keys.ts";
import { listPage, type PageRequest } from "./kv.ts";

export const AUDIT_ACTIONS = [
  "appointment.created",
  "appointment.changed",
  "appointment.cancelled",
  "appointment.link_reissued",
  "appointment.language_changed",
  "visit.checked_in",
  "visit.waiting_note_sent",
  "call.joined",
  "call.left",
  "session.ended",
  "note.viewed",
  "note.edited",
  "report.viewed",
  "history.exported",
  "sessions.listed",
  "patient.link_reissued",
  "patient.language_changed",
  "signin.succeeded",
  "signin.failed",
  "signin.throttled",
  "signout",
  "doctor.created",
  "doctor.deactivated",
  "doctor.reactivated",
  "doctor.password_reset",
  "doctor.sessions_ended",
  "doctor.profile_changed",
] as const;
export type AuditAction = typeof AUDIT_ACTIONS[number];

const actorSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("doctor"), id: z.string() }),
  z.object({ kind: z.literal("patient"), id: z.string() }),
  z.object({ kind: z.literal("system") }),
  /** Somebody not signed in, such as a failed sign-in; never an email. */
  z.object({ kind: z.literal("anonymous") }),
]);
export type Actor = z.infer<typeof actorSchema>;

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.number(),
  actor: actorSchema,
  action: z.enum(AUDIT_ACTIONS),
  /** The record acted on: an appointment's, a session's, a doctor's id. */
  subject: z.string(),
  /** A few words of context (a leave reason, how a call ended); never note text. */
  detail: z.string().optional(),
  /** The client address, for sign-in events and other security events. */
  address: z.string().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export type NewAuditEntry = Omit<AuditEntry, "id" | "at"> & { at?: number };

function entryOf(input: NewAuditEntry): AuditEntry {
  const { at, ...rest } = input;
  return { id: newId(), at: at ?? Date.now(), ...rest };
}

/** Adds the entry to an atomic operation; it is kept only if that commits. */
export function auditIn(op: Deno.AtomicOperation, input: NewAuditEntry) {
  const entry = entryOf(input);
  // A fresh id under the time: two entries in one millisecond never collide.
  return op.check({
    key: keys.auditEntry(entry.at, entry.id),
    versionstamp: null,
  })
    .set(keys.auditEntry(entry.at, entry.id), entry);
}

/** Appends one entry on its own (for reads, which write nothing else). */
export async function audit(kv: Deno.Kv, input: NewAuditEntry) {
  const entry = entryOf(input);
  await kv.set(keys.auditEntry(entry.at, entry.id), entry);
}

/** One page of the trail, newest first. */
export function listAudit(
  kv: Deno.Kv,
  request: Omit<PageRequest, "reverse">,
) {
  return listPage(
    kv,
    keys.audit(),
    { ...request, reverse: true },
    (entry) => auditEntrySchema.parse(entry.value),
  );
}
