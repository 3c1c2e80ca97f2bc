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

export function Field({ name, label, errors, hint, type = "text", idPrefix = "", ...input }: FieldProps) {
  const id = `${idPrefix}${name}`;
  const error = errors?.[name];
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        {...input}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
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
