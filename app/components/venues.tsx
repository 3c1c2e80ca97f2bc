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
      <ol className="community-list">
        {week.days.map((day) => (
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
  );
}
