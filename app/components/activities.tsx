import type { ActivityStatus } from "@prisma/client";
import type { LinksFunction } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Field, FormMessage, SelectField, TextAreaField } from "~/components/form";
import { CategoryOptions, GroupedCommunityOptions } from "~/components/options";
import { ACTIVITY_STATUS_LABELS, type ActivityCounts } from "~/domain/activities/activities.schema";
import type { FieldErrors } from "~/lib/errors";
import { formatClock, formatTimeRange } from "~/lib/format";
import activityStylesHref from "~/styles/activities.css";

// UI pieces of the 社区活动 pages: time ranges in China time, the status badge, the seats line, the
// check-in code with its QR code, and the one form for creating and editing an activity.

/** The activities pages' own styles (calendar grid, check-in code, desk). */
export const activityLinks: LinksFunction = () => [{ rel: "stylesheet", href: activityStylesHref }];

// Kept in lib/format so the domain's texts (a need's story, notifications) say times the same way.
export { formatClock, formatTimeRange };

export function ActivityStatusBadge({ status }: { status: ActivityStatus }) {
  return (
    <span className={`badge badge--activity-${status.toLowerCase()}`}>{ACTIVITY_STATUS_LABELS[status]}</span>
  );
}

/** 剩余 N 个名额 / 已满·可候补, only while people can still register. */
export function SeatsLine({ status, seatsLeft }: { status: ActivityStatus; seatsLeft: number }) {
  if (status !== "PUBLISHED" && status !== "ONGOING") return null;
  return seatsLeft > 0 ? (
    <span className="seats">{`剩余 ${seatsLeft} 个名额`}</span>
  ) : (
    <span className="seats seats--full">已满·可候补</span>
  );
}

/** An activity with its time as the cards show it: for loaders, so the server's and the browser's
 * rendering agree. */
export const withTimeText = <A extends { startsAt: string; endsAt: string }>(activity: A) => ({
  ...activity,
  timeText: formatTimeRange(activity.startsAt, activity.endsAt),
});

/** One activity in a list: what, when, where, how many seats; `children` adds the viewer's links. */
export function ActivityCard({
  activity,
  children,
}: {
  activity: {
    id: string;
    title: string;
    categoryName: string;
    communityName: string;
    venue: string;
    /** When it takes place, formatted by the loader (withTimeText). */
    timeText: string;
    status: ActivityStatus;
    seatsLeft: number;
  };
  children?: ReactNode;
}) {
  const cancelled = activity.status === "CANCELLED";
  return (
    <li>
      <article
        className={cancelled ? "card activity-card activity-card--cancelled" : "card activity-card"}
        aria-labelledby={`a-${activity.id}`}
      >
        <h3 id={`a-${activity.id}`}>
          <Link className="activity-card__link" to={`/activities/${activity.id}`}>
            {activity.title}
          </Link>
        </h3>
        <p>
          <ActivityStatusBadge status={activity.status} />
          <span className="badge">{activity.categoryName}</span>
          <SeatsLine status={activity.status} seatsLeft={activity.seatsLeft} />
        </p>
        <p className="activity-card__time">{activity.timeText}</p>
        <p>{`地点：${activity.venue}`}</p>
        <p>{`社区：${activity.communityName}`}</p>
        {children}
      </article>
    </li>
  );
}

/** The figures of an activity as big numbers with their names, in the order the page reads them. */
export function CountsList({
  counts,
  order,
  label,
}: {
  counts: ActivityCounts;
  order: readonly [keyof ActivityCounts, string][];
  label?: string;
}) {
  return (
    <ul className="activity-counts" aria-label={label}>
      {order.map(([key, name]) => (
        <li key={key}>
          <span className="activity-counts__value">{counts[key]}</span>
          {name}
        </li>
      ))}
    </ul>
  );
}

/** The six-digit code, large, and its QR code for the organiser's phone camera. */
export function CheckInCode({ code, qrSvg }: { code: string; qrSvg: string | null }) {
  return (
    <div className="check-in-code">
      <p className="check-in-code__label">签到码</p>
      <p className="check-in-code__digits">{code}</p>
      {qrSvg ? (
        <div
          className="check-in-code__qr"
          role="img"
          aria-label="签到二维码"
          // The SVG is made on the server by the qrcode library from the desk link (our origin, the
          // activity id and six digits): trusted output with no user text in it, so it is inlined
          // as it is, and shows without JavaScript or an extra request.
          // biome-ignore lint/security/noDangerouslySetInnerHtml: trusted server-made SVG, see above
          dangerouslySetInnerHTML={{ __html: qrSvg }}
        />
      ) : null}
      <p className="check-in-code__hint">到场时把签到码或二维码给工作人员看。</p>
    </div>
  );
}

export type ActivityFormDefaults = {
  title: string;
  description: string;
  category: string;
  communityId: string;
  organiserProviderId: string;
  venue: string;
  startsAt: string;
  endsAt: string;
  capacity: string;
  projectId: string;
};

