/**
 * The language a patient chose on their own page. The visit link (or the
 * personal link) authorises this one change and nothing else; it is
 * audited with the patient as the actor, and later mail follows it.
 *
 * @module
 */
import { z } from "zod";
import type { Clinic } from "@/lib/config.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { parseOr400 } from "@/lib/http/input.ts";
import { type Language, LANGUAGES } from "@/lib/i18n/languages.ts";
import {
  type ActionLimit,
  countAction,
  retryAfter,
} from "@/lib/store/action_limits.ts";
import { updateAppointment } from "@/lib/store/appointments.ts";
import { type Patient, setPatientLanguage } from "@/lib/store/patients.ts";
import { ConflictError } from "@/lib/store/kv.ts";
import type { OpenVisit } from "./visit_access.ts";
import { windowEnd } from "./visit_window.ts";

/** The switch's form: one field, one of the languages. */
const languageForm = z.strictObject({
  language: z.enum(LANGUAGES, { error: "Choose one of the languages offered" }),
});

export function readLanguageChoice(form: Record<string, string>): Language {
  return parseOr400(languageForm, form).language;
}

const CHANGED =
  "This visit changed while you were choosing; open its link again.";

/**
 * Every change is a write and an audit entry that stays: a patient needs a
 * few, so whoever holds a link cannot grow the store without end. Choosing
 * the language already chosen changes nothing and is not counted.
 */
export const LANGUAGE_CHANGES: ActionLimit = {
  action: "language_change",
  limit: 10,
  windowMs: 24 * 3_600_000,
};

/** Counts one change of `subject`'s language in `op`, or refuses it. */
async function countChange(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  subject: string,
  now: number,
) {
  const wait = await countAction(kv, op, LANGUAGE_CHANGES, subject, now);
  if (wait !== null) {
    throw new HttpError(
      429,
      "too_many_changes",
      "The language was changed too often; please try again later.",
    ).withHeaders(retryAfter(wait));
  }
}

/** Records the visit's language; the visit must still be as it was opened. */
export async function setVisitLanguage(
  clinic: Clinic,
  visit: OpenVisit,
  language: Language,
): Promise<void> {
  const opened = visit.appointment;
  if (opened.language === language) return;
  try {
    const updated = await updateAppointment(
      clinic.kv,
      opened.id,
      (a) => {
        // A link replaced or a visit cancelled meanwhile authorises nothing.
        if (
          a.visitTokenHash !== opened.visitTokenHash || a.status !== "scheduled"
        ) {
          throw new HttpError(409, "conflict", CHANGED);
        }
        return { ...a, language };
      },
      {
        visitLinkEnds: windowEnd,
        alsoWrite: (op, _before, _after, now) =>
          countChange(clinic.kv, op, `visit:${opened.id}`, now),
        audit: {
          actor: { kind: "patient", id: opened.patientId },
          action: "appointment.language_changed",
          detail: language,
        },
      },
    );
    if (!updated) throw new HttpError(409, "conflict", CHANGED);
  } catch (error) {
    if (error instanceof ConflictError) {
      throw new HttpError(409, "conflict", error.message);
    }
    throw error;
  }
}

/**
 * Records the language of a patient's personal page; the link that opened
 * it (`opened`) must still be the patient's current one.
 */
export async function setPersonalPageLanguage(
  clinic: Clinic,
  opened: Pick<Patient, "id" | "linkTokenHash">,
  language: Language,
  now = Date.now(),
): Promise<void> {
  const changed = await setPatientLanguage(
    clinic.kv,
    opened,
    language,
    now,
    (op) => countChange(clinic.kv, op, `patient:${opened.id}`, now),
  );
  if (!changed) {
    throw new HttpError(
      409,
      "conflict",
      "This page changed while you were choosing; open its link again.",
    );
  }
}
