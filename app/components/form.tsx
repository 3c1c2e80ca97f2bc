import { Form, useActionData } from "@remix-run/react";
import { type ReactNode, useEffect, useRef } from "react";
import type { FieldErrors } from "~/lib/errors";

// Labelled fields whose errors are announced and tied to the input (aria-describedby), so forms
// work the same with or without JavaScript and with screen readers.

type FieldProps = {
  name: string;
  /** Text, or text with a visually hidden part (a row's weekday) that screen readers still say. */
  label: ReactNode;
  errors?: FieldErrors;
  hint?: string;
  /** A "file" field is never filled in again by the browser: give it no defaultValue. */
  type?: "text" | "tel" | "password" | "number" | "date" | "time" | "datetime-local" | "file";
  /** A file field's accepted types, and whether it takes several files. */
  accept?: string;
  multiple?: boolean;
  defaultValue?: string;
  /** Bounds of a date or time field (YYYY-MM-DD, HH:MM), and its step in seconds. */
  min?: string;
  max?: string;
  step?: number;
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

type ControlAttributes = {
  id: string;
  name: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
};

/** The label, hint and error around one control (Field, TextAreaField, SelectField): `control`
 * renders it with the id, name and ARIA attributes that tie the three together. */
function LabelledControl({
  name,
  label,
  errors,
  hint,
  idPrefix = "",
  control,
}: {
  name: string;
  label: ReactNode;
  errors?: FieldErrors;
  hint?: string;
  idPrefix?: string;
  control: (attributes: ControlAttributes) => ReactNode;
}) {
  const id = `${idPrefix}${name}`;
  const error = errors?.[name];
  const attributes: ControlAttributes = {
    id,
    name,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy(id, hint, error),
  };
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <FieldHint id={id} hint={hint} />
      {control(attributes)}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export function Field({ name, label, errors, hint, type = "text", idPrefix, ...input }: FieldProps) {
  return (
    <LabelledControl
      {...{ name, label, errors, hint, idPrefix }}
      control={({ id, name, ...aria }) => <input id={id} name={name} type={type} {...aria} {...input} />}
    />
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

export function TextAreaField({ name, label, errors, hint, idPrefix, rows = 4, ...textarea }: TextAreaProps) {
  return (
    <LabelledControl
      {...{ name, label, errors, hint, idPrefix }}
      control={({ id, name, ...aria }) => (
        <textarea id={id} name={name} rows={rows} {...aria} {...textarea} />
      )}
    />
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

export function SelectField({ name, label, errors, children, idPrefix, ...select }: SelectProps) {
  return (
    <LabelledControl
      {...{ name, label, errors, idPrefix }}
      control={(attributes) => (
        <select {...attributes} {...select}>
          {children}
        </select>
      )}
    />
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

/** Moves the keyboard focus, and so the view, to the element once it shows something new: after a
 * submit the page stays where it was scrolled, and a message out of sight looks like nothing
 * happened. A new answer from the route's action (a second failed try with the same words) counts
 * as new too. The element needs tabIndex={-1}. */
export function useTakeFocus<E extends HTMLElement>(shown: string | null | undefined, enabled = true) {
  const ref = useRef<E>(null);
  const answer = useActionData();
  useEffect(() => {
    if (enabled && shown && answer !== false) ref.current?.focus();
  }, [shown, answer, enabled]);
  return ref;
}

/** The form-level message, announced when it appears and given the focus (see useTakeFocus; a page
 * that moves the focus itself, like the 签到台's code box, passes takeFocus={false}). With field
 * errors it is an error summary: each error a link to its field. */
export function FormMessage({
  message,
  tone = "error",
  errors,
  idPrefix = "",
  takeFocus = true,
}: {
  message?: string | null;
  tone?: "error" | "success";
  errors?: FieldErrors;
  idPrefix?: string;
  takeFocus?: boolean;
}) {
  const fields = Object.entries(errors ?? {});
  const shown = fields.length > 0 ? (message ?? fields.map(([, text]) => text).join("")) : message;
  const messageRef = useTakeFocus<HTMLParagraphElement>(shown, takeFocus && fields.length === 0);
  const summaryRef = useTakeFocus<HTMLDivElement>(shown, takeFocus && fields.length > 0);
  if (!shown) return null;
  if (fields.length === 0) {
    return (
      <p
        ref={messageRef}
        tabIndex={-1}
        className={`form-message form-message--${tone}`}
        role={tone === "error" ? "alert" : "status"}
      >
        {message}
      </p>
    );
  }
  return (
    <div
      ref={summaryRef}
      tabIndex={-1}
      className="form-message form-message--error error-summary"
      role="alert"
    >
      <p>
        <strong>{message ?? "提交没有成功"}</strong>，请修改以下 {fields.length} 处：
      </p>
      <ul>
        {fields.map(([name, text]) => (
          <li key={name}>
            <a href={`#${idPrefix}${name}`}>{text}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A form of one button that posts an intent and its hidden fields (重试, 全部重试): a plain POST, so it
 * works without JavaScript. */
export function IntentButton({
  intent,
  fields = {},
  primary = false,
  children,
}: {
  intent: string;
  fields?: Record<string, string>;
  primary?: boolean;
  children: ReactNode;
}) {
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={primary ? "button button--primary" : "button"}>
        {children}
      </button>
    </Form>
  );
}
