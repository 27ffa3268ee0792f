/**
 * A patient's check-in for a visit, in Deno KV beside the visit: the name
 * the patient confirmed (which may correct the spelling of the doctor's
 * record, and is kept apart from it: the record is the doctor's), the
 * consent text's version (its SHA-256) and language, and when. The consent
 * text itself is kept once per version, so the exact words a patient
 * accepted can be read later even after the clinic changed them. The
 * record, the text and the audit entry are one atomic write; the first
 * check-in stands.
 *
 * @module
 */
import { z } from "zod";
import type { Language } from "@/lib/i18n/languages.ts";
import { LANGUAGES } from "@/lib/i18n/languages.ts";
import { auditIn } from "./audit.ts";
import { keys } from "./keys.ts";
import { ConflictError, MAX_ATTEMPTS } from "./kv.ts";

export const checkInSchema = z.object({
  appointmentId: z.string(),
  patientId: z.string(),
  /** The name as the patient confirmed it. */
  name: z.string(),
  /** SHA-256 of the consent text shown, in hex. */
  consentVersion: z.string().regex(/^[0-9a-f]{64}$/),
  language: z.enum(LANGUAGES),
  at: z.number(),
});
export type CheckIn = z.infer<typeof checkInSchema>;

const consentTextSchema = z.object({
  text: z.string(),
  language: z.enum(LANGUAGES),
  firstAcceptedAt: z.number(),
});

export async function getCheckIn(
  kv: Deno.Kv,
  appointmentId: string,
): Promise<CheckIn | null> {
  const entry = await kv.get(keys.checkIn(appointmentId));
  const parsed = checkInSchema.safeParse(entry.value);
  return parsed.success ? parsed.data : null;
}

/** The words of a consent version, as first accepted. */
export async function getConsentText(
  kv: Deno.Kv,
  version: string,
): Promise<{ text: string; language: Language } | null> {
  const entry = await kv.get(keys.consentText(version));
  const parsed = consentTextSchema.safeParse(entry.value);
  return parsed.success ? parsed.data : null;
}

/**
 * Records the check-in with its audit entry; if the visit was already
 * checked in (a double submit, two tabs), nothing changes and the first one
 * is answered.
 */
export async function recordCheckIn(
  kv: Deno.Kv,
  checkIn: CheckIn,
  consentText: string,
): Promise<{ checkIn: CheckIn; first: boolean }> {
  const key = keys.checkIn(checkIn.appointmentId);
  const textKey = keys.consentText(checkIn.consentVersion);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [existing, text] = await kv.getMany([key, textKey]);
    const before = checkInSchema.safeParse(existing.value);
    if (before.success) return { checkIn: before.data, first: false };
    const op = kv.atomic().check(existing).check(text).set(key, checkIn);
    if (text.versionstamp === null) {
      op.set(textKey, {
        text: consentText,
        language: checkIn.language,
        firstAcceptedAt: checkIn.at,
      });
    }
    auditIn(op, {
      actor: { kind: "patient", id: checkIn.patientId },
      action: "visit.checked_in",
      subject: checkIn.appointmentId,
      detail: `consent ${
        checkIn.consentVersion.slice(0, 12)
      }, ${checkIn.language}`,
      at: checkIn.at,
    });
    if ((await op.commit()).ok) return { checkIn, first: true };
  }
  throw new ConflictError("The check-in could not be saved; please try again.");
}
