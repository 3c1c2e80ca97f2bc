import type { LinksFunction } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { ChoiceGroup, Field, FormMessage, SelectField, TextAreaField } from "~/components/form";
import { SERVICES_LISTED, serviceCheckboxName, targetFieldName } from "~/domain/projects/project-form";
import {
  type EvaluationView,
  type ProjectProgress,
  type ProjectView,
  TARGET_KEYS,
  TARGET_LABELS,
  TARGET_UNITS,
  type TargetKey,
} from "~/domain/projects/projects.schema";
import type { FieldErrors } from "~/lib/errors";
import projectStylesHref from "~/styles/projects.css";

// UI pieces of the 政府购买服务 pages (ADR 0026): the one form for creating and editing a project,
// the progress bars per target, and the evaluations as the project page and the report show them.

export const projectLinks: LinksFunction = () => [{ rel: "stylesheet", href: projectStylesHref }];

export const yuanText = (fen: number) =>
  `${(fen / 100).toLocaleString("zh-CN", { maximumFractionDigits: 2 })} 元`;
const shown = (value: number | null) => (value === null ? "—" : String(value));

/** Each target set: actual against target and where the project should be by now, on track or not. */
export function ProgressList({ progress, labelledBy }: { progress: ProjectProgress; labelledBy: string }) {
  const targets = TARGET_KEYS.filter((key) => progress.target[key] !== null);
  if (targets.length === 0) return <p>本项目没有设定目标。</p>;
  return (
    <ul className="progress-list" aria-labelledby={labelledBy}>
      {targets.map((key) => {
        const target = progress.target[key] ?? 0;
        const actual = progress.actual[key];
        const onTrack = progress.onTrack[key];
        return (
          <li key={key}>
            <p>
              <strong>{TARGET_LABELS[key]}</strong>
              {`：实际 ${shown(actual)} / 目标 ${target} ${TARGET_UNITS[key]}`}
              {key === "averageRating" ? "" : `，按进度应达 ${shown(progress.expectedByNow[key])}`}
              {" · "}
              <span className={onTrack ? "status-on-track" : "status-behind"}>
                {onTrack ? "进度正常" : "进度落后"}
              </span>
            </p>
            <meter
              min={0}
              max={target || 1}
              value={Math.min(actual ?? 0, target || 1)}
              aria-label={`${TARGET_LABELS[key]}完成情况`}
            />
          </li>
        );
      })}
    </ul>
  );
}

/** One project in a list (政府购买服务, a provider's dashboard): who buys from whom, when, for how
 * much, and whether a running project keeps pace. */
export function ProjectCard({
  item: { project, progress },
  headingLevel = 2,
}: {
  item: { project: ProjectView; progress: ProjectProgress };
  headingLevel?: 2 | 3;
}) {
  const behind = Object.values(progress.onTrack).some((ok) => !ok);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <li className="card">
      <Heading>
        <Link to={`/projects/${project.id}`}>{project.title}</Link>
      </Heading>
      <p>{`${project.purchaserName} 购买 · ${project.providerName} 承接`}</p>
      <p>{`${project.startsOn} 至 ${project.endsOn} · 预算 ${yuanText(project.budgetFen)} · ${project.statusLabel}`}</p>
      {project.status === "ACTIVE" && Object.keys(progress.onTrack).length > 0 ? (
        <p className={behind ? "status-behind" : "status-on-track"}>{behind ? "进度落后" : "进度正常"}</p>
      ) : null}
    </li>
  );
}

export function EvaluationList({ evaluations }: { evaluations: EvaluationView[] }) {
  if (evaluations.length === 0) return <p>尚未评估。</p>;
  return (
    <>
      {evaluations.map((evaluation) => (
        <section key={evaluation.id} aria-label={evaluation.stageLabel}>
          <h3>{`${evaluation.stageLabel}：${evaluation.total} / ${evaluation.totalMax} 分`}</h3>
          <ul>
            {evaluation.scores.map((s) => (
              <li key={s.indicator}>{`${s.indicator}：${s.score} / ${s.max}`}</li>
            ))}
          </ul>
          <p>{evaluation.comment}</p>
        </section>
      ))}
    </>
  );
}

type Failure = { formError: string; fieldErrors: FieldErrors; values: Record<string, string> };
type ServiceChoice = { id: string; title: string };

const TARGET_HINTS: Record<TargetKey, string> = {
  activitiesHeld: "整数，不设可留空",
  personTimes: "签到加现场加入的人次，不设可留空",
  uniquePersons: "到场签到的居民，每人只算一次，不设可留空",
  needsFulfilled: "通过本项目服务办结的需求，不设可留空",
  averageRating: "1到5分，最多两位小数，如 4.5，不设可留空",
};

function ServiceCheckboxes({
  services,
  value,
  errors,
}: {
  services: ServiceChoice[];
  value: (name: string) => string;
  errors?: FieldErrors;
}) {
  return (
    <>
      {services.map((service) => (
        <label key={service.id} className="choice">
          <input
            type="checkbox"
            name={serviceCheckboxName(service.id)}
            value="on"
            defaultChecked={value(serviceCheckboxName(service.id)) === "on"}
            aria-invalid={errors?.serviceIds ? true : undefined}
          />
          <span>{service.title}</span>
        </label>
      ))}
    </>
  );
}

