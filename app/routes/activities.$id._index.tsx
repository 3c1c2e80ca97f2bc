import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  ActivityStatusBadge,
  activityLinks,
  CheckInCode,
  CountsList,
  formatTimeRange,
  SeatsLine,
} from "~/components/activities";
import { Field, FormMessage, TextAreaField } from "~/components/form";
import {
  attendanceCorrectionSchema,
  cancelActivitySchema,
  MAX_WALK_INS,
  registerSchema,
  WALK_INS_PER_SEAT,
  walkInsCeiling,
} from "~/domain/activities/activities.schema";
import { cancelActivity, publishActivity } from "~/domain/activities/activities.server";
import { getActivity } from "~/domain/activities/activity-views.server";
import { checkInQrSvg, correctAttendance } from "~/domain/activities/check-in.server";
import { listRegistrants, type Registrant } from "~/domain/activities/registrants.server";
import {
  cancelMyRegistration,
  registerForActivity,
  registerOnBehalf,
} from "~/domain/activities/registrations.server";
import { getActor, requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntent } from "~/http/route.server";
import { conflict, DomainError, validationError } from "~/lib/errors";
import { formatTime } from "~/lib/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.activity.title ?? "活动详情"} · 社区活动` },
];
export const links = activityLinks;

/** A manager who may not see the phones (a future rule) still gets the page, without the list. */
const noList = (error: unknown) => {
  if (error instanceof DomainError && error.code === "FORBIDDEN") return { registrants: null };
  throw error;
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await getActor(request);
    const id = params.id ?? "";
    const { activity, counts } = await getActivity(actor, id);
    const code = activity.myRegistration?.checkInCode;
    const url = new URL(request.url);
    return {
      activity,
      // 已报名 / 候补 / 签到 / 现场 / 受众人次 are the organisers' and staff's working figures; a
      // resident sees the seats left, not them.
      counts:
        activity.actions.manage || activity.actions.correctAttendance || activity.actions.registerOnBehalf
          ? counts
          : null,
      // Times for people are formatted here, so the server's and the browser's rendering agree.
      timeText: formatTimeRange(activity.startsAt, activity.endsAt),
      correctionTimes: Object.fromEntries(
        activity.corrections.map((correction) => [correction.id, formatTime(correction.correctedAt)]),
      ),
      myCheckInText: activity.myRegistration?.checkedInAt
        ? formatTime(activity.myRegistration.checkedInAt)
        : null,
      signedIn: actor !== null,
      qrSvg: code ? await checkInQrSvg(url.origin, activity.id, code) : null,
      // 报名名单 with phones, for the activity's organisers only (the policy decides, #15 item 11).
      registrants:
        actor && activity.actions.manage
          ? (await listRegistrants(actor, activity.id).catch(noList)).registrants
          : null,
      loginHref: `/login?redirectTo=${encodeURIComponent(url.pathname)}`,
    };
  });
}

/** A stale page may ask for what no longer exists (a registration already cancelled): that is a
 * message on the page, not a 404 page. */
async function onThePage(work: () => Promise<string>) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError && (error.code === "NOT_FOUND" || error.code === "CAPACITY_FULL")) {
      throw conflict(error.message);
    }
    throw error;
  }
}

