import { Link } from "@remix-run/react";
import type { VenueWeek } from "~/domain/venues/venue-week.server";

// A venue's week of free and taken time, on its page and beside the 预约 form. Taken time is only
// times: the domain hands over nothing of who holds it.

export function VenueWeekList({
  week,
  headingId,
  title,
  linkTo,
}: {
  week: VenueWeek;
  headingId: string;
  title: string;
  /** The address of another week (?from=…), keeping the page's other query fields. */
  linkTo: (from: string) => string;
}) {
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <p>
        <Link to={linkTo(week.previous)}>← 上一周</Link> · <Link to={linkTo(week.next)}>下一周 →</Link>
      </p>
      <ol className="community-list venue-week">
        {week.days.map((day) => (
          <li key={day.date}>
            <strong>
              {day.date}（{day.weekday}）{day.relative ? ` ${day.relative}` : null}
            </strong>
            <br />
            {!day.open ? (
              "不开放"
            ) : day.past ? (
              "已过，不能再预约"
            ) : (
              <>
                空闲：{day.free.length ? <Ranges ranges={day.free} /> : "已约满"}
                {day.taken.length ? (
                  <>
                    <br />
                    已被预约：
                    <Ranges ranges={day.taken} />
                  </>
                ) : null}
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Clock ranges joined by 、, none broken across lines ("14:00–" here, "21:00" on the next line
 * is hard to read in large type). */
function Ranges({ ranges }: { ranges: string[] }) {
  return (
    <>
      {ranges.map((range, index) => (
        <span key={range}>
          {index > 0 ? "、" : null}
          <span className="nowrap">{range}</span>
        </span>
      ))}
    </>
  );
}

/** A booking's group size and contact, for the staff's pages (a phone number they can tap to call). */
export function BookingContactFacts({
  booking,
}: {
  booking: { expectedPersons: number; contactName: string; contactPhone: string };
}) {
  return (
    <>
      <dt>预计人数</dt>
      <dd>{booking.expectedPersons} 人</dd>
      <dt>联系人</dt>
      <dd>
        {booking.contactName}{" "}
        <a className="nowrap" href={`tel:${booking.contactPhone}`}>
          {booking.contactPhone}
        </a>
      </dd>
    </>
  );
}
