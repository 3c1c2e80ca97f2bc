import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatTimeRange } from "~/components/activities";
import { Field, FormMessage } from "~/components/form";
import { BookingContactFacts } from "~/components/venues";
import type { Actor } from "~/domain/accounts/actor";
import { confirmBooking, declineBooking, recordAttendance } from "~/domain/venues/booking-review.server";
import { type BookingView, visibleBooking } from "~/domain/venues/booking-rows.server";
import { bookingQueue } from "~/domain/venues/venue-staff.server";
import {
  attendanceSchema,
  BOOKING_CHANNEL_LABELS,
  declineBookingSchema,
} from "~/domain/venues/venues.schema";
import { requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntentThenRedirect } from "~/http/route.server";
import { formatTime } from "~/lib/format";
import { idSchema, z } from "~/lib/zod";

// 工作台 → 预约审核: the requests waiting in the staff member's scope, oldest first (confirm, or
// decline with a reason), and the confirmed bookings that have begun, waiting for 到场人数 (which
// completes them and counts them in the figures). Each answer leads back here by redirect (a reload
// repeats nothing), which says what was done to which booking.

export const meta: MetaFunction = () => [{ title: "预约审核 · 工作台" }];

const bookingIdSchema = z.object({ bookingId: idSchema("请选择预约") });

const shown = (booking: BookingView) => ({
  ...booking,
  timeText: formatTimeRange(booking.startsAt, booking.endsAt),
  channelLabel: booking.channel ? BOOKING_CHANNEL_LABELS[booking.channel] : "",
  createdText: formatTime(booking.createdAt),
  answerByText: booking.answerBy ? formatTime(booking.answerBy) : null,
});

const named = (booking: BookingView) =>
  `“${booking.groupName}” ${formatTimeRange(booking.startsAt, booking.endsAt)}`;

/** What each answer did, said of the booking it was given to. */
const DONE: Record<string, (booking: BookingView) => string> = {
  confirmed: (booking) => `已确认${named(booking)}。`,
  declined: (booking) => `已不通过${named(booking)}，预约人会收到原因。`,
  attended: (booking) => `已登记${named(booking)}到场 ${booking.attended} 人，预约已完成。`,
};

/** The message of the answer the page was redirected after (?done=…&booking=…), if any. */
async function noticeOf(actor: Actor, search: URLSearchParams) {
  const done = search.get("done") ?? "";
  const say = Object.hasOwn(DONE, done) ? DONE[done] : undefined;
  if (!say) return null;
  const booking = await visibleBooking(actor, search.get("booking") ?? "");
  return booking ? say(booking) : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const { requests, attendance } = await bookingQueue(actor);
    return {
      notice: await noticeOf(actor, new URL(request.url).searchParams),
      requests: { total: requests.total, items: requests.items.map(shown) },
      attendance: { total: attendance.total, items: attendance.items.map(shown) },
    };
  });
}

const back = (done: string, booking: { id: string }) =>
  `/workbench/bookings?${new URLSearchParams({ done, booking: booking.id })}`;

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  return runIntentThenRedirect(request, {
    confirm: async (form) => {
      const { bookingId } = parseInput(bookingIdSchema, form);
      return back("confirmed", (await confirmBooking(actor, bookingId)).booking);
    },
    decline: async (form) => {
      const { bookingId, reason } = parseInput(bookingIdSchema.extend(declineBookingSchema.shape), form);
      return back("declined", (await declineBooking(actor, bookingId, { reason })).booking);
    },
    attendance: async (form) => {
      const { bookingId, attended } = parseInput(bookingIdSchema.extend(attendanceSchema.shape), form);
      return back("attended", (await recordAttendance(actor, bookingId, { attended })).booking);
    },
  });
}

type Shown = ReturnType<typeof shown>;

function BookingFacts({ booking }: { booking: Shown }) {
  return (
    <dl className="facts">
      <dt>阵地</dt>
      <dd>
        <Link to={`/venues/${booking.venueId}/manage`}>{booking.venueName}</Link>
      </dd>
      <dt>时间</dt>
      <dd>{booking.timeText}</dd>
      <BookingContactFacts booking={booking} />
      <dt>活动内容</dt>
      <dd>{booking.purpose}</dd>
      <dt>渠道</dt>
      <dd>
        {booking.channelLabel} · {booking.createdText} 提交
      </dd>
    </dl>
  );
}

/** One booking of a list: who, what, when, and the forms that act on it. */
function BookingCard({ booking, children }: { booking: Shown; children: ReactNode }) {
  return (
    <li>
      <article className="card" aria-labelledby={`b-${booking.id}`}>
        <h3 id={`b-${booking.id}`}>{booking.groupName}</h3>
        <BookingFacts booking={booking} />
        {children}
      </article>
    </li>
  );
}

