/**
 * The fields of a new doctor account (name, email, first password), as the
 * clinic's setup page and the administrator's "Add a doctor" form ask for
 * them; the words differ with whose account it is.
 *
 * @module
 */
import type { FieldErrors } from "@/lib/http/errors.ts";
import { Field } from "./form.tsx";

export function NewAccountFields(
  { values, errors, own }: {
    values?: Record<string, string>;
    errors?: FieldErrors;
    /** The person filling the form is the account's owner. */
    own: boolean;
  },
) {
  return (
    <>
      <Field
        name="name"
        label={own ? "Your name" : "Name"}
        value={values?.name}
        errors={errors}
        required
      />
      <Field
        name="email"
        label="Email"
        type="email"
        value={values?.email}
        errors={errors}
        autocomplete={own ? "username" : undefined}
        required
      />
      <Field
        name="password"
        label={own ? "Password" : "First password"}
        type="password"
        hint={own
          ? "At least 10 characters."
          : "At least 10 characters; give it to the doctor in person."}
        errors={errors}
        autocomplete="new-password"
        required
      />
    </>
  );
}
