import type { NeedStatus, Urgency } from "@prisma/client";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { URGENCY_LABELS } from "~/domain/catalog/categories";
import { NEED_STATUS_LABELS } from "~/domain/needs/needs.schema";
import type { FieldErrors } from "~/lib/errors";

// UI pieces of the needs pages (居民需求): badges, a textarea and radio group in the style of
// components/form.tsx, the need card and the pager of the lists.

const dateFormat = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "long",
  day: "numeric",
});
/** "2026年11月26日", in the residents' time zone whatever the server's is. */
export const formatDate = (iso: string) => dateFormat.format(new Date(iso));

export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  return <span className={`badge badge--urgency-${urgency.toLowerCase()}`}>{URGENCY_LABELS[urgency]}</span>;
}

export function StatusBadge({ status }: { status: NeedStatus }) {
  return <span className={`badge badge--status-${status.toLowerCase()}`}>{NEED_STATUS_LABELS[status]}</span>;
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
  ...rest
}: TextAreaProps) {
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
      <textarea
        id={id}
        name={name}
        rows={rows}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        {...rest}
      />
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Radio buttons with large labels, for choices an elderly user should see all at once. */
export function RadioGroup({
  name,
  legend,
  options,
  defaultValue,
  errors,
  idPrefix = "",
}: {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  defaultValue?: string;
  errors?: FieldErrors;
  idPrefix?: string;
}) {
  const id = `${idPrefix}${name}`;
  const error = errors?.[name];
  return (
    <fieldset
      className={error ? "field choice-group field--invalid" : "field choice-group"}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className="choice">
          <input
            type="radio"
            name={name}
            value={option.value}
            defaultChecked={option.value === defaultValue}
          />
          <span>{option.label}</span>
        </label>
      ))}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** One need in a list: what it is, where, how urgent, when; `children` adds what the viewer may see. */
export function NeedCard({
  need,
  children,
}: {
  need: {
    id: string;
    title: string;
    categoryName: string;
    communityName: string;
    urgency: Urgency;
    createdAt: string;
    status?: NeedStatus;
  };
  children?: ReactNode;
}) {
  return (
    <li className={need.urgency === "HIGH" ? "card need-card need-card--urgent" : "card need-card"}>
      <h3 className="need-card__title">
        <Link className="need-card__link" to={`/needs/${need.id}`}>
          {need.title}
        </Link>
      </h3>
      <p className="need-card__meta">
        {need.status ? <StatusBadge status={need.status} /> : null}
        <UrgencyBadge urgency={need.urgency} />
        <span className="badge">{need.categoryName}</span>
        <span>{need.communityName}</span> · <span>{formatDate(need.createdAt)}提交</span>
      </p>
      {children}
    </li>
  );
}

/** 上一页 / 下一页 links that keep the list's other query parameters. */
export function Pager({
  page,
  pageSize,
  total,
  search,
}: {
  page: number;
  pageSize: number;
  total: number;
  search: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const to = (target: number) => {
    const params = new URLSearchParams(search);
    params.set("page", String(target));
    return `?${params}`;
  };
  return (
    <nav className="pager" aria-label="翻页">
      {page > 1 ? (
        <Link className="button" to={to(page - 1)} rel="prev">
          上一页
        </Link>
      ) : null}
      <span>
        第 {page} / {pages} 页
      </span>
      {page < pages ? (
        <Link className="button" to={to(page + 1)} rel="next">
          下一页
        </Link>
      ) : null}
    </nav>
  );
}
