/**
 * Form pieces shared by the pages: every field has a label, its error sits
 * beside it (and is announced), and what the user typed is kept.
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import type { FieldErrors } from "@/lib/http/errors.ts";

export interface FieldProps {
  name: string;
  label: string;
  type?: string;
  value?: string;
  errors?: FieldErrors;
  /** The error key when it differs from the field name. */
  errorKey?: string;
  required?: boolean;
  hint?: string;
  autocomplete?: string;
  min?: string | number;
  max?: string | number;
  step?: string | number;
  /** The id of a `<datalist>` of suggestions. */
  list?: string;
}

export function Field(props: FieldProps) {
  const error = props.errors?.[props.errorKey ?? props.name];
  const id = `field-${props.name}`;
  const described = [
    props.hint ? `${id}-hint` : "",
    error ? `${id}-error` : "",
  ].filter(Boolean).join(" ");
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label for={id}>{props.label}</label>
      {props.hint && <small id={`${id}-hint`}>{props.hint}</small>}
      {props.type === "textarea"
        ? (
          <textarea
            id={id}
            name={props.name}
            required={props.required}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={described || undefined}
          >
            {props.value ?? ""}
          </textarea>
        )
        : (
          <input
            id={id}
            name={props.name}
            type={(props.type ?? "text") as "text"}
            value={props.value ?? ""}
            required={props.required}
            autocomplete={props.autocomplete}
            min={props.min}
            max={props.max}
            step={props.step}
            list={props.list}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={described || undefined}
          />
        )}
      {error && <p class="field-error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

export function FormErrorSummary({ errors }: { errors?: FieldErrors }) {
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <div class="alert alert-error" role="alert">
      {errors._ ?? "Please correct the fields marked below."}
    </div>
  );
}

export function Notice(
  { kind = "info", children }: {
    kind?: "info" | "success" | "error";
    children: ComponentChildren;
  },
) {
  return <div class={`alert alert-${kind}`} role="status">{children}</div>;
}
