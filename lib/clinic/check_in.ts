/**
 * Check-in: before the patient's first join, they confirm their name and
 * accept the clinic's telehealth consent in their language. The visit link
 * authorises it (`visit_access.ts`); the join ticket is given only after it
 * (`requireCheckIn`), and a rejoin does not ask again.
 *
 * The consent's version is the SHA-256 of the exact text shown. The form
 * sends back the version it showed, so a text the clinic changed between
 * showing and accepting is shown again rather than accepted unread.
 *
 * @module
 */
import { z } from "zod";
import type { Clinic, ClinicConfig } from "@/lib/config.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { hasControlCharacters } from "@/lib/http/text.ts";
import type { Language } from "@/lib/i18n/languages.ts";
import { checkIn as checkInText } from "@/lib/i18n/text/check_in.ts";
import { translator } from "@/lib/i18n/translate.ts";
import {
  type CheckIn,
  getCheckIn,
  recordCheckIn,
} from "@/lib/store/check_ins.ts";
import { hashToken } from "@/lib/store/ids.ts";
import type { OpenVisit } from "./visit_access.ts";

export type { CheckIn };

/** The longest name a patient may confirm, as for the doctor's record. */
export const MAX_CONFIRMED_NAME = 100;

export interface Consent {
  /** Paragraphs, one per line. */
  text: string;
  /** SHA-256 of `text`, hex. */
  version: string;
  language: Language;
}

/** The consent a patient of this language reads: the clinic's, or the default. */
export async function consentFor(
  config: ClinicConfig,
  language: Language,
): Promise<Consent> {
  const text = config.consentText?.[language] ??
    checkInText[language].defaultConsent;
  return { text, version: await hashToken(text), language };
}

/** The check-in's fields, with messages in the patient's language. */
export function checkInFields(language: Language) {
  const t = translator(checkInText, language);
  return {
    name: z.string({ error: t("nameEmpty") })
      .refine((name) => !hasControlCharacters(name), {
        message: t("nameControl"),
        abort: true,
      })
      .trim().min(1, t("nameEmpty")).max(MAX_CONFIRMED_NAME, t("nameTooLong")),
    consentVersion: z.string({ error: t("consentChanged") }).regex(
      /^[0-9a-f]{64}$/,
      t("consentChanged"),
    ),
    consentMissing: t("consentMissing"),
  };
}

/** The check-in form: a ticked box sends `consent=yes`. */
export function checkInForm(language: Language) {
  const f = checkInFields(language);
  return z.object({
    name: f.name,
    consent: z.literal("yes", { error: f.consentMissing }),
    consentVersion: f.consentVersion,
  });
}

/** The API's body: `{ "name", "consent": true, "consentVersion" }`. */
export function checkInBody(language: Language) {
  const f = checkInFields(language);
  return z.strictObject({
    name: f.name,
    consent: z.literal(true, { error: f.consentMissing }),
    consentVersion: f.consentVersion,
  });
}

export interface CheckInInput {
  name: string;
  consentVersion: string;
}

/**
 * Checks the patient in for the visit the link opened, with the consent
 * they read; the first check-in stands (a second answers the first).
 */
export async function checkInVisit(
  clinic: Clinic,
  visit: OpenVisit,
  input: CheckInInput,
  now = Date.now(),
): Promise<CheckIn> {
  const consent = await consentFor(clinic.config, visit.language);
  if (input.consentVersion !== consent.version) {
    const message = translator(checkInText, visit.language)("consentChanged");
    throw new HttpError(409, "consent_changed", message, { consent: message });
  }
  const { checkIn } = await recordCheckIn(clinic.kv, {
    appointmentId: visit.appointment.id,
    patientId: visit.appointment.patientId,
    name: input.name,
    consentVersion: consent.version,
    language: consent.language,
    at: now,
  }, consent.text);
  return checkIn;
}

export function visitCheckIn(
  clinic: Clinic,
  appointmentId: string,
): Promise<CheckIn | null> {
  return getCheckIn(clinic.kv, appointmentId);
}

/** What the ticket API answers a patient who has not checked in. */
export function checkInNeeded(): HttpError {
  return new HttpError(
    409,
    "check_in_needed",
    "Check in first: confirm the name and accept the consent (POST /api/visits/:token/check-in).",
  );
}

/** The check-in as the doctor reads it and the API returns it. */
export function checkInJson(checkIn: CheckIn) {
  return {
    name: checkIn.name,
    at: new Date(checkIn.at).toISOString(),
    consentVersion: checkIn.consentVersion,
    language: checkIn.language,
  };
}
