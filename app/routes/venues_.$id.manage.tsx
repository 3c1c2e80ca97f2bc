import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { formatTimeRange } from "~/components/activities";
import { Field, FormMessage } from "~/components/form";
import type { Actor } from "~/domain/accounts/actor";
import { cancelBooking } from "~/domain/venues/booking-cancel.server";
import { cancelBookingFormSchema } from "~/domain/venues/booking-form";
import { type BookingView, listBookings, visibleBooking } from "~/domain/venues/booking-rows.server";
import { closeVenue } from "~/domain/venues/venue-closures.server";
import { comingClosures, venueForStaff } from "~/domain/venues/venue-staff.server";
import {
  BOOKING_CHANNEL_LABELS,
  cancelBookingSchema,
  closureSchema,
  HELD_STATUSES,
  STAFF_CHANNELS,
} from "~/domain/venues/venues.schema";
import { requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntentThenRedirect } from "~/http/route.server";
import { chinaDay } from "~/lib/china-time";

// A venue's staff view: links to 修改 and 代订, the 暂停开放 form (消防检查, 内部会议: the bookings it
// overlaps are cancelled and their holders told, by the domain), the closures to come and the
// bookings from today on, each not yet begun with 取消 (a reason the holder is told). Every post
// leads back here by redirect (a reload repeats nothing), saying what it did.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `阵地管理：${data?.venue.name ?? "阵地"} · 三社联动服务平台` },
];

const DONE: Record<string, string> = {
  created: "阵地已新建。",
  saved: "修改已保存。",
  booked: "代订已登记，预约已确认。",
};

const named = (booking: BookingView) =>
  `“${booking.groupName}” ${formatTimeRange(booking.startsAt, booking.endsAt)}`;

