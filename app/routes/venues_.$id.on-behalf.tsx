import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ChoiceGroup, Field, FormMessage, RadioGroup, TextAreaField } from "~/components/form";
import { bookingFormErrors, menuCheckboxName, readBookingForm } from "~/domain/venues/booking-form";
import { createBooking } from "~/domain/venues/bookings.server";
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
        <Field name="date" label="日期" type="date" defaultValue={value("date")} errors={errors} required />
        <Field
          name="startTime"
          label="开始时间"
          type="time"
          hint="北京时间，须在开放时间内"
          step={300}
          defaultValue={value("startTime")}
          errors={errors}
          required
        />
        <Field
          name="endTime"
          label="结束时间"
          type="time"
          step={300}
          defaultValue={value("endTime")}
          errors={errors}
          required
        />
        <Field
          name="groupName"
          label="团体名称"
          hint="如：XX公司党支部"
          maxLength={60}
          defaultValue={value("groupName")}
          errors={errors}
          required
        />
        <Field
          name="expectedPersons"
          label="预计人数"
          hint={`本阵地最多容纳 ${venue.capacity} 人`}
          inputMode="numeric"
          maxLength={5}
          defaultValue={value("expectedPersons")}
          errors={errors}
          required
        />
        <Field
          name="contactName"
          label="联系人"
          maxLength={30}
          defaultValue={value("contactName")}
          errors={errors}
          required
        />
        <Field
          name="contactPhone"
          label="联系电话"
          type="tel"
          inputMode="tel"
          maxLength={20}
          defaultValue={value("contactPhone")}
          errors={errors}
          required
        />
        <TextAreaField
          name="purpose"
          label="活动内容"
          maxLength={500}
          rows={3}
          defaultValue={value("purpose")}
          errors={errors}
          required
        />
        {venue.menu.length > 0 ? (
          <ChoiceGroup name="menuItemIds" legend="预约项目（可多选）" errors={errors}>
            {venue.menu.map((item) => (
              <label key={item.id} className="choice">
                <input
                  type="checkbox"
                  name={menuCheckboxName(item.id)}
                  value="on"
                  defaultChecked={value(menuCheckboxName(item.id)) !== ""}
                />
                <span>
                  {item.title}（约 {item.minutes} 分钟
                  {item.maxGroupSize ? `，每批最多 ${item.maxGroupSize} 人` : ""}）
                </span>
              </label>
            ))}
          </ChoiceGroup>
        ) : null}
        <button type="submit" className="button button--primary button--block button--big">
          登记预约
        </button>
      </Form>
    </section>
  );
}
