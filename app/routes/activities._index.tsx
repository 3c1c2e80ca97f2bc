import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActivityCard, activityLinks, formatClock, withTimeText } from "~/components/activities";
import { AreaChoices, CategoryFilter, FilterForm, PlaceFilters } from "~/components/filter-form";
import { Pager } from "~/components/pager";
import { TableScroll } from "~/components/table-scroll";
import { isStaff } from "~/domain/accounts/actor";
import { type ActivityView, activityListQuerySchema } from "~/domain/activities/activities.schema";
import { listActivities } from "~/domain/activities/activity-views.server";
import { areaChoices, homeArea, homeCommunityOf, withHomeDefault } from "~/domain/territory/home-area";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import { getActor } from "~/http/auth.server";
import { pageData } from "~/http/route.server";
import { chinaDate, chinaMidnight } from "~/lib/china-time";
import type { FieldErrors } from "~/lib/errors";
import { fieldErrorsFrom } from "~/lib/zod";

export const meta: MetaFunction = () => [{ title: "社区活动 · 三社联动服务平台" }];
export const links = activityLinks;

const FILTERS = ["category", "subdistrictId", "communityId"] as const;
/** A month rarely has more; beyond it the calendar says so and points to the list. */
const CALENDAR_LIMIT = 300;
const WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

type Month = { year: number; month: number };
type CalendarItem = { id: string; title: string; time: string; cancelled: boolean; statusLabel: string };
type CalendarCell = { day: number; date: string; items: CalendarItem[] } | null;

const monthKey = ({ year, month }: Month) => `${year}-${String(month).padStart(2, "0")}`;
const shiftMonth = ({ year, month }: Month, by: number): Month => {
  const index = year * 12 + (month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
};

/** ?month=2026-12, or this month in China when absent; null when it is not a month. */
function readMonth(text: string | null): Month | null {
  if (!text) {
    const [year, month] = chinaDate(new Date()).split("-").map(Number);
    return { year: year ?? 2026, month: month ?? 1 };
  }
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  if (!match || year < 2000 || year > 2099 || month < 1 || month > 12) return null;
  return { year, month };
}

/** The month as weeks of seven cells, Monday first; days outside the month are null. */
function monthGrid({ year, month }: Month, activities: ActivityView[]): CalendarCell[][] {
  const byDay = new Map<string, CalendarItem[]>();
  for (const activity of activities) {
    const key = chinaDate(activity.startsAt);
    const items = byDay.get(key) ?? [];
    items.push({
      id: activity.id,
      title: activity.title,
      time: formatClock(activity.startsAt),
      cancelled: activity.status === "CANCELLED",
      statusLabel: activity.statusLabel,
    });
    byDay.set(key, items);
  }
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7;
  const cells: CalendarCell[] = Array.from({ length: lead }, () => null);
  for (let day = 1; day <= days; day += 1) {
    const date = `${monthKey({ year, month })}-${String(day).padStart(2, "0")}`;
    cells.push({ day, date, items: byDay.get(date) ?? [] });
  }
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, week) => cells.slice(week * 7, week * 7 + 7));
}

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const [actor, tree] = await Promise.all([getActor(request), getTerritoryTree()]);
    const home = homeArea(tree, homeCommunityOf(actor));
    const params = withHomeDefault(new URL(request.url), home).url.searchParams;
    const filters = {
      category: params.get("category") ?? "",
      subdistrictId: params.get("subdistrictId") ?? "",
      communityId: params.get("communityId") ?? "",
    } satisfies Record<(typeof FILTERS)[number], string>;
    const view = params.get("view") === "calendar" ? "calendar" : "list";
    const when = params.get("when") === "past" ? "past" : "upcoming";
    const month = view === "calendar" ? readMonth(params.get("month")) : null;
    const common = {
      tree,
      home,
      filters,
      view,
      when,
      // Staff and providers' people; the form itself says no to anyone else.
      canCreate: actor !== null && (isStaff(actor) || actor.memberships.length > 0),
    } as const;

    const parsed = activityListQuerySchema.safeParse({
      ...filters,
      page: params.get("page") ?? undefined,
      when: view === "list" ? when : undefined,
    });
    if (!parsed.success || (view === "calendar" && month === null)) {
      // A hand-edited address: say which filter is wrong instead of showing everything.
      const fieldErrors: FieldErrors = parsed.success ? {} : fieldErrorsFrom(parsed.error);
      if (view === "calendar" && month === null) fieldErrors.month = "月份格式应为 2026-12";
      return data({ ...common, fieldErrors, list: null, calendar: null }, { status: 400 });
    }

    if (month === null) {
      const list = await listActivities(actor, parsed.data);
      return {
        ...common,
        fieldErrors: {},
        list: { ...list, items: list.items.map(withTimeText) },
        calendar: null,
      };
    }
    // Calendar: the month in China time, every published activity starting in it.
    const from = chinaMidnight(new Date(Date.UTC(month.year, month.month - 1, 1)));
    const to = chinaMidnight(new Date(Date.UTC(month.year, month.month, 1)));
    const found = await listActivities(actor, {
      ...parsed.data,
      from,
      to,
      page: 1,
      pageSize: CALENDAR_LIMIT,
    });
    return {
      ...common,
      fieldErrors: {},
      list: null,
      calendar: {
        month: monthKey(month),
        label: `${month.year}年${month.month}月`,
        prev: monthKey(shiftMonth(month, -1)),
        next: monthKey(shiftMonth(month, 1)),
        today: chinaDate(new Date()),
        weeks: monthGrid(month, found.items),
        total: found.total,
        truncated: found.total > found.items.length,
      },
    };
  });
}

