import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ActivityStatusBadge, activityLinks, formatTimeRange, SeatsLine } from "~/components/activities";
import {
  ActivityAttendance,
  ActivityFacts,
  AttendanceCorrectionForm,
  MyRegistration,
  OrganiserActions,
  OrganiserDoors,
  RegisterForm,
  RegisterOnBehalfForm,
} from "~/components/activity-page";
import { FormMessage } from "~/components/form";
import {
  attendanceCorrectionFromForm,
  attendanceCorrectionSchema,
  cancelActivitySchema,
  OPEN_FOR_REGISTRATION,
  registerSchema,
} from "~/domain/activities/activities.schema";
import { cancelActivity, publishActivity } from "~/domain/activities/activities.server";
import { activityPage } from "~/domain/activities/activity-page.server";
import { correctAttendance } from "~/domain/activities/check-in.server";
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

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await getActor(request);
    const url = new URL(request.url);
    const page = await activityPage(actor, params.id ?? "", url.origin);
    const { activity } = page;
    return {
      ...page,
      // Times for people are formatted here, so the server's and the browser's rendering agree.
      timeText: formatTimeRange(activity.startsAt, activity.endsAt),
      correctionTimes: Object.fromEntries(
        activity.corrections.map((correction) => [correction.id, formatTime(correction.correctedAt)]),
      ),
      myCheckInText: activity.myRegistration?.checkedInAt
        ? formatTime(activity.myRegistration.checkedInAt)
        : null,
      signedIn: actor !== null,
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
      const { counts } = await correctAttendance(
        actor,
        id,
        parseInput(attendanceCorrectionSchema, attendanceCorrectionFromForm(form)),
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
  const sentBy = (intent: string) => (failed?.values.intent === intent ? failed : undefined);
  const { actions } = activity;
  const mine = activity.myRegistration?.status === "CANCELLED" ? null : activity.myRegistration;
  const open = OPEN_FOR_REGISTRATION.includes(activity.status);
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

      {actions.manage ? <OrganiserDoors activity={activity} registrants={registrants} /> : null}
      {/* The primary action first (issue #15): in 适老化 mode the facts fill a phone screen or two. */}
      {mine ? (
        <MyRegistration registration={mine} open={open} checkedInText={myCheckInText} qrSvg={qrSvg} />
      ) : null}
      {actions.register ? <RegisterForm seatsLeft={activity.seatsLeft} /> : null}
      {!signedIn && open ? (
        <p className="card">
          <Link className="button button--primary button--big" to={loginHref}>
            登录后报名
          </Link>
        </p>
      ) : null}

      <ActivityFacts activity={activity} timeText={timeText} open={open} />
      {counts || activity.corrections.length > 0 ? (
        <ActivityAttendance
          counts={counts}
          corrections={activity.corrections}
          correctionTimes={correctionTimes}
        />
      ) : null}
      {actions.correctAttendance ? (
        <AttendanceCorrectionForm
          capacity={activity.capacity}
          walkIns={counts?.walkIns ?? 0}
          sent={sentBy("correctAttendance")}
        />
      ) : null}
      {actions.registerOnBehalf ? <RegisterOnBehalfForm sent={sentBy("registerOnBehalf")} /> : null}
      {actions.manage ? (
        <OrganiserActions activity={activity} registrants={registrants} sentCancel={sentBy("cancel")} />
      ) : null}
    </article>
  );
}