/** 新建项目 and 编辑项目. A new project picks its purchaser and provider (and the provider's
 * government-purchased services, listed under each provider: without JavaScript the form cannot
 * narrow them to the chosen one, and the server refuses another provider's); an edit keeps both. */
export function ProjectForm({
  mode,
  defaults,
  failure,
  purchasers = [],
  providers = [],
  services = [],
}: {
  mode: "create" | "edit";
  defaults: Record<string, string>;
  failure?: Failure;
  purchasers?: { id: string; name: string; depth: number }[];
  providers?: { id: string; name: string; services: ServiceChoice[] }[];
  services?: ServiceChoice[];
}) {
  const errors = failure?.fieldErrors;
  const typed = failure?.values;
  // After a failed post the form shows what was sent (an unticked box sends nothing).
  const value = (name: string) => (typed ? (typed[name] ?? "") : (defaults[name] ?? ""));
  const withServices = providers.filter((provider) => provider.services.length > 0);
  return (
    <Form method="post" noValidate className="project-form">
      <FormMessage message={failure?.formError} errors={errors} />
      <input type="hidden" name={SERVICES_LISTED} value="1" />
      <Field
        name="title"
        label="项目名称"
        hint="4到80个字，如：东湖街道居家养老服务项目"
        maxLength={80}
        defaultValue={value("title")}
        errors={errors}
        required
      />
      {mode === "create" ? (
        <>
          <SelectField
            name="purchaserId"
            label="购买方"
            defaultValue={value("purchaserId")}
            errors={errors}
            required
          >
            <option value="">请选择购买方</option>
            {purchasers.map((purchaser) => (
              <option key={purchaser.id} value={purchaser.id}>
                {`${"　".repeat(purchaser.depth)}${purchaser.name}`}
              </option>
            ))}
          </SelectField>
          <SelectField
            name="providerId"
            label="承接机构"
            defaultValue={value("providerId")}
            errors={errors}
            required
          >
            <option value="">请选择已入驻的社会组织</option>
            {providers.map((provider) => (
              <option key={provider.id} value={provider.id}>
                {provider.name}
              </option>
            ))}
          </SelectField>
        </>
      ) : null}
      <TextAreaField
        name="description"
        label="项目简介"
        hint="服务对象、内容和方式，至少10个字"
        maxLength={4000}
        rows={5}
        defaultValue={value("description")}
        errors={errors}
        required
      />
      <Field
        name="budgetYuan"
        label="项目预算（元）"
        hint="精确到分，如 200000 或 185000.50"
        inputMode="text"
        maxLength={20}
        defaultValue={value("budgetYuan")}
        errors={errors}
        required
      />
      <div className="field-pair">
        <DayField name="startsOn" label="开始日期" value={value("startsOn")} errors={errors} />
        <DayField name="endsOn" label="结束日期" value={value("endsOn")} errors={errors} />
      </div>
      <fieldset className="field choice-group">
        <legend>项目目标（可只设其中几项）</legend>
        {TARGET_KEYS.map((key) => (
          <Field
            key={key}
            name={targetFieldName(key)}
            label={`${TARGET_LABELS[key]}（${TARGET_UNITS[key]}）`}
            hint={TARGET_HINTS[key]}
            inputMode={key === "averageRating" ? "text" : "numeric"}
            maxLength={8}
            defaultValue={value(targetFieldName(key))}
            errors={errors}
          />
        ))}
      </fieldset>
      {mode === "create" && withServices.length > 0 ? (
        <ChoiceGroup
          name="serviceIds"
          legend="项目购买的服务（可不选）"
          hint="只能选承接机构自己的“政府购买”类服务；通过这些服务办结的需求计入项目"
          errors={errors}
        >
          {withServices.map((provider) => (
            <fieldset key={provider.id} className="choice-subgroup">
              <legend>{provider.name}</legend>
              <ServiceCheckboxes services={provider.services} value={value} errors={errors} />
            </fieldset>
          ))}
        </ChoiceGroup>
      ) : null}
      {mode === "edit" && services.length > 0 ? (
        <ChoiceGroup
          name="serviceIds"
          legend="项目购买的服务"
          hint="通过这些服务办结的需求计入项目"
          errors={errors}
        >
          <ServiceCheckboxes services={services} value={value} errors={errors} />
        </ChoiceGroup>
      ) : null}
      <button type="submit" className="button button--primary button--block button--big">
        {mode === "create" ? "创建项目" : "保存修改"}
      </button>
    </Form>
  );
}

function DayField({
  name,
  label,
  value,
  errors,
}: {
  name: string;
  label: string;
  value: string;
  errors?: FieldErrors;
}) {
  const error = errors?.[name];
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={name}>{label}</label>
      <p className="field__hint" id={`${name}-hint`}>
        北京时间的日期，如 2027-01-01
      </p>
      <input
        id={name}
        name={name}
        type="date"
        defaultValue={value}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${name}-hint ${name}-error` : `${name}-hint`}
      />
      {error ? (
        <p className="field__error" id={`${name}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
