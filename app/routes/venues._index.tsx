import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { can } from "~/domain/policy";
import { VENUE_APPROVAL_LABELS } from "~/domain/venues/venues.schema";
import { listVenues, type VenueView } from "~/domain/venues/venues.server";
import { getActor } from "~/http/auth.server";
import { pageData } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "阵地预约 · 三社联动服务平台" }];

/** The district has a few dozen venues: one page holds them all, grouped by subdistrict. */
const ALL = { page: 1, pageSize: 100 };

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    // Staff find 新建阵地 here; whether they may open one at a given place is asked on that page.
    const staff = can(await getActor(request), "workbench.open", null);
    const { items, total } = await listVenues(ALL);
    const groups: { subdistrictName: string; venues: VenueView[] }[] = [];
    for (const venue of items) {
      const group = groups.find((g) => g.subdistrictName === venue.subdistrictName);
      if (group) group.venues.push(venue);
      else groups.push({ subdistrictName: venue.subdistrictName, venues: [venue] });
    }
    return { groups, total, staff };
  });
}

export default function VenuesPage() {
  const { groups, total, staff } = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="venues-title">
      <h1 id="venues-title">阵地预约</h1>
      <p>党群服务中心、开放式组织生活基地和社区活动室向党组织、社会组织和居民团体开放。共 {total} 处阵地。</p>
      {staff ? (
        <p>
          <Link className="button" to="/venues/new">
            新建阵地
          </Link>
        </p>
      ) : null}
      {groups.length === 0 ? <p>暂无开放的阵地。</p> : null}
      {groups.map((group) => (
        <section key={group.subdistrictName} className="card" aria-label={group.subdistrictName}>
          <h2>{group.subdistrictName}</h2>
          <ul className="community-list">
            {group.venues.map((venue) => (
              <li key={venue.id}>
                <Link to={`/venues/${venue.id}`}>{venue.name}</Link>
                <br />
                {venue.communityName ? `${venue.communityName} · ` : ""}可容纳 {venue.capacity} 人 ·{" "}
                {VENUE_APPROVAL_LABELS[venue.approval]}
                <br />
                {venue.address}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </article>
  );
}
