import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { VenueForm } from "~/components/venue-form";
import { NEW_VENUE_VALUES, onFormFields, parseVenueForm, withMoreMenuRows } from "~/domain/venues/venue-form";
import { venuePlaceChoices } from "~/domain/venues/venue-staff.server";
import { createVenueSchema } from "~/domain/venues/venues.schema";
import { createVenue } from "~/domain/venues/venues.server";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, readForm } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "新建阵地 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => ({ places: await venuePlaceChoices(await requirePageActor(request)) }));
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    await venuePlaceChoices(actor);
    form = await readForm(request);
    if (form.intent === "more-menu") return data(withMoreMenuRows(form));
    const { input, rowOf } = parseVenueForm(createVenueSchema, form);
    const { venue } = await createVenue(actor, input).catch((error: unknown) => {
      throw onFormFields(error, rowOf);
    });
    return redirect(`/venues/${venue.id}/manage?done=created`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function NewVenuePage() {
  const { places } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section className="card narrow-wide" aria-labelledby="new-venue-title">
      <p>
        <Link to="/venues">← 返回阵地列表</Link>
      </p>
      <h1 id="new-venue-title">新建阵地</h1>
      <p className="lead">填好阵地信息、开放时间和可预约项目。保存后，居民和团体就能在“阵地”里看到并预约。</p>
      <VenueForm mode="create" defaults={NEW_VENUE_VALUES} failure={failure} places={places} />
    </section>
  );
}
