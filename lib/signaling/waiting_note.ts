/**
 * The doctor's short note to a waiting patient ("running 10 minutes
 * late"). It travels on the visit's room channel over the relay, so it
 * reaches the patient's socket on whichever server holds it; and it is kept
 * in KV (the latest one, until the doctor joins or the window ends), so a
 * patient who arrives, reloads or rejoins after it was sent reads it too,
 * and one lost by the relay (pub/sub is at most once) comes back at the
 * next join. Polling KV from every waiting page would cost a read per
 * patient every few seconds for a message that is rare; the socket is
 * already open.
 *
 * A ready-made note is written in the patient's language; a typed one goes
 * as the doctor typed it.
 *
 * @module
 */
import { z } from "zod";
import type { ClinicConfig } from "@/lib/config.ts";
import { visitLanguage } from "@/lib/clinic/visit_access.ts";
import { windowEnd } from "@/lib/clinic/visit_window.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { singleLine } from "@/lib/http/text.ts";
import {
  checkIn as checkInText,
  WAITING_NOTE_PRESETS,
  type WaitingNotePreset,
} from "@/lib/i18n/text/check_in.ts";
import { MAX_WAITING_NOTE, type WaitingNote } from "@/lib/protocol/messages.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import { auditIn } from "@/lib/store/audit.ts";
import { keys } from "@/lib/store/keys.ts";
import type { SignalingHub } from "./hub.ts";
import { roomChannel } from "./room_member.ts";
import { roomAdmits } from "./room_rule.ts";

const PRESETS = Object.keys(WAITING_NOTE_PRESETS) as [
  WaitingNotePreset,
  ...WaitingNotePreset[],
];

/** What the doctor sends: one of the ready-made notes, or their own words. */
export const waitingNoteInput = z.union([
  z.strictObject({ preset: z.enum(PRESETS) }),
  z.strictObject({
    text: singleLine({
      min: 1,
      max: MAX_WAITING_NOTE,
      empty: "Write a message, or choose one",
    }),
  }),
], { error: 'Send { "preset": one of the list } or { "text": your message }' });
export type WaitingNoteInput = z.infer<typeof waitingNoteInput>;

const storedNote = z.object({ text: z.string(), at: z.number() });

/** The words the patient reads. */
export function noteText(
  config: ClinicConfig,
  appointment: Appointment,
  input: WaitingNoteInput,
): string {
  if ("text" in input) return input.text;
  const language = visitLanguage(config, appointment);
  return checkInText[language][WAITING_NOTE_PRESETS[input.preset]];
}

/**
 * Keeps the note and sends it to the patient's socket, if one is in the
 * room; while the visit can still be joined (before its window opens, too:
 * the patient reads it on arrival).
 */
export async function sendWaitingNote(
  hub: SignalingHub,
  doctorId: string,
  appointment: Appointment,
  input: WaitingNoteInput,
  now = Date.now(),
): Promise<WaitingNote> {
  const { kv, config, relay } = hub.options;
  const admits = await roomAdmits(kv, config, hub.presence, appointment, now);
  if (admits !== true && admits.code !== "not_open") {
    throw new HttpError(409, admits.code, admits.message);
  }
  const text = noteText(config, appointment, input);
  const op = kv.atomic().set(
    keys.waitingNote(appointment.id),
    { text, at: now },
    { expireIn: Math.max(1000, windowEnd(appointment) - now) },
  );
  auditIn(op, {
    actor: { kind: "doctor", id: doctorId },
    action: "visit.waiting_note_sent",
    subject: appointment.id,
    // What was chosen, never the words typed.
    detail: "preset" in input ? input.preset : "typed",
    at: now,
  });
  await op.commit();
  relay.publish(roomChannel(appointment.id), {
    kind: "waiting-note",
    to: "patient",
    text,
    at: now,
  });
  return { text, at: new Date(now).toISOString() };
}

/** The latest note for a patient who (re)joins while waiting. */
export async function readWaitingNote(
  kv: Deno.Kv,
  appointmentId: string,
): Promise<WaitingNote | null> {
  const parsed = storedNote.safeParse(
    (await kv.get(keys.waitingNote(appointmentId))).value,
  );
  return parsed.success
    ? { text: parsed.data.text, at: new Date(parsed.data.at).toISOString() }
    : null;
}

/** The doctor came: what the note said is over. */
export async function clearWaitingNote(kv: Deno.Kv, appointmentId: string) {
  await kv.delete(keys.waitingNote(appointmentId));
}
