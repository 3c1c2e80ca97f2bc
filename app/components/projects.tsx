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

/** "2026-06-10" → "2026年6月10日": read at a glance, and never broken at a hyphen on a phone. */
const dayText = (day: string) =>
  `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
export const periodLabel = (project: Pick<ProjectView, "startsOn" | "endsOn">) =>
  `${dayText(project.startsOn)}至${dayText(project.endsOn)}`;

/** Share of the target, 0–100, for the bar (beyond the target the bar is simply full). */
const shareOf = (value: number, target: number) => Math.min(100, (value / (target || 1)) * 100);

/** The bar of one target: what is done, and a mark where a linear pace would be by now. An SVG
 * rather than a <meter> because the mark needs a position, and the page's CSP refuses inline
 * styles; SVG's own attributes carry it. The figures are in the text beside it and its label. */
function PaceBar(props: {
  label: string;
  actual: number;
  target: number;
  expected: number | null;
  onTrack: boolean;
}) {
  const done = shareOf(props.actual, props.target);
  const pace = props.expected === null ? null : shareOf(props.expected, props.target);
  return (
    <svg
      className="pace-bar"
      viewBox="0 0 100 12"
      preserveAspectRatio="none"
      role="img"
      aria-label={props.label}
    >
      <rect className="pace-bar__track" x="0" y="2" width="100" height="8" />
      <rect
        className={props.onTrack ? "pace-bar__done" : "pace-bar__done pace-bar__done--behind"}
        x="0"
        y="2"
        width={done}
        height="8"
      />
      {pace === null ? null : <line className="pace-bar__pace" x1={pace} x2={pace} y1="0" y2="12" />}
    </svg>
  );
}

/** One target in words: "开展活动：实际 2 / 目标 3 场，按进度应达 1". */
function targetLine(progress: ProjectProgress, key: TargetKey) {
  const expected = key === "averageRating" ? null : progress.expectedByNow[key];
  return {
    figures:
      `：实际 ${shown(progress.actual[key])} / 目标 ${progress.target[key] ?? 0} ${TARGET_UNITS[key]}` +
      (expected === null ? "" : `，按进度应达 ${expected}`),
    expected,
    onTrack: progress.onTrack[key] ?? true,
  };
}

const targetsSet = (progress: ProjectProgress) => TARGET_KEYS.filter((key) => progress.target[key] !== null);

const TrackStatus = ({ onTrack }: { onTrack: boolean }) => (
  <span className={onTrack ? "status-on-track" : "status-behind"}>{onTrack ? "进度正常" : "进度落后"}</span>
);

/** Each target set: actual against target and where the project should be by now, on track or not. */
export function ProgressList({ progress, labelledBy }: { progress: ProjectProgress; labelledBy: string }) {
  const targets = targetsSet(progress);
  if (targets.length === 0) return <p>本项目没有设定目标。</p>;
  return (
    <>
      <p>绿色是已完成的部分（落后时为红色），黑色竖线是按周期此时应达到的位置。</p>
      <ul className="progress-list" aria-labelledby={labelledBy}>
        {targets.map((key) => {
          const { figures, expected, onTrack } = targetLine(progress, key);
          return (
            <li key={key}>
              <p>
                <strong>{TARGET_LABELS[key]}</strong>
                {figures}
                {" · "}
                <TrackStatus onTrack={onTrack} />
              </p>
              <PaceBar
                label={`${TARGET_LABELS[key]}${figures}，${onTrack ? "进度正常" : "进度落后"}`}
                actual={progress.actual[key] ?? 0}
                target={progress.target[key] ?? 0}
                expected={expected}
                onTrack={onTrack}
              />
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** The same figures in a few lines, without bars: what an evaluator scores against. */
export function ProgressSummary({ progress }: { progress: ProjectProgress }) {
  const targets = targetsSet(progress);
  if (targets.length === 0) return <p>本项目没有设定目标。</p>;
  return (
    <ul className="progress-list">
      {targets.map((key) => {
        const { figures, onTrack } = targetLine(progress, key);
        return (
          <li key={key}>
            <strong>{TARGET_LABELS[key]}</strong>
            {`${figures} · `}
            <TrackStatus onTrack={onTrack} />
          </li>
        );
      })}
    </ul>
  );
}

/** Who buys from whom, for how much, when, and where the project stands. */
export function ProjectFacts({ project }: { project: ProjectView }) {
  return (
    <dl className="facts">
      <dt>购买方</dt>
      <dd>{project.purchaserName}</dd>
      <dt>承接机构</dt>
      <dd>
        <Link to={`/providers/${project.providerId}`}>{project.providerName}</Link>
      </dd>
      <dt>预算</dt>
      <dd>{yuanText(project.budgetFen)}</dd>
      <dt>周期</dt>
      <dd>{periodLabel(project)}</dd>
      <dt>状态</dt>
      <dd>{project.statusLabel}</dd>
    </dl>
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
      <p>{`${periodLabel(project)} · 预算 ${yuanText(project.budgetFen)} · ${project.statusLabel}`}</p>
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
        {(["startsOn", "endsOn"] as const).map((name) => (
          <Field
            key={name}
            name={name}
            type="date"
            label={name === "startsOn" ? "开始日期" : "结束日期"}
            hint="北京时间的日期，如 2027-01-01"
            defaultValue={value(name)}
            errors={errors}
            required
          />
        ))}
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
      {(mode === "create" ? withServices.length : services.length) > 0 ? (
        <ChoiceGroup
          name="serviceIds"
          legend={mode === "create" ? "项目购买的服务（可不选）" : "项目购买的服务"}
          hint={`${mode === "create" ? "只能选承接机构自己的“政府购买”类服务；" : ""}通过这些服务办结的需求计入项目`}
          errors={errors}
        >
          {mode === "create" ? (
            withServices.map((provider) => (
              <fieldset key={provider.id} className="choice-subgroup">
                <legend>{provider.name}</legend>
                <ServiceCheckboxes services={provider.services} value={value} errors={errors} />
              </fieldset>
            ))
          ) : (
            <ServiceCheckboxes services={services} value={value} errors={errors} />
          )}
        </ChoiceGroup>
      ) : null}
      <button type="submit" className="button button--primary button--block button--big">
        {mode === "create" ? "创建项目" : "保存修改"}
      </button>
    </Form>
  );
}
