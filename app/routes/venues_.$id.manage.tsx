import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { formatTimeRange } from "~/components/activities";
import { Field, FormMessage } from "~/components/form";
import { TableScroll } from "~/components/table-scroll";
import { listBookings } from "~/domain/venues/booking-rows.server";
import { closeVenue } from "~/domain/venues/venue-closures.server";
import { comingClosures, venueForStaff } from "~/domain/venues/venue-staff.server";
import { BOOKING_CHANNEL_LABELS, closureSchema } from "~/domain/venues/venues.schema";
import { requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntent } from "~/http/route.server";
import { chinaDay } from "~/lib/china-time";

// A venue's staff view: links to 修改 and 代订, the 暂停开放 form (消防检查, 内部会议: the bookings it
// overlaps are cancelled and their holders told, by the domain), the closures to come and the
// bookings from today on.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `阵地管理：${data?.venue.name ?? "阵地"} · 三社联动服务平台` },
];

const DONE: Record<string, string> = {
  created: "阵地已新建。",
  saved: "修改已保存。",
  booked: "代订已登记，预约已确认。",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const venue = await venueForStaff(actor, params.id ?? "");
    const [closures, bookings] = await Promise.all([
      comingClosures(actor, venue.id),
      listBookings(actor, { venueId: venue.id, from: chinaDay(new Date()), page: 1, pageSize: 100 }),
    ]);
    return {
      venue: { id: venue.id, name: venue.name },
      closures: closures.map((closure) => ({
        ...closure,
        timeText: formatTimeRange(closure.startsAt, closure.endsAt),
      })),
      bookings: {
        total: bookings.total,
        items: bookings.items.map((booking) => ({
          ...booking,
          timeText: formatTimeRange(booking.startsAt, booking.endsAt),
          channelLabel: booking.channel ? BOOKING_CHANNEL_LABELS[booking.channel] : "",
        })),
      },
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  return runIntent(request, {
    close: async (form) => {
      const venue = await venueForStaff(actor, params.id ?? "");
      const input = parseInput(closureSchema, form);
      const { closure, cancelled } = await closeVenue(actor, venue.id, input);
      const range = formatTimeRange(closure.startsAt, closure.endsAt);
      return cancelled > 0
        ? `已暂停开放：${range}。取消了 ${cancelled} 条预约，已通知预约人。`
        : `已暂停开放：${range}。这段时间没有预约需要取消。`;
    },
  });
}

export default function VenueManagePage() {
  const { venue, closures, bookings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : undefined;
  const [search] = useSearchParams();
  const asked = search.get("done") ?? "";
  const done = Object.hasOwn(DONE, asked) ? DONE[asked] : undefined;
  // After a closure the form starts empty again; after a failure it keeps what was typed.
  const typed = (name: string) => failed?.values[name] ?? "";
  return (
    <article className="stack" aria-labelledby="manage-title">
      <p>
        <Link to={`/venues/${venue.id}`}>← 阵地公开页面</Link>
      </p>
      <h1 id="manage-title">阵地管理：{venue.name}</h1>
      <FormMessage tone="success" message={result?.ok ? result.message : (done ?? null)} />
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
        <Form method="post" noValidate key={result?.ok ? "done" : "form"}>
          <input type="hidden" name="intent" value="close" />
          <FormMessage message={failed?.formError} errors={failed?.fieldErrors} />
          <Field
            name="startsAt"
            type="datetime-local"
            label="开始时间"
            hint="北京时间，如 2026-12-01 09:30"
            defaultValue={typed("startsAt")}
            errors={failed?.fieldErrors}
            required
          />
          <Field
            name="endsAt"
            type="datetime-local"
            label="结束时间"
            hint="北京时间，如 2026-12-01 09:30"
            defaultValue={typed("endsAt")}
            errors={failed?.fieldErrors}
            required
          />
          <Field
            name="reason"
            label="暂停原因"
            hint="预约人会看到，如：消防检查"
            maxLength={200}
            defaultValue={typed("reason")}
            errors={failed?.fieldErrors}
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
          <TableScroll labelledBy="bookings-caption">
            <table className="table">
              <caption id="bookings-caption">今天起的预约</caption>
              <thead>
                <tr>
                  <th scope="col">时间</th>
                  <th scope="col">团体</th>
                  <th scope="col">人数</th>
                  <th scope="col">联系人</th>
                  <th scope="col">渠道</th>
                  <th scope="col">状态</th>
                </tr>
              </thead>
              <tbody>
                {bookings.items.map((booking) => (
                  <tr key={booking.id}>
                    <td>{booking.timeText}</td>
                    <td>{booking.groupName}</td>
                    <td>{booking.expectedPersons}</td>
                    <td>
                      {booking.contactName} {booking.contactPhone}
                    </td>
                    <td>{booking.channelLabel}</td>
                    <td>{booking.statusLabel}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </article>
  );
}
