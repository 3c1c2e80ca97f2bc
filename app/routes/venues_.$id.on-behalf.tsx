import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BookingFields } from "~/components/booking-fields";
import { FormMessage, RadioGroup } from "~/components/form";
import { bookingFormErrors, readBookingForm } from "~/domain/venues/booking-form";
import { createBooking } from "~/domain/venues/booking-requests.server";
import { venueForStaff } from "~/domain/venues/venue-staff.server";
import { BOOKING_CHANNEL_LABELS, createBookingSchema, STAFF_CHANNELS } from "~/domain/venues/venues.schema";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, parseInput, readForm } from "~/http/route.server";
import { DomainError, validationError } from "~/lib/errors";

// 代订: staff enter a booking that came by phone or on a paper form, for a group without an account.
// The booking has no booker and holds at once (staff in scope are the ones who would approve it).
// Whether the actor may enter one is the domain's rule: a resident's post is refused there (403).

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `代订：${data?.venue.name ?? "阵地"} · 三社联动服务平台` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const venue = await venueForStaff(
      await requirePageActor(request),
      params.id ?? "",
      "booking.enterOnBehalf",
    );
    return { venue: { id: venue.id, name: venue.name, capacity: venue.capacity, menu: venue.menu } };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    // This form enters the staff channels only: a web booking is the booker's own form.
    const channel = STAFF_CHANNELS.find((staffChannel) => staffChannel === form.channel);
    if (!channel) throw validationError({ channel: "请选择电话代订或纸质登记" });
    const body = { ...readBookingForm(form, params.id ?? ""), channel, repeat: undefined };
    const input = parseInput(createBookingSchema, body);
    await createBooking(actor, input);
    return redirect(`/venues/${input.venueId}/manage?done=booked`);
  } catch (error) {
    // The day and clock fields are the booker's form's: its reader puts the errors back on them.
    if (error instanceof DomainError && error.code === "VALIDATION" && error.fields) {
      return formFailure(validationError(bookingFormErrors(error.fields, form), error.message), form);
    }
    return formFailure(error, form);
  }
}

export default function OnBehalfBookingPage() {
  const { venue } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errors = failure?.fieldErrors;
  const value = (name: string) => failure?.values[name] ?? "";
  return (
    <section className="card narrow-wide" aria-labelledby="on-behalf-title">
      <p>
        <Link to={`/venues/${venue.id}/manage`}>← 返回阵地管理</Link>
      </p>
      <h1 id="on-behalf-title">代订：{venue.name}</h1>
      <p className="lead">登记打电话或填纸质登记表预约的团体。登记后预约直接确认，不需要再审核。</p>
      <Form method="post" noValidate>
        <FormMessage message={failure?.formError} errors={errors} />
        <RadioGroup
          name="channel"
          legend="预约渠道"
          options={STAFF_CHANNELS.map((channel) => ({
            value: channel,
            label: BOOKING_CHANNEL_LABELS[channel],
          }))}
          defaultValue={value("channel") || "PHONE"}
          errors={errors}
        />
        <BookingFields venue={venue} value={value} errors={errors} />
        <button type="submit" className="button button--primary button--block button--big">
          登记预约
        </button>
      </Form>
    </section>
  );
}
