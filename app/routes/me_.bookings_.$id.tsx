import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { formatTimeRange } from "~/components/activities";
import { FormMessage, useTakeFocus } from "~/components/form";
import { cancelMyBooking, MAX_SERIES_DATES, myBooking } from "~/domain/venues/my-bookings.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData, runIntentThenRedirect } from "~/http/route.server";

// /me/bookings/:id, one booking of the signed-in person (issue 19): where the 预约 form leads once it
// has booked (POST-redirect-GET, so a reload books nothing twice), with every date of a series and
// the dates that could not be booked, and why; where every notification about the booking leads
// (issue #15: the booking itself, not an anchor in a list that keeps only the latest), so it shows
// the booking's status and reason, 加入日历 and 取消. Its booker's alone; anyone else gets 404.

export const meta: MetaFunction = () => [{ title: "我的预约 · 三社联动服务平台" }];

/** The starts the form could not book, as it put them in the address (toISOString); anything else,
 * 30 February included (Date would roll it over), is left out. */
function skippedStarts(search: URLSearchParams): Date[] {
  return (search.get("skipped") ?? "")
    .split(",")
    .slice(0, MAX_SERIES_DATES)
    .map((value) => ({ value, date: new Date(value) }))
    .filter(({ value, date }) => !Number.isNaN(date.getTime()) && date.toISOString() === value)
    .map(({ date }) => date);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const search = new URL(request.url).searchParams;
    const { booking, dates, skipped } = await myBooking(actor, params.id ?? "", skippedStarts(search));
    const timed = <B extends { startsAt: string; endsAt: string }>(item: B) => ({
      ...item,
      timeText: formatTimeRange(item.startsAt, item.endsAt),
    });
    // Where a 取消 leads (POST-redirect-GET): how many dates it cancelled.
    const cancelled = Number(/^\d{1,3}$/.exec(search.get("cancelled") ?? "")?.[0] ?? 0);
    return {
      justBooked: search.get("done") === "booked",
      notice: cancelled > 1 ? `已取消 ${cancelled} 次预约。` : cancelled === 1 ? "预约已取消。" : null,
      booking: timed(booking),
      dates: dates.map(timed),
      skipped: skipped.map(timed),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const id = params.id ?? "";
  const cancel = async (rest: boolean) => {
    const { cancelled } = await cancelMyBooking(actor, id, { rest });
    return `/me/bookings/${id}?${new URLSearchParams({ cancelled: String(cancelled) })}`;
  };
  return runIntentThenRedirect(request, {
    cancel: () => cancel(false),
    cancelRest: () => cancel(true),
  });
}

export default function MyBookingPage() {
  const { justBooked, notice, booking, dates, skipped } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const held = booking.status === "REQUESTED" || booking.status === "CONFIRMED";
  const explained = booking.reason && (booking.status === "DECLINED" || booking.status === "CANCELLED");
  const heading = justBooked
    ? skipped.length
      ? "部分日期已预约"
      : "预约已提交"
    : `预约：${booking.venueName}`;
  const focus = useTakeFocus<HTMLHeadingElement>(heading);
  return (
    <article aria-labelledby="booking-title">
      <p>
        <Link to="/me/bookings">← 我的预约</Link>
      </p>
      <h1 id="booking-title" ref={focus} tabIndex={-1}>
        {heading}
      </h1>
      {justBooked ? (
        <p className="form-message form-message--success" role="status">
          {booking.status === "REQUESTED"
            ? `已提交${booking.venueName}的预约，等待工作人员审核，审核结果会通知您。`
            : `${booking.venueName}的预约已确认，请按时前往。`}
        </p>
      ) : null}
      <FormMessage tone="success" message={failed ? null : notice} />
      <FormMessage message={failed?.formError} />
      <section className="card" aria-labelledby="booking-facts">
        <h2 id="booking-facts">{booking.groupName}</h2>
        <p>
          <span className={`badge badge--booking-${booking.status.toLowerCase()}`}>
            {booking.statusLabel}
          </span>
          {booking.seriesId ? <span className="badge">重复预约</span> : null}
        </p>
        <p>{booking.timeText}</p>
        {explained ? <p>{`原因：${booking.reason}`}</p> : null}
        {held ? (
          <div className="actions">
            <a className="button" href={`/bookings/${booking.id}.ics`} download>
              加入日历
            </a>
            {booking.cancellable ? (
              <Form method="post" className="inline-form">
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
        ) : null}
        <dl className="facts">
          <dt>阵地</dt>
          <dd>
            <Link to={`/venues/${booking.venueId}`}>{booking.venueName}</Link>（{booking.venueAddress}）
          </dd>
          <dt>预计人数</dt>
          <dd>{booking.expectedPersons} 人</dd>
          <dt>联系人</dt>
          <dd>
            {booking.contactName} {booking.contactPhone}
          </dd>
          <dt>活动内容</dt>
          <dd>{booking.purpose}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="booked-dates">
        <h2 id="booked-dates">{`已预约的日期（${dates.length}）`}</h2>
        <ul className="community-list">
          {dates.map((date) => (
            <li key={date.id}>
              {`${date.timeText}（${date.statusLabel}）`}
              {date.reason && (date.status === "DECLINED" || date.status === "CANCELLED")
                ? `：${date.reason}`
                : null}
            </li>
          ))}
        </ul>
      </section>
      {skipped.length ? (
        <section className="card" aria-labelledby="conflict-dates">
          <h2 id="conflict-dates">{`未能预约的日期（${skipped.length}）`}</h2>
          <ul className="community-list">
            {skipped.map((date) => (
              <li key={date.startsAt}>{`${date.timeText}：${date.reason}`}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="actions">
        <Link className="button button--primary button--big" to="/me/bookings">
          我的全部预约
        </Link>
        <Link className="button" to={`/venues/${booking.venueId}`}>
          返回阵地
        </Link>
      </div>
    </article>
  );
}
