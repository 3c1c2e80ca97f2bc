import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { activityLinks, formatTimeRange } from "~/components/activities";
import { FormMessage } from "~/components/form";
import { cancelBooking } from "~/domain/venues/booking-cancel.server";
import { cancelBookingFormSchema } from "~/domain/venues/booking-form";
import { listMyBookings } from "~/domain/venues/my-bookings.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntentThenRedirect } from "~/http/route.server";

// /me/bookings, 我的预约 (issue 19), outside the /me layout like 我的活动: the person's venue bookings
// still to come and the others, each with its status (and the reason when declined or cancelled),
// 取消 for this date or the rest of its series (then back here by redirect: a reload cancels nothing
// more), and 加入日历. Notifications lead to the booking's own page (/me/bookings/:id).

export const meta: MetaFunction = () => [{ title: "我的预约 · 三社联动服务平台" }];
export const links = activityLinks;

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const { upcoming, past, pastTotal } = await listMyBookings(actor);
    // Where a 取消 leads (POST-redirect-GET): how many dates it cancelled.
    const cancelled = Number(
      /^\d{1,3}$/.exec(new URL(request.url).searchParams.get("cancelled") ?? "")?.[0] ?? 0,
    );
    const withTime = <B extends { startsAt: string; endsAt: string }>(booking: B) => ({
      ...booking,
      timeText: formatTimeRange(booking.startsAt, booking.endsAt),
    });
    return {
      notice: cancelled > 1 ? `已取消 ${cancelled} 次预约。` : cancelled === 1 ? "预约已取消。" : null,
      upcoming: upcoming.map(withTime),
      past: past.map(withTime),
      pastTotal,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const cancel = async (form: Record<string, string>, rest: boolean) => {
    const { bookingId } = parseInput(cancelBookingFormSchema, form);
    const { cancelled } = await cancelBooking(actor, bookingId, { rest });
    return `/me/bookings?${new URLSearchParams({ cancelled: String(cancelled) })}`;
  };
  return runIntentThenRedirect(request, {
    cancel: (form) => cancel(form, false),
    cancelRest: (form) => cancel(form, true),
  });
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>["upcoming"][number];

function BookingItem({ booking }: { booking: Item }) {
  const explained = booking.reason && (booking.status === "DECLINED" || booking.status === "CANCELLED");
  return (
    <li id={`booking-${booking.id}`}>
      <article className="card" aria-labelledby={`b-${booking.id}`}>
        <h3 id={`b-${booking.id}`}>
          <Link to={`/venues/${booking.venueId}`}>{booking.venueName}</Link>
        </h3>
        <p>
          <span className={`badge badge--booking-${booking.status.toLowerCase()}`}>
            {booking.statusLabel}
          </span>
          {booking.seriesId ? <span className="badge">重复预约</span> : null}
        </p>
        <p>{booking.timeText}</p>
        <p>{`${booking.groupName} · ${booking.expectedPersons} 人 · 联系人 ${booking.contactName} ${booking.contactPhone}`}</p>
        {explained ? <p>{`原因：${booking.reason}`}</p> : null}
        {booking.status === "COMPLETED" && booking.attended !== null ? (
          <p>{`到场 ${booking.attended} 人`}</p>
        ) : null}
        <div className="actions">
          {booking.status !== "DECLINED" && booking.status !== "LAPSED" && booking.status !== "CANCELLED" ? (
            <a className="button" href={`/bookings/${booking.id}.ics`} download>
              加入日历
            </a>
          ) : null}
          {booking.cancellable && (booking.status === "REQUESTED" || booking.status === "CONFIRMED") ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="bookingId" value={booking.id} />
              <button type="submit" name="intent" value="cancel" className="button">
                取消这次预约
              </button>
              {booking.seriesId ? (
                <button type="submit" name="intent" value="cancelRest" className="button">
                  取消这次及以后的全部
                </button>
              ) : null}
            </Form>
          ) : null}
        </div>
      </article>
    </li>
  );
}

export default function MyBookingsPage() {
  const { notice, upcoming, past, pastTotal } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <>
      <h1>我的预约</h1>
      <FormMessage tone="success" message={failed ? null : notice} />
      <FormMessage message={failed?.formError} />
      <div className="actions">
        <Link className="button button--primary button--big" to="/venues">
          预约阵地
        </Link>
        <Link className="button" to="/me">
          返回“我的”
        </Link>
      </div>
      <h2>{`待进行的预约（${upcoming.length}）`}</h2>
      {upcoming.length === 0 ? (
        <p className="card">您没有待进行的预约。到“阵地”里选一处，为团体预约活动时间。</p>
      ) : (
        <ul className="activity-list">
          {upcoming.map((booking) => (
            <BookingItem key={booking.id} booking={booking} />
          ))}
        </ul>
      )}
      <h2>{`以往的预约（${pastTotal}）`}</h2>
      {past.length === 0 ? (
        <p className="card">还没有以往的预约。</p>
      ) : (
        <ul className="activity-list">
          {past.map((booking) => (
            <BookingItem key={booking.id} booking={booking} />
          ))}
        </ul>
      )}
      {pastTotal > past.length ? (
        <p>{`只列出最近的 ${past.length} 次；全部记录可在“我的”里下载我的数据。`}</p>
      ) : null}
    </>
  );
}