const seatMessage = (registration: { status: string; waitlistPosition: number | null }) =>
  registration.status === "REGISTERED"
    ? "已报名"
    : `名额已满，已加入候补（第 ${registration.waitlistPosition ?? 1} 位）`;

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const id = params.id ?? "";
  return runIntent(request, {
    register: (form) =>
      onThePage(async () => {
        // Registering oneself: a phone in a forged form must not turn this into 代办.
        const registration = await registerForActivity(
          actor,
          id,
          parseInput(registerSchema, { ...form, phone: undefined }),
        );
        return registration.status === "REGISTERED"
          ? `报名成功！您的签到码是 ${registration.checkInCode ?? ""}，到场时出示即可。`
          : `名额已满，您已加入候补，排第 ${registration.waitlistPosition ?? 1} 位。有人退出时会自动为您补上并通知您。`;
      }),
    cancelRegistration: () =>
      onThePage(async () => {
        await cancelMyRegistration(actor, id);
        return "已取消报名。";
      }),
    registerOnBehalf: (form) =>
      onThePage(async () => {
        const { phone, name } = parseInput(registerSchema, form);
        if (!phone) throw validationError({ phone: "请填写居民的手机号" });
        const { registration, registrantName } = await registerOnBehalf(actor, id, { phone, name });
        return `已为 ${registrantName} 代办报名：${seatMessage(registration)}。`;
      }),
    publish: () =>
      onThePage(async () => {
        await publishActivity(actor, id);
        return "活动已发布，居民现在可以报名了。";
      }),
    cancel: (form) =>
      onThePage(async () => {
        await cancelActivity(actor, id, parseInput(cancelActivitySchema, form));
        return "活动已取消，已通知报名的居民。";
      }),
    correctAttendance: async (form) => {
      // The form types the codes into one box, separated by spaces, commas or line breaks.
      const codes = String(form.checkInCodes ?? "")
        .split(/[\s,，、]+/)
        .filter(Boolean);
      const { counts } = await correctAttendance(
        actor,
        id,
        parseInput(attendanceCorrectionSchema, { ...form, checkInCodes: codes }),
      );
      return `已更正：现场 ${counts.walkIns} 人，签到 ${counts.checkedIn} 人，受众共 ${counts.personTimes} 人次。统计会随之重算。`;
    },
  });
}

const CREATED_MESSAGES: Record<string, string> = {
  published: "活动已发布，居民现在可以报名了。",
  draft: "活动已存为草稿。检查无误后点“发布活动”，居民才能看到。",
  saved: "修改已保存。",
};

