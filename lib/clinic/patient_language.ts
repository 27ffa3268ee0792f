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
import { updateAppointment } from "@/lib/store/appointments.ts";
import { setPatientLanguage } from "@/lib/store/patients.ts";
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

/** Records the visit's language; the visit must still be as it was opened. */
export async function setVisitLanguage(
  clinic: Clinic,
  visit: OpenVisit,
  language: Language,
): Promise<void> {
  const opened = visit.appointment;
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

/** Records the language of a patient's personal page. */
export async function setPersonalPageLanguage(
  clinic: Clinic,
  patientId: string,
  language: Language,
): Promise<void> {
  if (!await setPatientLanguage(clinic.kv, patientId, language)) {
    throw new HttpError(409, "conflict", "Please try again.");
  }
}
