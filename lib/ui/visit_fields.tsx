/**
 * When a visit is and what it is for (start, length, reason), as the
 * dashboard's "Schedule a visit" and a visit's "Change" forms ask for them;
 * the new visit's form also steps its length by five minutes.
 *
 * @module
 */
import type { FieldErrors } from "@/lib/http/errors.ts";
import {
  type Language,
  LANGUAGE_NAMES,
  LANGUAGES,
} from "@/lib/i18n/languages.ts";
import { Field } from "./form.tsx";

export function VisitFields(
  { timeZone, values, errors, initial, reasonLabel, lengthStep }: {
    timeZone: string;
    /** What was typed, when the form is shown again. */
    values?: Record<string, string>;
    errors?: FieldErrors;
    /** What the fields hold before anything is typed. */
    initial: { startsAt: string; durationMinutes: string; reason?: string };
    reasonLabel: string;
    lengthStep?: number;
  },
) {
  return (
    <>
      <Field
        name="startsAt"
        label={`Start (${timeZone})`}
        type="datetime-local"
        value={values?.startsAt ?? initial.startsAt}
        errors={errors}
        required
      />
      <Field
        name="durationMinutes"
        label="Length in minutes"
        type="number"
        min={5}
        max={240}
        step={lengthStep}
        value={values?.durationMinutes ?? initial.durationMinutes}
        errors={errors}
        required
      />
      <Field
        name="reason"
        label={reasonLabel}
        type="textarea"
        value={values?.reason ?? initial.reason}
        errors={errors}
      />
    </>
  );
}

/** Every zone the runtime knows, for the time zone field's suggestions. */
const ZONES = Intl.supportedValuesOf("timeZone");

/**
 * The patient's language and time zone for a new visit: its pages, call,
 * mail and times are in them. Both start as the clinic's.
 */
export function PatientLocaleFields(
  { values, errors, language, timeZone }: {
    values?: Record<string, string>;
    errors?: FieldErrors;
    /** The clinic's, chosen until the doctor picks another. */
    language: Language;
    timeZone: string;
  },
) {
  const chosen = values?.patientLanguage ?? language;
  const error = errors?.patientLanguage;
  return (
    <>
      <div class={error ? "field field-invalid" : "field"}>
        <label for="field-patientLanguage">Patient's language</label>
        <select
          id="field-patientLanguage"
          name="patientLanguage"
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? "field-patientLanguage-error" : undefined}
        >
          {LANGUAGES.map((l) => (
            <option key={l} value={l} selected={l === chosen}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
        {error && (
          <p class="field-error" id="field-patientLanguage-error">{error}</p>
        )}
      </div>
      <Field
        name="patientTimeZone"
        label="Patient's time zone"
        hint="Times in the patient's pages and messages are given in this zone."
        value={values?.patientTimeZone ?? timeZone}
        errors={errors}
        list="time-zones"
        autocomplete="off"
      />
      <datalist id="time-zones">
        {ZONES.map((zone) => <option key={zone} value={zone} />)}
      </datalist>
    </>
  );
}