/** A form acting on one booking; its failure (if the last post was this one) shown inside it. */
function BookingForm({
  intent,
  bookingId,
  failure,
  children,
}: {
  intent: string;
  bookingId: string;
  failure?: { formError: string };
  children: ReactNode;
}) {
  return (
    <Form method="post" noValidate className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="bookingId" value={bookingId} />
      <FormMessage message={failure?.formError} />
      {children}
    </Form>
  );
}

/** A queue lists its first items only: say so, so nobody thinks the rest is lost. */
function MoreWaiting({ shown, total }: { shown: number; total: number }) {
  return total > shown ? (
    <p role="note">{`先列出最早的${shown}条，处理后会列出其余的${total - shown}条。`}</p>
  ) : null;
}

export default function BookingQueuePage() {
  const { notice, requests, attendance } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  // A failure is said in the form it came from when that form is on the page; else (a booking
  // answered meanwhile, an intent its row does not offer) at the top.
  const formsShown = new Set([
    ...requests.items.flatMap((booking) => [`confirm:${booking.id}`, `decline:${booking.id}`]),
    ...attendance.items.map((booking) => `attendance:${booking.id}`),
  ]);
  /** A failed post's errors and typed values belong to the one row it came from. */
  const failedFor = (intent: string, id: string) =>
    failed?.values.intent === intent && failed.values.bookingId === id ? failed : undefined;
  return (
    <>
      <p>
        <Link to="/workbench">← 返回工作台</Link>
      </p>
      <h1>预约审核</h1>
      <p className="lead">辖区内阵地的预约申请，提交最早的排在最前；预约开始后登记到场人数。</p>
      <FormMessage tone="success" message={failed ? null : notice} />
      {failed && !formsShown.has(`${failed.values.intent}:${failed.values.bookingId}`) ? (
        <FormMessage message={failed.formError} />
      ) : null}
      <h2>待审核（{requests.total}）</h2>
      <MoreWaiting shown={requests.items.length} total={requests.total} />
      {requests.items.length === 0 ? (
        <p className="card">没有待审核的预约。</p>
      ) : (
        <ul className="plain-list">
          {requests.items.map((booking) => {
            const declineFailure = failedFor("decline", booking.id);
            return (
              <BookingCard key={booking.id} booking={booking}>
                {booking.answerByText ? <p>请在 {booking.answerByText} 前处理，逾期申请自动过期。</p> : null}
                <BookingForm
                  intent="confirm"
                  bookingId={booking.id}
                  failure={failedFor("confirm", booking.id)}
                >
                  <button type="submit" className="button button--primary">
                    确认预约
                  </button>
                </BookingForm>
                {/* 不通过 behind a disclosure, apart from 确认预约: one tap must not decline. */}
                <details open={declineFailure ? true : undefined}>
                  <summary>不通过（需填写原因）</summary>
                  <BookingForm intent="decline" bookingId={booking.id} failure={declineFailure}>
                    <Field
                      name="reason"
                      idPrefix={`${booking.id}-`}
                      label="不通过的原因"
                      hint="预约人会看到，如：当天另有安排"
                      maxLength={200}
                      defaultValue={declineFailure?.values.reason ?? ""}
                      errors={declineFailure?.fieldErrors}
                      required
                    />
                    <button type="submit" className="button button--danger">
                      不通过
                    </button>
                  </BookingForm>
                </details>
              </BookingCard>
            );
          })}
        </ul>
      )}
      <h2>待登记到场人数（{attendance.total}）</h2>
      <MoreWaiting shown={attendance.items.length} total={attendance.total} />
      {attendance.items.length === 0 ? (
        <p className="card">没有已开始、待登记到场人数的预约。</p>
      ) : (
        <ul className="plain-list">
          {attendance.items.map((booking) => {
            const attendanceFailure = failedFor("attendance", booking.id);
            return (
              <BookingCard key={booking.id} booking={booking}>
                <BookingForm intent="attendance" bookingId={booking.id} failure={attendanceFailure}>
                  <Field
                    name="attended"
                    idPrefix={`${booking.id}-`}
                    label="到场人数"
                    inputMode="numeric"
                    maxLength={5}
                    defaultValue={attendanceFailure?.values.attended ?? ""}
                    errors={attendanceFailure?.fieldErrors}
                    required
                  />
                  <button type="submit" className="button button--primary">
                    登记并完成
                  </button>
                </BookingForm>
              </BookingCard>
            );
          })}
        </ul>
      )}
    </>
  );
}
