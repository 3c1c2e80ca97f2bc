import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { VenueForm } from "~/components/venue-form";
import { onFormFields, parseVenueForm, venueFormValues, withMoreMenuRows } from "~/domain/venues/venue-form";
import { venueForStaff } from "~/domain/venues/venue-staff.server";
import { updateVenueSchema } from "~/domain/venues/venues.schema";
import { updateVenue } from "~/domain/venues/venues.server";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, readForm } from "~/http/route.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: `修改${loaded?.venue.name ?? "阵地"} · 三社联动服务平台` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const venue = await venueForStaff(await requirePageActor(request), params.id ?? "");
    return { venue: { id: venue.id, name: venue.name }, defaults: venueFormValues(venue) };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    const venue = await venueForStaff(actor, params.id ?? "");
    form = await readForm(request);
    if (form.intent === "more-menu") return data(withMoreMenuRows(form));
    const { input, rowOf } = parseVenueForm(updateVenueSchema, form);
    await updateVenue(actor, venue.id, input).catch((error: unknown) => {
      throw onFormFields(error, rowOf);
    });
    return redirect(`/venues/${venue.id}/manage?done=saved`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function EditVenuePage() {
  const { venue, defaults } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section className="card narrow-wide" aria-labelledby="edit-venue-title">
      <p>
        <Link to={`/venues/${venue.id}/manage`}>← 返回阵地管理</Link>
      </p>
      <h1 id="edit-venue-title">修改阵地：{venue.name}</h1>
      <p className="lead">修改后的开放时间和项目对新的预约生效；已有的预约不受影响。</p>
      <VenueForm mode="edit" defaults={defaults} failure={failure} />
    </section>
  );
}
