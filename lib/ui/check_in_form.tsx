/**
 * The check-in form, the first step of the patient's call page: the name to
 * confirm (filled in with the visit's) and the clinic's consent to accept,
 * in the patient's language. A plain form: it works before any script.
 *
 * @module
 */
import type { Consent } from "@/lib/clinic/check_in.ts";
import type { FieldErrors } from "@/lib/http/errors.ts";
import { checkIn as checkInText } from "@/lib/i18n/text/check_in.ts";
import { translator } from "@/lib/i18n/translate.ts";
import { Field } from "./form.tsx";

export function CheckInForm(
  { consent, name, doctor, clinic, values, errors }: {
    consent: Consent;
    /** The name on the visit, until the patient typed another. */
    name: string;
    doctor: string;
    clinic: string;
    values?: Record<string, string>;
    errors?: FieldErrors;
  },
) {
  const t = translator(checkInText, consent.language);
  const consentError = errors?.consent;
  return (
    <section class="panel narrow check-in">
      <h1>{t("heading", { doctor })}</h1>
      <p>{t("intro", { clinic })}</p>
      {errors && Object.keys(errors).length > 0 && (
        <div class="alert alert-error" role="alert">
          <strong>{t("errorsTitle")}:</strong>
          <ul>
            {Object.entries(errors).map(([field, message]) => (
              <li key={field}>{message}</li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" novalidate class="check-in-form">
        <Field
          name="name"
          label={t("nameLabel")}
          hint={t("nameHint")}
          value={values?.name ?? name}
          errors={errors}
          autocomplete="name"
          required
        />
        <h2 id="consent-title">{t("consentHeading")}</h2>
        <div
          class="consent-text"
          role="region"
          aria-labelledby="consent-title"
          tabindex={0}
        >
          {consent.text.split("\n").map((paragraph, i) => (
            <p key={i}>{paragraph}</p>
          ))}
        </div>
        <div
          class={consentError
            ? "field checkbox field-invalid"
            : "field checkbox"}
        >
          <label>
            <input
              type="checkbox"
              name="consent"
              value="yes"
              required
              checked={values?.consent === "yes"}
              aria-invalid={consentError ? "true" : undefined}
              aria-describedby={consentError ? "consent-error" : undefined}
            />{" "}
            {t("consentLabel")}
          </label>
          {consentError && (
            <p class="field-error" id="consent-error">{consentError}</p>
          )}
        </div>
        <input type="hidden" name="consentVersion" value={consent.version} />
        <button type="submit" class="button big">{t("submit")}</button>
      </form>
    </section>
  );
}