export const EMPTY_ACTIVITY_FORM: ActivityFormDefaults = {
  title: "",
  description: "",
  category: "",
  communityId: "",
  organiserProviderId: "",
  venue: "",
  startsAt: "",
  endsAt: "",
  capacity: "",
  projectId: "",
};

type Choices = {
  groups: { id: string; name: string; communities: { id: string; name: string }[] }[];
  /** Staff may organise without a provider; a provider's people organise for one. */
  asStaff: boolean;
  providers: { id: string; name: string }[];
  /** The running government-purchased projects the actor may link the activity to (ADR 0026). */
  projects: { id: string; label: string }[];
};

/** 新建活动 and 修改活动. On create the community, the organiser and 立即发布 are asked; an edit
 * keeps them. `hidden` carries what an accepted match brings (service, need, providers). */
export function ActivityForm({
  mode,
  defaults,
  failure,
  choices,
  hidden = {},
  communityName,
  projects = choices?.projects ?? [],
}: {
  mode: "create" | "edit";
  defaults: ActivityFormDefaults;
  failure?: { formError: string; fieldErrors: FieldErrors; values: Record<string, string> };
  choices?: Choices;
  hidden?: Record<string, string>;
  communityName?: string;
  /** The 项目 select's choices (create: from `choices`); none, no select. */
  projects?: { id: string; label: string }[];
}) {
  const errors = failure?.fieldErrors;
  const typed = failure?.values;
  const value = (name: keyof ActivityFormDefaults) => typed?.[name] ?? defaults[name];
  // Unticking 立即发布 sends nothing: after a failed post, its absence means "not ticked".
  const publishChecked = typed ? typed.publish === "on" : true;
  return (
    <Form method="post" noValidate className="activity-form">
      <FormMessage message={failure?.formError} />
      {Object.entries(hidden).map(([name, content]) => (
        <input key={name} type="hidden" name={name} value={content} />
      ))}
      <Field
        name="title"
        label="活动名称"
        hint="如：重阳节敬老茶话会"
        maxLength={60}
        defaultValue={value("title")}
        errors={errors}
        required
      />
      <TextAreaField
        name="description"
        label="活动介绍"
        hint="写清活动内容、适合谁参加、要带什么，至少10个字"
        maxLength={2000}
        rows={5}
        defaultValue={value("description")}
        errors={errors}
        required
      />
      <SelectField name="category" label="活动类别" defaultValue={value("category")} errors={errors}>
        <option value="">{mode === "create" ? "按服务或需求的类别（默认“其他”）" : "不修改"}</option>
        <CategoryOptions />
      </SelectField>
      {mode === "create" && choices ? (
        <>
          {choices.providers.length > 0 ? (
            <SelectField
              name="organiserProviderId"
              label="组织机构"
              defaultValue={value("organiserProviderId")}
              errors={errors}
            >
              {choices.asStaff ? <option value="">社区组织（不代表机构）</option> : null}
              {choices.providers.map((provider) => (
                <option key={provider.id} value={provider.id}>
                  {provider.name}
                </option>
              ))}
            </SelectField>
          ) : null}
          <SelectField
            name="communityId"
            label="活动所在社区"
            defaultValue={value("communityId")}
            errors={errors}
            required
          >
            <option value="">请选择社区</option>
            <GroupedCommunityOptions groups={choices.groups} />
          </SelectField>
        </>
      ) : (
        <p className="field">
          活动所在社区：<strong>{communityName}</strong>
        </p>
      )}
      <Field
        name="venue"
        label="活动地点"
        hint="如：映月社区党群服务中心二楼"
        maxLength={100}
        defaultValue={value("venue")}
        errors={errors}
        required
      />
      {(["startsAt", "endsAt"] as const).map((name) => (
        <Field
          key={name}
          name={name}
          type="datetime-local"
          label={name === "startsAt" ? "开始时间" : "结束时间"}
          hint="北京时间，如 2026-12-01 09:30"
          defaultValue={value(name)}
          errors={errors}
          required
        />
      ))}
      <Field
        name="capacity"
        label="名额（人）"
        hint="报满后，再报名的人进入候补"
        inputMode="numeric"
        maxLength={6}
        defaultValue={value("capacity")}
        errors={errors}
        required
      />
      {projects.length > 0 ? (
        <SelectField
          name="projectId"
          label="计入政府购买服务项目"
          defaultValue={value("projectId")}
          errors={errors}
        >
          <option value="">不计入项目</option>
          {projects.map((project) => (
            <option key={project.id} value={project.id}>
              {project.label}
            </option>
          ))}
        </SelectField>
      ) : null}
      {mode === "create" ? (
        <div className="field choice-group">
          <label className="choice">
            <input type="checkbox" name="publish" value="on" defaultChecked={publishChecked} />
            <span>立即发布（不勾选则存为草稿，居民看不到）</span>
          </label>
        </div>
      ) : null}
      <button type="submit" className="button button--primary button--block button--big">
        {mode === "create" ? "提交" : "保存修改"}
      </button>
    </Form>
  );
}
