import { Form, Link } from "@remix-run/react";
import { CheckInCode, CountsList } from "~/components/activities";
import { Field, TextAreaField } from "~/components/form";
import {
  type ActivityCounts,
  type ActivityView,
  EDITABLE,
  MAX_WALK_INS,
  WALK_INS_PER_SEAT,
  walkInsCeiling,
} from "~/domain/activities/activities.schema";
import type { Registrant } from "~/domain/activities/registrants.server";
import type { FieldErrors } from "~/lib/errors";

// The sections of an activity's page (routes/activities.$id._index.tsx): the resident's registration
// and 报名, the facts, the working figures and corrections, and the forms of those who run it. Each
// form gets back what was typed into it when it was the one sent and failed.

/** A form of this page that was sent and failed: what was typed, and what was wrong. */
export type SentForm = { values: Record<string, string>; fieldErrors: FieldErrors };

type Registration = NonNullable<ActivityView["myRegistration"]>;

/** 我的报名: the place (or the waitlist's), the check-in code, and 取消报名 while it can be used. */
export function MyRegistration({
  registration,
  open,
  checkedInText,
  qrSvg,
}: {
  registration: Registration;
  /** Whether registration is open (a place can still be given back). */
  open: boolean;
  /** When the resident checked in, formatted by the loader. */
  checkedInText: string | null;
  qrSvg: string | null;
}) {
  return (
    <section className="card" aria-labelledby="mine-title">
      <h2 id="mine-title">我的报名</h2>
      <p>
        <span className="badge">{registration.statusLabel}</span>
        {registration.status === "WAITLISTED"
          ? `候补第 ${registration.waitlistPosition ?? 1} 位，有人退出时会自动为您补上并通知您。`
          : null}
        {checkedInText ? `已于 ${checkedInText} 签到。` : null}
      </p>
      {registration.checkInCode && !registration.checkedInAt ? (
        <CheckInCode code={registration.checkInCode} qrSvg={qrSvg} />
      ) : null}
      {open && !registration.checkedInAt ? (
        <details>
          <summary>取消报名</summary>
          <p>取消后名额会让给候补的居民。</p>
          <Form method="post">
            <input type="hidden" name="intent" value="cancelRegistration" />
            <button type="submit" className="button button--danger">
              确认取消报名
            </button>
          </Form>
        </details>
      ) : null}
    </section>
  );
}

/** 报名 (or 加入候补 when the seats are taken). */
export function RegisterForm({ seatsLeft }: { seatsLeft: number }) {
  return (
    <Form method="post" className="card" aria-labelledby="register-title">
      <h2 id="register-title">{seatsLeft > 0 ? "报名参加" : "名额已满"}</h2>
      {/* The button before its explanation: on a phone in 适老化 mode the two lines of text put
          报名 below the first screen (issue #15, item 4). */}
      <input type="hidden" name="intent" value="register" />
      <button type="submit" className="button button--primary button--big button--block">
        {seatsLeft > 0 ? "报名" : "加入候补"}
      </button>
      <p>
        {seatsLeft > 0
          ? "报名后会得到一个签到码，到场时出示即可。"
          : "可以先加入候补，有人退出时按顺序补上，并会通知您。"}
      </p>
    </Form>
  );
}

