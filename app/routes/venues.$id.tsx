import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { managesVenue } from "~/domain/venues/venue-staff.server";
import { VENUE_APPROVAL_LABELS, WEEKDAY_LABELS } from "~/domain/venues/venues.schema";
import { getVenue, venueAvailability } from "~/domain/venues/venues.server";
import { getActor } from "~/http/auth.server";
import { pageData } from "~/http/route.server";
import { chinaDay, chinaIso, DAY_MS, isoDay } from "~/lib/china-time";
import { daySchema } from "~/lib/zod";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.venue.name ?? "阵地"} · 三社联动服务平台` },
];

type Range = { startsAt: string; endsAt: string };

/** "09:00" of an ISO moment, in China time. */
const clock = (iso: string) => chinaIso(iso).slice(11, 16);

/** The open ranges with the taken ones cut out: what a group may still book that day. */
function freeOf(open: Range[], taken: Range[]): Range[] {
  const free: Range[] = [];
  for (const range of open) {
    let from = range.startsAt;
    for (const held of taken) {
      if (held.endsAt <= from || held.startsAt >= range.endsAt) continue;
      if (held.startsAt > from) free.push({ startsAt: from, endsAt: held.startsAt });
      if (held.endsAt > from) from = held.endsAt;
    }
    if (from < range.endsAt) free.push({ startsAt: from, endsAt: range.endsAt });
  }
  return free;
}

/** The venue, its menu, and one week of free and taken time from ?from= (today in China when absent
 * or not a date). Taken time says nothing of who holds it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const { venue } = await getVenue(params.id ?? "");
    const asked = daySchema("开始日期").safeParse(new URL(request.url).searchParams.get("from") ?? "");
    const from = asked.success ? asked.data : chinaDay(new Date());
    const to = new Date(from.getTime() + 6 * DAY_MS);
    const { days } = await venueAvailability(venue.id, { from, to });
    return {
      venue,
      manages: await managesVenue(await getActor(request), venue.id),
      days: days.map((day) => ({
        date: day.date,
        weekday: WEEKDAY_LABELS[((new Date(day.date).getUTCDay() + 6) % 7) + 1],
        open: day.open.length > 0,
        free: freeOf(day.open, day.taken).map((r) => `${clock(r.startsAt)}–${clock(r.endsAt)}`),
        taken: day.taken.map((r) => `${clock(r.startsAt)}–${clock(r.endsAt)}`),
      })),
      previous: isoDay(new Date(from.getTime() - 7 * DAY_MS)),
      next: isoDay(new Date(from.getTime() + 7 * DAY_MS)),
    };
  });
}

export default function VenuePage() {
  const { venue, manages, days, previous, next } = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="venue-title">
      <p>
        <Link to="/venues">← 返回阵地列表</Link>
      </p>
      <h1 id="venue-title">{venue.name}</h1>
      {manages ? (
        <p>
          <Link to={`/venues/${venue.id}/manage`}>阵地管理：修改、暂停开放、代订</Link>
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
      <section className="card" aria-labelledby="venue-week">
        <h2 id="venue-week">本周空闲时间</h2>
        <p>
          <Link to={`?from=${previous}`}>← 上一周</Link> · <Link to={`?from=${next}`}>下一周 →</Link>
        </p>
        <ol className="community-list">
          {days.map((day) => (
            <li key={day.date}>
              <strong>
                {day.date}（{day.weekday}）
              </strong>
              <br />
              {!day.open ? (
                "不开放"
              ) : (
                <>
                  空闲：{day.free.length ? day.free.join("、") : "已约满"}
                  {day.taken.length ? (
                    <>
                      <br />
                      已被预约：{day.taken.join("、")}
                    </>
                  ) : null}
                </>
              )}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
