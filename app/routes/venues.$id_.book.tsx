import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BookingFields } from "~/components/booking-fields";
import { Field, FormMessage, RadioGroup } from "~/components/form";
import { VenueWeekList } from "~/components/venues";
import { bookingFormErrors, readBookingForm } from "~/domain/venues/booking-form";
import { createBooking } from "~/domain/venues/booking-requests.server";
import { bookingContactOf } from "~/domain/venues/my-bookings.server";
import { nearestFreeTimes, venueWeek } from "~/domain/venues/venue-week.server";
import {
  createBookingSchema,
  MAX_SERIES_DAYS,
  REPEAT_LABELS,
  REPEATS,
  VENUE_APPROVAL_LABELS,
} from "~/domain/venues/venues.schema";
import { getVenue } from "~/domain/venues/venues.server";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, parseInput, readForm, STATUS_OF } from "~/http/route.server";
import { chinaDay, DAY_MS, isoDay } from "~/lib/china-time";
import { DomainError, validationError } from "~/lib/errors";
import { daySchema } from "~/lib/zod";

// /venues/:id/book, 预约阵地 (issue 19): a signed-in person books a day and a time inside the opening
// hours, once or as a weekly series, through the same schema and domain function as the API. Once
// booked, it leads to the booking's page (/me/bookings/:id), which lists every date booked and every
// date that could not be, with the reason.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `预约${data?.venue.name ?? "阵地"} · 三社联动服务平台` },
];

const REPEAT_OPTIONS = [
  { value: "NONE", label: "不重复" },
  ...REPEATS.map((repeat) => ({ value: repeat, label: REPEAT_LABELS[repeat] })),
];

/** The venue, the week around the day asked (?date= or ?from=, else today), and what the form starts
 * with: the account's contact, and a day and times when a suggested free time was followed. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const { venue } = await getVenue(params.id ?? "");
    const search = new URL(request.url).searchParams;
    const day = (name: string) => {
      const parsed = daySchema("日期").safeParse(search.get(name) ?? "");
      return parsed.success ? parsed.data : null;
    };
    const today = chinaDay(new Date());
    const date = day("date");
    const from = day("from") ?? date ?? today;
    const clock = (name: string) => (/^\d{2}:\d{2}$/.test(search.get(name) ?? "") ? search.get(name) : null);
    return {
      venue,
      week: await venueWeek(venue.id, from),
      contact: await bookingContactOf(actor),
      suggested: { date: date ? isoDay(date) : "", start: clock("start"), end: clock("end") },
      minDate: isoDay(today),
      maxDate: isoDay(new Date(today.getTime() + venue.maxLeadDays * DAY_MS)),
      lastRepeatDate: isoDay(new Date(today.getTime() + (venue.maxLeadDays + MAX_SERIES_DAYS) * DAY_MS)),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const venueId = params.id ?? "";
  let form: Record<string, string> = {};
  let asked: { startsAt: Date; endsAt: Date } | null = null;
  try {
    form = await readForm(request);
    const input = parseInput(createBookingSchema, readBookingForm(form, venueId));
    asked = input;
    const result = await createBooking(actor, input);
    // POST-redirect-GET: the booking's own page says what was booked, and a reload books nothing.
    const skipped = (result.series?.conflicts ?? []).map((conflict) => conflict.startsAt);
    const query = new URLSearchParams({
      done: "booked",
      ...(skipped.length ? { skipped: skipped.join(",") } : {}),
    });
    return redirect(`/me/bookings/${result.booking.id}?${query}`);
  } catch (thrown) {
    if (!(thrown instanceof DomainError)) return formFailure(thrown, form);
    if (thrown.code === "VALIDATION" && thrown.fields) {
      return formFailure(validationError(bookingFormErrors(thrown.fields, form), thrown.message), form);
    }
    if (thrown.code !== "SLOT_TAKEN" || !asked) return formFailure(thrown, form);
    // Taken: said on the time itself, with the nearest free times a click away.
    const alternatives = await nearestFreeTimes(venueId, asked);
    return data(
      {
        ok: false as const,
        formError: thrown.message,
        fieldErrors: { startTime: "该时段已被预约或暂停开放，请换一个时间" },
        values: form,
        alternatives,
      },
      { status: STATUS_OF.SLOT_TAKEN },
    );
  }
}

export default function BookVenuePage() {
  const { venue, week, contact, suggested, minDate, maxDate, lastRepeatDate } =
    useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = answer?.fieldErrors;
  const typed = answer?.values;
  const value = (name: string, fallback = "") => typed?.[name] ?? fallback;
  const prefilled: Record<string, string | undefined> = {
    date: suggested.date,
    startTime: suggested.start ?? undefined,
    endTime: suggested.end ?? undefined,
    contactName: contact.contactName,
    contactPhone: contact.contactPhone,
  };
  const alternatives = answer && "alternatives" in answer ? answer.alternatives : [];
  return (
    <article aria-labelledby="book-title">
      <p>
        <Link to={`/venues/${venue.id}`}>← 返回{venue.name}</Link>
      </p>
      <h1 id="book-title">预约{venue.name}</h1>
      <p className="lead">
        {VENUE_APPROVAL_LABELS[venue.approval]}；容纳 {venue.capacity} 人，最多可提前 {venue.maxLeadDays}{" "}
        天预约。
      </p>
      <FormMessage message={answer?.formError} errors={errors} />
      {alternatives.length > 0 ? (
        <section className="card" aria-labelledby="alternatives-title">
          <h2 id="alternatives-title">附近还空着的时间</h2>
          <ul className="community-list">
            {alternatives.map((free) => (
              <li key={`${free.date}-${free.startTime}`}>
                <Link to={`?date=${free.date}&start=${free.startTime}&end=${free.endTime}`}>
                  {free.date} {free.startTime}–{free.endTime}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {/* The free time first: a group picks a time there, then fills the form in. */}
      <VenueWeekList
        week={week}
        headingId="venue-week"
        title="本周空闲时间"
        linkTo={(from) => `?from=${from}`}
      />
      <section className="card narrow" aria-labelledby="book-form-title">
        <h2 id="book-form-title">填写预约</h2>
        <Form method="post" noValidate>
          <BookingFields
            venue={venue}
            value={(name) => value(name, prefilled[name])}
            errors={errors}
            day={{ min: minDate, max: maxDate, hint: "空闲时间见上方“本周空闲时间”" }}
            contactPhoneHint="只有您和阵地工作人员能看到完整号码"
          />
          <RadioGroup
            name="repeat"
            legend="重复预约"
            hint="每周固定活动的团体可一次预约半年内的日期"
            options={REPEAT_OPTIONS}
            defaultValue={value("repeat", "NONE")}
            errors={errors}
          />
          <Field
            name="repeatUntil"
            label="重复到哪一天（选择重复时填写）"
            type="date"
            hint="最长6个月；已被预约的日期会列出来，不会悄悄跳过"
            min={minDate}
            max={lastRepeatDate}
            defaultValue={value("repeatUntil")}
            errors={errors}
          />
          <button type="submit" className="button button--primary button--block" disabled={busy}>
            {busy ? "正在提交…" : "提交预约"}
          </button>
        </Form>
      </section>
    </article>
  );
}
