import type { ReactNode } from "react";
import type { FieldErrors } from "~/lib/errors";

// Labelled fields whose errors are announced and tied to the input (aria-describedby), so forms
// work the same with or without JavaScript and with screen readers.

type FieldProps = {
  name: string;
  label: string;
  errors?: FieldErrors;
  hint?: string;
  type?: "text" | "tel" | "password" | "number";
  defaultValue?: string;
  autoComplete?: string;
  inputMode?: "numeric" | "tel" | "text";
  required?: boolean;
  maxLength?: number;
  idPrefix?: string;
};

/** The ids of a field's hint and error, for aria-describedby. */
function describedBy(id: string, hint: string | undefined, error: string | undefined) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

function FieldHint({ id, hint }: { id: string; hint?: string }) {
  if (!hint) return null;
  return (
    <p className="field__hint" id={`${id}-hint`}>
      {hint}
    </p>
  );
}

export function Field({ name, label, errors, hint, type = "text", idPrefix = "", ...input }: FieldProps) {
  const id = `${idPrefix}${name}`;
  const error = errors?.[name];
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <FieldHint id={id} hint={hint} />
      <input
        id={id}
        name={name}
        type={type}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

type TextAreaProps = {
  name: string;
  label: string;
  errors?: FieldErrors;
  hint?: string;
  defaultValue?: string;
  maxLength?: number;
  rows?: number;
  required?: boolean;
  idPrefix?: string;
};

export function TextAreaField({
  name,
  label,
  errors,
  hint,
  idPrefix = "",
  rows = 4,
  ...textarea
}: TextAreaProps) {
  const id = `${idPrefix}${name}`;
  const error = errors?.[name];
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <FieldHint id={id} hint={hint} />
      <textarea
        id={id}
        name={name}
        rows={rows}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...textarea}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

type ChoiceGroupProps = {
  name: string;
  legend: string;
  hint?: string;
  errors?: FieldErrors;
  idPrefix?: string;
  children: ReactNode;
};

/** Checkboxes or radios under one legend, with the group's error announced beside it. */
export function ChoiceGroup({ name, legend, hint, errors, idPrefix = "", children }: ChoiceGroupProps) {
  const id = `${idPrefix}${name}`;
  const error = errors?.[name];
  return (
    <fieldset
      id={id}
      className={error ? "field choice-group field--invalid" : "field choice-group"}
      aria-describedby={describedBy(id, hint, error)}
    >
      <legend>{legend}</legend>
      <FieldHint id={id} hint={hint} />
      {children}
      <FieldError id={`${id}-error`} message={error} />
    </fieldset>
  );
}

/** Radio buttons with large labels, for choices an elderly user should see all at once. */
export function RadioGroup({
  options,
  defaultValue,
  ...group
}: Omit<ChoiceGroupProps, "children"> & {
  options: { value: string; label: string }[];
  defaultValue?: string;
}) {
  return (
    <ChoiceGroup {...group}>
      {options.map((option) => (
        <label key={option.value} className="choice">
          <input
            type="radio"
            name={group.name}
            value={option.value}
            defaultChecked={option.value === defaultValue}
          />
          <span>{option.label}</span>
        </label>
      ))}
    </ChoiceGroup>
  );
}

type SelectProps = {
  name: string;
  label: string;
  errors?: FieldErrors;
  defaultValue?: string;
  required?: boolean;
  children: ReactNode;
  idPrefix?: string;
};

export function SelectField({ name, label, errors, children, idPrefix = "", ...select }: SelectProps) {
  const id = `${idPrefix}${name}`;
  const error = errors?.[name];
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...select}
      >
        {children}
      </select>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p className="field__error" id={id}>
      {message}
    </p>
  );
}

/** The form-level message, announced when it appears. */
export function FormMessage({
  message,
  tone = "error",
}: {
  message?: string | null;
  tone?: "error" | "success";
}) {
  if (!message) return null;
  return (
    <p className={`form-message form-message--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {message}
    </p>
  );
}