/** What the last post did, from the address it redirected to: ids and a count, read back here. */
async function noticeOf(actor: Actor, search: URLSearchParams, closures: { id: string; timeText: string }[]) {
  const done = search.get("done") ?? "";
  if (done === "closed") {
    const range = closures.find((closure) => closure.id === search.get("closure"))?.timeText;
    const cancelled = Number(/^\d{1,4}$/.exec(search.get("cancelled") ?? "")?.[0] ?? 0);
    const closed = range ? `已暂停开放：${range}。` : "已暂停开放。";
    return cancelled > 0
      ? `${closed}取消了 ${cancelled} 条预约，已通知预约人。`
      : `${closed}这段时间没有预约需要取消。`;
  }
  if (done === "cancelled") {
    const booking = await visibleBooking(actor, search.get("booking") ?? "");
    if (!booking) return null;
    // A 代订 has no account to tell: the worker phones its contact.
    return booking.channel !== null && STAFF_CHANNELS.includes(booking.channel)
      ? `已取消${named(booking)}的预约。这是代订的预约，请电话告知联系人${booking.contactName}（${booking.contactPhone}）。`
      : `已取消${named(booking)}的预约，已通知预约人。`;
  }
  return Object.hasOwn(DONE, done) ? (DONE[done] ?? null) : null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const venue = await venueForStaff(actor, params.id ?? "");
    const now = new Date();
    const [coming, bookings] = await Promise.all([
      comingClosures(actor, venue.id),
      listBookings(actor, { venueId: venue.id, from: chinaDay(now), page: 1, pageSize: 100 }),
    ]);
    const closures = coming.map((closure) => ({
      ...closure,
      timeText: formatTimeRange(closure.startsAt, closure.endsAt),
    }));
    return {
      venue: { id: venue.id, name: venue.name },
      notice: await noticeOf(actor, new URL(request.url).searchParams, closures),
      closures,
      bookings: {
        total: bookings.total,
        items: bookings.items.map((booking) => ({
          ...booking,
          timeText: formatTimeRange(booking.startsAt, booking.endsAt),
          channelLabel: booking.channel ? BOOKING_CHANNEL_LABELS[booking.channel] : "",
          // Only time not yet begun may be cancelled (cancelBooking says so too).
          cancellable:
            (HELD_STATUSES as readonly string[]).includes(booking.status) && new Date(booking.startsAt) > now,
        })),
      },
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const venueId = params.id ?? "";
  const back = (done: Record<string, string>) => `/venues/${venueId}/manage?${new URLSearchParams(done)}`;
  return runIntentThenRedirect(request, {
    close: async (form) => {
      const venue = await venueForStaff(actor, venueId);
      const input = parseInput(closureSchema, form);
      const { closure, cancelled } = await closeVenue(actor, venue.id, input);
      return back({ done: "closed", closure: closure.id, cancelled: String(cancelled) });
    },
    cancel: async (form) => {
      // The staff's page: a holder cancels her own on 我的预约 (no reason asked there).
      await venueForStaff(actor, venueId);
      const schema = cancelBookingFormSchema.extend(cancelBookingSchema.pick({ reason: true }).shape);
      const { bookingId, reason } = parseInput(schema, form);
      const { booking } = await cancelBooking(actor, bookingId, { reason });
      return back({ done: "cancelled", booking: booking.id });
    },
  });
}

export default function VenueManagePage() {
  const { venue, notice, closures, bookings } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const closeFailed = failed?.values.intent === "close" ? failed : undefined;
  /** A failed 取消 belongs to the one row it came from. */
  const cancelFailed = (id: string) =>
    failed?.values.intent === "cancel" && failed.values.bookingId === id ? failed : undefined;
  const cancelFailedInRow = bookings.items.some((booking) => booking.cancellable && cancelFailed(booking.id));
  // After a closure (a redirect: a new location) the form starts empty again; after a failure it
  // keeps what was typed.
  const typed = (name: string) => closeFailed?.values[name] ?? "";
  const { key: shownAt } = useLocation();
  return (
    <article className="stack" aria-labelledby="manage-title">
      <p>
        <Link to={`/venues/${venue.id}`}>← 阵地公开页面</Link>
      </p>
      <h1 id="manage-title">阵地管理：{venue.name}</h1>
      <FormMessage tone="success" message={failed ? null : notice} />
      {failed && !closeFailed && !cancelFailedInRow ? <FormMessage message={failed.formError} /> : null}
      <ul className="plain-list">
        <li>
          <Link to={`/venues/${venue.id}/edit`}>修改阵地信息、开放时间和项目</Link>
        </li>
        <li>
          <Link to={`/venues/${venue.id}/on-behalf`}>代订：登记电话或纸质预约</Link>
        </li>
        <li>
          <Link to="/workbench/bookings">预约审核</Link>
        </li>
      </ul>
      <section className="card" aria-labelledby="close-title">
        <h2 id="close-title">暂停开放</h2>
        <p>如消防检查、内部会议。与这段时间重叠的预约会被取消，并通知预约人。</p>
        <Form method="post" noValidate key={shownAt}>
          <input type="hidden" name="intent" value="close" />
          <FormMessage message={closeFailed?.formError} errors={closeFailed?.fieldErrors} />
          <Field
            name="startsAt"
            type="datetime-local"
            label="开始时间"
            hint="北京时间，如 2026-12-01 09:30"
            defaultValue={typed("startsAt")}
            errors={closeFailed?.fieldErrors}
            required
          />
          <Field
            name="endsAt"
            type="datetime-local"
            label="结束时间"
            hint="北京时间，如 2026-12-01 09:30"
            defaultValue={typed("endsAt")}
            errors={closeFailed?.fieldErrors}
            required
          />
          <Field
            name="reason"
            label="暂停原因"
            hint="预约人会看到，如：消防检查"
            maxLength={200}
            defaultValue={typed("reason")}
            errors={closeFailed?.fieldErrors}
            required
          />
          <button type="submit" className="button button--danger">
            暂停开放
          </button>
        </Form>
        <h3>将要暂停的时段</h3>
        {closures.length === 0 ? (
          <p>没有。</p>
        ) : (
          <ul className="plain-list">
            {closures.map((closure) => (
              <li key={closure.id}>
                {closure.timeText}：{closure.reason}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="bookings-title">
        <h2 id="bookings-title">今天起的预约（{bookings.total}）</h2>
        {bookings.items.length === 0 ? (
          <p>还没有预约。</p>
        ) : (
          // One card a booking, not a table: on a phone a seven-column table scrolled sideways and
          // squeezed 取消's reason box into its last column (issue #15).
          <ul className="plain-list venue-bookings">
            {bookings.items.map((booking) => (
              <li key={booking.id} className="card">
                <h3>{booking.timeText}</h3>
                <p>
                  <span className={`badge badge--booking-${booking.status.toLowerCase()}`}>
                    {booking.statusLabel}
                  </span>
                  <span className="badge">{booking.channelLabel}</span>
                </p>
                <p>{`${booking.groupName} · ${booking.expectedPersons} 人`}</p>
                <p>
                  联系人 {booking.contactName}{" "}
                  <a href={`tel:${booking.contactPhone}`}>{booking.contactPhone}</a>
                </p>
                {booking.cancellable ? (
                  <CancelBooking booking={booking} failure={cancelFailed(booking.id)} />
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}

/** 取消 one booking, behind a disclosure so the table stays readable: the reason is required, and
 * the holder reads it. A failed post opens it again with the error and what was typed. */
function CancelBooking({
  booking,
  failure,
}: {
  booking: { id: string; groupName: string };
  failure?: { formError: string; fieldErrors?: Record<string, string>; values: Record<string, string> };
}) {
  return (
    <details open={failure ? true : undefined}>
      <summary>取消</summary>
      <Form method="post" noValidate className="inline-form">
        <input type="hidden" name="intent" value="cancel" />
        <input type="hidden" name="bookingId" value={booking.id} />
        <FormMessage message={failure?.formError} errors={failure?.fieldErrors} idPrefix={`${booking.id}-`} />
        <Field
          name="reason"
          idPrefix={`${booking.id}-`}
          label={`取消“${booking.groupName}”的原因`}
          hint="预约人会看到，如：场地临时维修"
          maxLength={200}
          defaultValue={failure?.values.reason ?? ""}
          errors={failure?.fieldErrors}
          required
        />
        <button type="submit" className="button button--danger">
          取消这次预约
        </button>
      </Form>
    </details>
  );
}