export default function ActivitiesPage() {
  const { tree, home, filters, view, when, canCreate, fieldErrors, list, calendar } =
    useLoaderData<typeof loader>();
  const filtered = FILTERS.some((name) => filters[name]);
  /** For a resident an address without a place means her community, so 全区 is kept as an empty one. */
  const wide: [string, string][] =
    home && !filters.subdistrictId && !filters.communityId ? [["communityId", ""]] : [];
  const filterParams = [...Object.entries(filters).filter(([, value]) => value), ...wide];
  /** Whether the filters differ from what the bare address shows (her community, or everything). */
  const changed = Boolean(
    filters.category || filters.subdistrictId || filters.communityId !== (home?.community.id ?? ""),
  );
  /** An address of this page keeping the filters. */
  const href = (extra: Record<string, string>) => {
    const params = new URLSearchParams([...filterParams, ...Object.entries(extra)]);
    return `/activities?${params}`;
  };
  /** The same view and category in another area (本社区 / 本街道 / 全区). */
  const areaHref = (place: Record<string, string>) => {
    const state = view === "calendar" ? { view, ...(calendar ? { month: calendar.month } : {}) } : { when };
    const category: [string, string][] = filters.category ? [["category", filters.category]] : [];
    return `/activities?${new URLSearchParams([...category, ...Object.entries(place), ...Object.entries(state)])}`;
  };
  const tabs = [
    { label: "即将开始", to: href({ when: "upcoming" }), current: view === "list" && when === "upcoming" },
    { label: "往期活动", to: href({ when: "past" }), current: view === "list" && when === "past" },
    { label: "日历", to: href({ view: "calendar" }), current: view === "calendar" },
  ];
  const failed = list === null && calendar === null;
  return (
    <>
      <h1>社区活动</h1>
      <p className="lead">社区和社会组织举办的活动。看中了就报名，到场时出示签到码。</p>
      {canCreate ? (
        <p className="actions">
          <Link className="button button--primary" to="/activities/new">
            新建活动
          </Link>
          <Link className="button" to="/workbench/activities">
            我组织的活动
          </Link>
        </p>
      ) : null}
      <nav className="tabs" aria-label="活动分类">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.label}>
              <Link className="tabs__link" to={tab.to} aria-current={tab.current ? "page" : undefined}>
                {tab.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <FilterForm
        label="筛选活动"
        clearTo={changed ? (view === "calendar" ? "/activities?view=calendar" : "/activities") : null}
      >
        {view === "calendar" ? (
          <>
            <input type="hidden" name="view" value="calendar" />
            {calendar ? <input type="hidden" name="month" value={calendar.month} /> : null}
          </>
        ) : (
          <input type="hidden" name="when" value={when} />
        )}
        <CategoryFilter label="活动类别" value={filters.category} errors={fieldErrors} />
        <PlaceFilters
          tree={tree}
          subdistrictId={filters.subdistrictId}
          communityId={filters.communityId}
          errors={fieldErrors}
        />
      </FilterForm>
      {home ? <AreaChoices choices={areaChoices(home, filters)} hrefOf={areaHref} /> : null}

      {failed ? (
        <p className="form-message form-message--error" role="alert">
          {fieldErrors.month ? `${fieldErrors.month}。` : null}筛选条件有误，请按标出的提示重新选择。
        </p>
      ) : null}

      {list ? (
        <section aria-labelledby="results-title">
          <h2 id="results-title">{`${when === "past" ? "往期活动" : "即将开始"}：共 ${list.total} 场`}</h2>
          {list.total > 0 && list.items.length === 0 ? (
            <p className="card empty-state">
              这一页没有内容了。<Link to={href({ when })}>回到第一页</Link>
            </p>
          ) : null}
          {list.total === 0 ? (
            <div className="card empty-state">
              <p>
                {filtered
                  ? "没有找到符合条件的活动。可以换个类别或放宽地区。"
                  : when === "past"
                    ? "还没有已结束的活动。"
                    : "近期还没有活动，过几天再来看看。"}
              </p>
              {filtered ? (
                <Link
                  className="button"
                  to={`/activities?${new URLSearchParams([...(home ? [["communityId", ""]] : []), ["when", when]])}`}
                >
                  查看全部活动
                </Link>
              ) : null}
            </div>
          ) : (
            <ul className="activity-list">
              {list.items.map((activity) => (
                <ActivityCard key={activity.id} activity={activity} />
              ))}
            </ul>
          )}
          <Pager
            page={list.page}
            pageSize={list.pageSize}
            total={list.total}
            search={new URLSearchParams([...filterParams, ["when", when]]).toString()}
          />
        </section>
      ) : null}

      {calendar ? (
        <section aria-labelledby="calendar-title">
          <div className="calendar-nav">
            <Link className="button" to={href({ view: "calendar", month: calendar.prev })} rel="prev">
              ‹ 上个月
            </Link>
            <h2 id="calendar-title">{calendar.label}</h2>
            <Link className="button" to={href({ view: "calendar", month: calendar.next })} rel="next">
              下个月 ›
            </Link>
          </div>
          <p>
            {calendar.total === 0
              ? "这个月还没有活动。"
              : `这个月共 ${calendar.total} 场活动，点活动名称看详情、报名。`}
            {calendar.truncated ? "活动太多，日历只显示了一部分，请用列表查看全部。" : null}
          </p>
          <TableScroll labelledBy="calendar-caption">
            <table className="calendar">
              <caption
                id="calendar-caption"
                className="visually-hidden"
              >{`${calendar.label}活动日历，每周从周一开始`}</caption>
              <thead>
                <tr>
                  {WEEKDAYS.map((day) => (
                    <th key={day} scope="col">
                      {day}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {calendar.weeks.map((week) => (
                  <tr key={week.find((cell) => cell !== null)?.date}>
                    {week.map((cell, index) =>
                      cell === null ? (
                        // biome-ignore lint/suspicious/noArrayIndexKey: padding cells have no identity
                        <td key={index} className="calendar__pad" />
                      ) : (
                        <td key={cell.date} aria-current={cell.date === calendar.today ? "date" : undefined}>
                          <span className="calendar__day">
                            {cell.day}
                            <span className="visually-hidden">日</span>
                          </span>
                          {cell.items.length > 0 ? (
                            <ul className="calendar__events">
                              {cell.items.map((item) => (
                                <li key={item.id}>
                                  <Link
                                    to={`/activities/${item.id}`}
                                    className={item.cancelled ? "calendar__cancelled" : undefined}
                                  >
                                    {`${item.time} ${item.title}`}
                                    {item.cancelled ? `（${item.statusLabel}）` : null}
                                  </Link>
                                </li>
                              ))}
                            </ul>
                          ) : null}
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
      ) : null}
    </>
  );
}