/** 活动信息: what, when, where, with whom, the seats, and the calendar file. */
export function ActivityFacts({
  activity,
  timeText,
  open,
}: {
  activity: ActivityView;
  /** The time range, formatted by the loader. */
  timeText: string;
  open: boolean;
}) {
  return (
    <section className="card" aria-labelledby="facts-title">
      <h2 id="facts-title">活动信息</h2>
      <p className="service-detail__description">{activity.description}</p>
      <dl className="facts">
        <dt>时间</dt>
        <dd>{timeText}</dd>
        <dt>地点</dt>
        <dd>{activity.venue}</dd>
        <dt>社区</dt>
        <dd>{activity.communityName}</dd>
        {activity.providers.length > 0 ? (
          <>
            <dt>参与机构</dt>
            <dd>
              <ul className="plain-list">
                {activity.providers.map((provider) => (
                  <li key={provider.id}>
                    <Link to={`/providers/${provider.id}`}>{provider.name}</Link>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>名额</dt>
        <dd>
          {`共 ${activity.capacity} 个`}
          {open ? (activity.seatsLeft > 0 ? `，还剩 ${activity.seatsLeft} 个` : "，已报满，可以候补") : null}
        </dd>
        <dt>状态</dt>
        <dd>{activity.statusLabel}</dd>
      </dl>
      <p className="actions">
        {/* A file download, not a page: a plain link. */}
        <a className="button" href={`/activities/${activity.id}.ics`} download="activity.ics">
          加入日历
        </a>
      </p>
    </section>
  );
}

/** 参与情况: the working figures (for those who run the activity) and the corrections (for all). */
export function ActivityAttendance({
  counts,
  corrections,
  correctionTimes,
}: {
  counts: ActivityCounts | null;
  corrections: ActivityView["corrections"];
  /** When each correction was made, formatted by the loader. */
  correctionTimes: Record<string, string>;
}) {
  return (
    <section className="card" aria-labelledby="counts-title">
      <h2 id="counts-title">参与情况</h2>
      {counts ? (
        <CountsList
          counts={counts}
          order={[
            ["registered", "已报名"],
            ["waitlisted", "候补"],
            ["checkedIn", "签到"],
            ["walkIns", "现场"],
            ["personTimes", "受众人次"],
          ]}
        />
      ) : null}
      {corrections.length > 0 ? (
        <div className="activity-notice" role="note">
          <p>
            <span className="badge">已更正</span> 活动结束后，管理员更正过受众人数：
          </p>
          <ul className="plain-list">
            {corrections.map((correction) => (
              <li key={correction.id}>
                {`${correctionTimes[correction.id] ?? ""}：现场人数 ${correction.walkInsFrom} → ${correction.walkInsTo}`}
                {correction.checkInsAdded > 0 ? `，补签 ${correction.checkInsAdded} 人` : ""}
                {`。原因：${correction.reason}`}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

/** 更正受众人数, for an admin above the organiser once the desk has closed (ADR 0018). */
export function AttendanceCorrectionForm({
  capacity,
  walkIns,
  sent,
}: {
  capacity: number;
  /** The walk-ins counted so far, the form's starting value. */
  walkIns: number;
  sent: SentForm | undefined;
}) {
  const errors = sent?.fieldErrors;
  return (
    <details className="card" open={Boolean(errors)}>
      <summary>更正受众人数（管理员）</summary>
      <p>
        {`活动结束24小时后，签到台不再接受签到和现场人数。确需更正的，在这里填写更正后的现场人数或补签的签到码，并写明原因；更正会记录在案，并在活动页上显示为“已更正”。现场人数最多为名额的${WALK_INS_PER_SEAT}倍（本场最多${walkInsCeiling(capacity)}人）。`}
      </p>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="correctAttendance" />
        <Field
          name="walkIns"
          idPrefix="correct-"
          label="更正后的现场人数"
          type="text"
          inputMode="numeric"
          maxLength={String(MAX_WALK_INS).length}
          defaultValue={sent ? sent.values.walkIns : String(walkIns)}
          errors={errors}
        />
        <TextAreaField
          name="checkInCodes"
          idPrefix="correct-"
          label="补签的签到码（选填）"
          hint="到场但没在签到台签到的居民，填其6位签到码，多个用空格分开"
          rows={2}
          maxLength={1400}
          defaultValue={sent?.values.checkInCodes}
          errors={errors}
        />
        <TextAreaField
          name="reason"
          idPrefix="correct-"
          label="更正原因"
          hint="如：签到台误将现场人数录为100000，按签到表更正为200"
          rows={3}
          maxLength={500}
          defaultValue={sent?.values.reason}
          errors={errors}
        />
        <button type="submit" className="button button--primary">
          保存更正
        </button>
      </Form>
    </details>
  );
}

/** 代办报名: staff register a resident of their area, opening an account for a new one. */
export function RegisterOnBehalfForm({ sent }: { sent: SentForm | undefined }) {
  const errors = sent?.fieldErrors;
  return (
    <details className="card" open={Boolean(errors)}>
      <summary>代办报名（为居民报名）</summary>
      <Form method="post">
        <input type="hidden" name="intent" value="registerOnBehalf" />
        <Field
          name="phone"
          idPrefix="behalf-"
          label="居民手机号"
          hint="您辖区内的居民；还没有账号的，再填姓名即为其开通账号"
          type="tel"
          inputMode="tel"
          maxLength={20}
          defaultValue={sent?.values.phone}
          errors={errors}
        />
        <Field
          name="name"
          idPrefix="behalf-"
          label="居民姓名（新居民填写）"
          maxLength={30}
          autoComplete="off"
          defaultValue={sent?.values.name}
          errors={errors}
        />
        <button type="submit" className="button button--primary">
          代办报名
        </button>
      </Form>
    </details>
  );
}

/** The organiser's doors on the first screen (issue #15, items 4 and 11): 组织者操作 sits at the foot
 * of the page, below the facts and the figures (three phone screens in 适老化 mode). */
export function OrganiserDoors({
  activity,
  registrants,
}: {
  activity: ActivityView;
  registrants: Registrant[] | null;
}) {
  return (
    <nav className="actions" aria-label="组织者入口">
      {activity.actions.checkIn ? (
        <Link className="button button--primary" to={`/activities/${activity.id}/desk`}>
          签到台
        </Link>
      ) : null}
      {registrants ? (
        <a className="button" href="#registrants">
          {`报名名单（${registrants.length} 人）`}
        </a>
      ) : null}
      <a className="button" href="#manage-title">
        组织者操作
      </a>
    </nav>
  );
}

/** 组织者操作: publish, edit, 报名名单 and 取消活动 (the desk is among the doors at the top). */
export function OrganiserActions({
  activity,
  registrants,
  sentCancel,
}: {
  activity: ActivityView;
  registrants: Registrant[] | null;
  /** The 取消活动 form, when it was sent and failed. */
  sentCancel: SentForm | undefined;
}) {
  const { actions } = activity;
  return (
    <section className="card" aria-labelledby="manage-title">
      <h2 id="manage-title">组织者操作</h2>
      <div className="actions">
        {actions.publish ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="publish" />
            <button type="submit" className="button button--primary">
              发布活动
            </button>
          </Form>
        ) : null}
        {EDITABLE.includes(activity.status) ? (
          <Link className="button" to={`/activities/${activity.id}/edit`}>
            编辑
          </Link>
        ) : null}
      </div>
      {registrants ? <RegistrantList activityId={activity.id} registrants={registrants} /> : null}
      {actions.cancel ? (
        <details open={Boolean(sentCancel?.fieldErrors)}>
          <summary>取消活动</summary>
          <Form method="post">
            <input type="hidden" name="intent" value="cancel" />
            <TextAreaField
              name="reason"
              idPrefix="cancel-"
              label="取消原因（选填）"
              hint="如：天气原因，改期另行通知（报名的居民会收到）"
              maxLength={200}
              rows={2}
              defaultValue={sentCancel?.values.reason}
              errors={sentCancel?.fieldErrors}
            />
            <button type="submit" className="button button--danger">
              确认取消活动
            </button>
          </Form>
        </details>
      ) : null}
    </section>
  );
}

/** 报名名单 for the organiser: names and phones to call (tap to call), and the downloads. */
function RegistrantList({ activityId, registrants }: { activityId: string; registrants: Registrant[] }) {
  return (
    <details
      id="registrants"
      className="registrants"
      open={registrants.length > 0 && registrants.length <= 20}
    >
      <summary>报名名单（{registrants.length} 人）</summary>
      <p className="hint">手机号仅供联系本活动事宜使用；下载名单会被记录。</p>
      {registrants.length ? (
        <ol className="plain-list registrant-list">
          {registrants.map((r) => (
            <li key={`${r.phone}-${r.registeredText}`}>
              <strong>{r.name}</strong> <a href={`tel:${r.phone}`}>{r.phone}</a>{" "}
              <span className="badge">{r.statusLabel}</span>
              {r.checkedInText ? <span className="badge">已签到</span> : null}
              {r.onBehalf ? <small>（代办）</small> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p>还没有人报名。</p>
      )}
      <p className="actions">
        {/* File downloads, not pages: plain links. */}
        <a className="button" href={`/activities/${activityId}/registrants?format=xlsx`} download>
          下载名单（Excel）
        </a>
        <a className="button" href={`/activities/${activityId}/registrants?format=csv`} download>
          下载名单（CSV）
        </a>
      </p>
    </details>
  );
}
