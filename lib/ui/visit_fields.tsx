/**
 * When a visit is and what it is for (start, length, reason), as the
 * dashboard's "Schedule a visit" and a visit's "Change" forms ask for them;
 * the new visit's form also steps its length by five minutes.
 *
 * @module
 */
import type { FieldErrors } from "@/lib/http/errors.ts";
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