export default function ActivityPage() {
  const {
    activity,
    counts,
    timeText,
    correctionTimes,
    myCheckInText,
    signedIn,
    qrSvg,
    loginHref,
    registrants,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const failed = result && !result.ok ? result : undefined;
  const errorsFor = (intent: string) => (failed?.values.intent === intent ? failed.fieldErrors : undefined);
  const { actions } = activity;
  const mine = activity.myRegistration?.status === "CANCELLED" ? null : activity.myRegistration;
  const open = activity.status === "PUBLISHED" || activity.status === "ONGOING";
  const notice = params.get("done");
  return (
    <article className="stack" aria-labelledby="activity-title">
      <p>
        <Link to="/activities">← 返回活动列表</Link>
      </p>
      <h1 id="activity-title">{activity.title}</h1>
      <p>
        <ActivityStatusBadge status={activity.status} />
        <span className="badge">{activity.categoryName}</span>
        <SeatsLine status={activity.status} seatsLeft={activity.seatsLeft} />
      </p>
      {notice && !result ? <FormMessage tone="success" message={CREATED_MESSAGES[notice]} /> : null}
      <FormMessage tone="success" message={result?.ok ? result.message : null} />
      <FormMessage message={failed?.formError} />
      {activity.status === "DRAFT" ? (
        <p className="activity-notice" role="note">
          这是草稿，只有组织者能看到。发布后居民才能看到和报名。
        </p>
      ) : null}
      {activity.status === "CANCELLED" ? (
        <p className="activity-notice" role="note">
          该活动已取消{activity.cancelReason ? `：${activity.cancelReason}` : "。"}
        </p>
      ) : null}

      {/* The organiser's work is at the foot of the page, below the facts and the figures (three
          phone screens in 适老化 mode): its doors on the first screen (issue #15, items 4 and 11). */}
      {actions.manage ? (
        <nav className="actions" aria-label="组织者入口">
          {actions.checkIn ? (
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
      ) : null}
      {/* The primary action first (issue #15): in 适老化 mode the facts fill a phone screen or two. */}
      {mine ? (
        <section className="card" aria-labelledby="mine-title">
          <h2 id="mine-title">我的报名</h2>
          <p>
            <span className="badge">{mine.statusLabel}</span>
            {mine.status === "WAITLISTED"
              ? `候补第 ${mine.waitlistPosition ?? 1} 位，有人退出时会自动为您补上并通知您。`
              : null}
            {myCheckInText ? `已于 ${myCheckInText} 签到。` : null}
          </p>
          {mine.checkInCode && !mine.checkedInAt ? (
            <CheckInCode code={mine.checkInCode} qrSvg={qrSvg} />
          ) : null}
          {open && !mine.checkedInAt ? (
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
      ) : null}

      {actions.register ? (
        <Form method="post" className="card" aria-labelledby="register-title">
          <h2 id="register-title">{activity.seatsLeft > 0 ? "报名参加" : "名额已满"}</h2>
          {/* The button before its explanation: on a phone in 适老化 mode the two lines of text put
              报名 below the first screen (issue #15, item 4). */}
          <input type="hidden" name="intent" value="register" />
          <button type="submit" className="button button--primary button--big button--block">
            {activity.seatsLeft > 0 ? "报名" : "加入候补"}
          </button>
          <p>
            {activity.seatsLeft > 0
              ? "报名后会得到一个签到码，到场时出示即可。"
              : "可以先加入候补，有人退出时按顺序补上，并会通知您。"}
          </p>
        </Form>
      ) : null}
      {!signedIn && open ? (
        <p className="card">
          <Link className="button button--primary button--big" to={loginHref}>
            登录后报名
          </Link>
        </p>
      ) : null}

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
            {open
              ? activity.seatsLeft > 0
                ? `，还剩 ${activity.seatsLeft} 个`
                : "，已报满，可以候补"
              : null}
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

      {counts || activity.corrections.length > 0 ? (
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
          {activity.corrections.length > 0 ? (
            <div className="activity-notice" role="note">
              <p>
                <span className="badge">已更正</span> 活动结束后，管理员更正过受众人数：
              </p>
              <ul className="plain-list">
                {activity.corrections.map((correction) => (
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
      ) : null}

      {actions.correctAttendance ? (
        <details className="card" open={Boolean(errorsFor("correctAttendance"))}>
          <summary>更正受众人数（管理员）</summary>
          <p>
            {`活动结束24小时后，签到台不再接受签到和现场人数。确需更正的，在这里填写更正后的现场人数或补签的签到码，并写明原因；更正会记录在案，并在活动页上显示为“已更正”。现场人数最多为名额的${WALK_INS_PER_SEAT}倍（本场最多${walkInsCeiling(activity.capacity)}人）。`}
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
              defaultValue={
                failed?.values.intent === "correctAttendance"
                  ? failed.values.walkIns
                  : String(counts?.walkIns ?? 0)
              }
              errors={errorsFor("correctAttendance")}
            />
            <TextAreaField
              name="checkInCodes"
              idPrefix="correct-"
              label="补签的签到码（选填）"
              hint="到场但没在签到台签到的居民，填其6位签到码，多个用空格分开"
              rows={2}
              maxLength={1400}
              defaultValue={
                failed?.values.intent === "correctAttendance" ? failed.values.checkInCodes : undefined
              }
              errors={errorsFor("correctAttendance")}
            />
            <TextAreaField
              name="reason"
              idPrefix="correct-"
              label="更正原因"
              hint="如：签到台误将现场人数录为100000，按签到表更正为200"
              rows={3}
              maxLength={500}
              defaultValue={failed?.values.intent === "correctAttendance" ? failed.values.reason : undefined}
              errors={errorsFor("correctAttendance")}
            />
            <button type="submit" className="button button--primary">
              保存更正
            </button>
          </Form>
        </details>
      ) : null}

      {actions.registerOnBehalf ? (
        <details className="card" open={Boolean(errorsFor("registerOnBehalf"))}>
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
              defaultValue={failed?.values.intent === "registerOnBehalf" ? failed.values.phone : undefined}
              errors={errorsFor("registerOnBehalf")}
            />
            <Field
              name="name"
              idPrefix="behalf-"
              label="居民姓名（新居民填写）"
              maxLength={30}
              autoComplete="off"
              defaultValue={failed?.values.intent === "registerOnBehalf" ? failed.values.name : undefined}
              errors={errorsFor("registerOnBehalf")}
            />
            <button type="submit" className="button button--primary">
              代办报名
            </button>
          </Form>
        </details>
      ) : null}

      {actions.manage ? (
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
            {activity.status === "DRAFT" || activity.status === "PUBLISHED" ? (
              <Link className="button" to={`/activities/${activity.id}/edit`}>
                编辑
              </Link>
            ) : null}
          </div>
          {registrants ? <RegistrantList activityId={activity.id} registrants={registrants} /> : null}
          {actions.cancel ? (
            <details open={Boolean(errorsFor("cancel"))}>
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
                  defaultValue={failed?.values.intent === "cancel" ? failed.values.reason : undefined}
                  errors={errorsFor("cancel")}
                />
                <button type="submit" className="button button--danger">
                  确认取消活动
                </button>
              </Form>
            </details>
          ) : null}
        </section>
      ) : null}
    </article>
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
