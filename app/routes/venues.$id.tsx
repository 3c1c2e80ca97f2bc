import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { VenueWeekList } from "~/components/venues";
import { venueWeek } from "~/domain/venues/venue-week.server";
import { VENUE_APPROVAL_LABELS, WEEKDAY_LABELS } from "~/domain/venues/venues.schema";
import { getVenue } from "~/domain/venues/venues.server";
import { pageData } from "~/http/route.server";
import { chinaDay } from "~/lib/china-time";
import { daySchema } from "~/lib/zod";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.venue.name ?? "阵地"} · 三社联动服务平台` },
];

/** The venue, its menu, and one week of free and taken time from ?from= (today in China when absent
 * or not a date). Taken time says nothing of who holds it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const { venue } = await getVenue(params.id ?? "");
    const asked = daySchema("开始日期").safeParse(new URL(request.url).searchParams.get("from") ?? "");
    const from = asked.success ? asked.data : chinaDay(new Date());
    return { venue, week: await venueWeek(venue.id, from) };
  });
}

export default function VenuePage() {
  const { venue, week } = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="venue-title">
      <p>
        <Link to="/venues">← 返回阵地列表</Link>
      </p>
      <h1 id="venue-title">{venue.name}</h1>
      {venue.openingHours.length > 0 ? (
        <p>
          <Link className="button button--primary button--big" to={`/venues/${venue.id}/book`}>
            预约此阵地
          </Link>
        </p>
      ) : null}
      <section className="card" aria-labelledby="venue-about">
        <h2 id="venue-about">阵地介绍</h2>
        <p>{venue.description}</p>
        <dl className="facts">
          <dt>所在</dt>
          <dd>
            {venue.subdistrictName}
            {venue.communityName ? ` · ${venue.communityName}` : ""}
          </dd>
          <dt>地址</dt>
          <dd>{venue.address}</dd>
          <dt>容纳人数</dt>
          <dd>{venue.capacity} 人</dd>
          <dt>预约方式</dt>
          <dd>
            {VENUE_APPROVAL_LABELS[venue.approval]}，最多可提前 {venue.maxLeadDays} 天预约
          </dd>
          <dt>开放时间</dt>
          <dd>
            {venue.openingHours.length === 0
              ? "暂不开放"
              : venue.openingHours.map((range) => (
                  <span key={`${range.weekday}-${range.opens}`}>
                    {WEEKDAY_LABELS[range.weekday]} {range.opens}–{range.closes}
                    <br />
                  </span>
                ))}
          </dd>
        </dl>
      </section>
      {venue.menu.length > 0 ? (
        <section className="card" aria-labelledby="venue-menu">
          <h2 id="venue-menu">可预约项目</h2>
          <ul className="community-list">
            {venue.menu.map((item) => (
              <li key={item.id}>
                {item.title}：约 {item.minutes} 分钟
                {item.maxGroupSize ? `，每批最多 ${item.maxGroupSize} 人` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <VenueWeekList
        week={week}
        headingId="venue-week"
        title="本周空闲时间"
        linkTo={(from) => `?from=${from}`}
      />
    </article>
  );
}
