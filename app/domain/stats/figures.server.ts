import { Prisma } from "@prisma/client";
import { chinaDay, chinaMidnight, isoDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { cachedPublicRead } from "~/lib/public-reads.server";
import { CATEGORY_CODES, CATEGORY_NAMES } from "../catalog/categories";
import type { PeriodFigures, Stats, TerritoryRef } from "./stats.schema";

// Reading the workers' daily figures (ADR 0012): every figure of a territory and period is a handful
// of indexed reads of one territory's rows (and its children's), never a scan of the activity,
// registration or need tables.

/** China days [from, to], both inclusive, as UTC midnight dates. */
export type Period = { from: Date; to: Date };

const SUMS = Prisma.sql`
  coalesce(sum("socialOrgsJoined"), 0)::int AS "socialOrgsJoined",
  coalesce(sum("merchantsJoined"), 0)::int AS "merchantsJoined",
  coalesce(sum("servicesPublished"), 0)::int AS "servicesPublished",
  coalesce(sum("governmentPurchasedPublished"), 0)::int AS "governmentPurchasedPublished",
  coalesce(sum("needsPosted"), 0)::int AS "needsPosted",
  coalesce(sum("needsMatched"), 0)::int AS "needsMatched",
  coalesce(sum("needsFulfilled"), 0)::int AS "needsFulfilled",
  coalesce(sum(ratings), 0)::int AS ratings,
  coalesce(sum("ratingSum"), 0)::int AS "ratingSum",
  coalesce(sum("activitiesHeld"), 0)::int AS "activitiesHeld",
  coalesce(sum(registered), 0)::int AS registered,
  coalesce(sum("checkedIn"), 0)::int AS "checkedIn",
  coalesce(sum("walkIns"), 0)::int AS "walkIns",
  coalesce(sum("personTimes"), 0)::int AS "personTimes",
  coalesce(sum("venueBookings"), 0)::int AS "venueBookings",
  coalesce(sum("venuePersons"), 0)::int AS "venuePersons"`;

const ZERO_FIGURES: PeriodFigures = {
  socialOrgsJoined: 0,
  merchantsJoined: 0,
  servicesPublished: 0,
  governmentPurchasedPublished: 0,
  needsPosted: 0,
  needsMatched: 0,
  needsFulfilled: 0,
  ratings: 0,
  ratingSum: 0,
  activitiesHeld: 0,
  registered: 0,
  checkedIn: 0,
  walkIns: 0,
  personTimes: 0,
  venueBookings: 0,
  venuePersons: 0,
};

const pickFigures = (row: PeriodFigures): PeriodFigures => ({
  socialOrgsJoined: row.socialOrgsJoined,
  merchantsJoined: row.merchantsJoined,
  servicesPublished: row.servicesPublished,
  governmentPurchasedPublished: row.governmentPurchasedPublished,
  needsPosted: row.needsPosted,
  needsMatched: row.needsMatched,
  needsFulfilled: row.needsFulfilled,
  ratings: row.ratings,
  ratingSum: row.ratingSum,
  activitiesHeld: row.activitiesHeld,
  registered: row.registered,
  checkedIn: row.checkedIn,
  walkIns: row.walkIns,
  personTimes: row.personTimes,
  venueBookings: row.venueBookings,
  venuePersons: row.venuePersons,
});

/** The first day of each month the period touches, as YYYY-MM. */
function monthsOf(period: Period): string[] {
  const months: string[] = [];
  const cursor = new Date(Date.UTC(period.from.getUTCFullYear(), period.from.getUTCMonth(), 1));
  while (cursor <= period.to) {
    months.push(isoDay(cursor).slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
}

type Grouped = PeriodFigures & { month: string | null; category: string | null; computedAt: Date | null };

/** One pass over the territory's rows: the total, each month and each category. */
async function territoryFigures(territoryId: string, period: Period) {
  return db().$queryRaw<Grouped[]>`
    SELECT to_char(day, 'YYYY-MM') AS month, category, max("computedAt") AS "computedAt", ${SUMS}
    FROM "TerritoryDailyStat"
    WHERE "territoryId" = ${territoryId} AND day BETWEEN ${isoDay(period.from)}::date AND ${isoDay(period.to)}::date
    GROUP BY GROUPING SETS ((), (to_char(day, 'YYYY-MM')), (category))`;
}

async function childFigures(childIds: string[], period: Period) {
  if (!childIds.length) return [];
  return db().$queryRaw<(PeriodFigures & { territoryId: string })[]>`
    SELECT "territoryId", ${SUMS}
    FROM "TerritoryDailyStat"
    WHERE "territoryId" = ANY(${childIds}::text[])
      AND day BETWEEN ${isoDay(period.from)}::date AND ${isoDay(period.to)}::date
    GROUP BY "territoryId"`;
}

type Roster = {
  territoryId: string;
  socialOrgs: number;
  merchants: number;
  services: number;
  government: number;
};

/** Providers and services on the platform at the end of the period: everything joined up to then. */
async function rosterAt(territoryIds: string[], to: Date) {
  return db().$queryRaw<Roster[]>`
    SELECT "territoryId",
      coalesce(sum("socialOrgsJoined"), 0)::int AS "socialOrgs",
      coalesce(sum("merchantsJoined"), 0)::int AS merchants,
      coalesce(sum("servicesPublished"), 0)::int AS services,
      coalesce(sum("governmentPurchasedPublished"), 0)::int AS government
    FROM "TerritoryDailyStat"
    WHERE "territoryId" = ANY(${territoryIds}::text[]) AND day <= ${isoDay(to)}::date
    GROUP BY "territoryId"`;
}

/** Distinct residents who checked in at the territories' activities during the period. */
async function uniquePersons(territoryIds: string[], period: Period) {
  const rows = await db().$queryRaw<{ territoryId: string; persons: number }[]>`
    SELECT "territoryId", count(*)::int AS persons FROM "TerritoryAttendance"
    WHERE "territoryId" = ANY(${territoryIds}::text[])
      AND days && daterange(${isoDay(period.from)}::date, ${isoDay(period.to)}::date, '[]')
    GROUP BY "territoryId"`;
  return new Map(rows.map((row) => [row.territoryId, row.persons]));
}

/** Distinct residents per month of the period. A month the period covers (up to today, since no
 * later day has attendance yet) is read as the workers counted it; a month the period cuts, at most
 * the first and the last, is counted over the attendance ranges of its part. */
async function uniquePersonsByMonth(territoryId: string, period: Period, today: Date) {
  const parts = monthsOf(period).map((month) => {
    const start = new Date(`${month}-01T00:00:00Z`);
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
    const whole = period.from <= start && (period.to >= end || period.to >= today);
    return { month, start, whole, part: { from: max(start, period.from), to: min(end, period.to) } };
  });
  const stored = await db().territoryMonthlyPersons.findMany({
    where: { territoryId, month: { in: parts.filter((p) => p.whole).map((p) => p.start) } },
  });
  const persons = new Map(stored.map((row) => [isoDay(row.month).slice(0, 7), row.persons]));
  for (const { month, part } of parts.filter((p) => !p.whole)) {
    persons.set(month, (await uniquePersons([territoryId], part)).get(territoryId) ?? 0);
  }
  return persons;
}

const max = (a: Date, b: Date) => (a > b ? a : b);
const min = (a: Date, b: Date) => (a < b ? a : b);

async function medianMinutesToMatch(territoryId: string, period: Period) {
  const [row] = await db().$queryRaw<{ median: number | null }[]>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY m)::float8 AS median
    FROM "TerritoryDailyStat", unnest("minutesToMatch") AS m
    WHERE "territoryId" = ${territoryId} AND day BETWEEN ${isoDay(period.from)}::date AND ${isoDay(period.to)}::date`;
  return row?.median ?? null;
}

/** Projects bought by the territory or a node under it whose contract period overlaps the period,
 * less those ended early before it began; a completed project counts over its whole period. Read
 * from the project rows (a few per territory), not from the daily figures. */
async function projectsRunning(territory: TerritoryRef, period: Period) {
  const { _count, _sum } = await db().project.aggregate({
    where: {
      OR: [{ purchaserId: territory.id }, { subdistrictId: territory.id }, { districtId: territory.id }],
      startsOn: { lte: period.to },
      endsOn: { gte: period.from },
      NOT: { status: "ENDED", endedAt: { lt: chinaMidnight(period.from) } },
    },
    _count: { _all: true },
    _sum: { budgetFen: true },
  });
  return { active: _count._all, budgetFen: _sum.budgetFen ?? 0 };
}

const ratio = (part: number, whole: number, digits: number) =>
  whole > 0 ? Number((part / whole).toFixed(digits)) : null;

/** Every figure of a territory and period, with its children, months and categories. */
export async function figuresOf(
  territory: TerritoryRef & { path: TerritoryRef[] },
  children: TerritoryRef[],
  period: Period,
): Promise<Stats> {
  const childIds = children.map((child) => child.id);
  const [grouped, perChild, roster, persons, personsByMonth, medianMinutes, projects] = await Promise.all([
    territoryFigures(territory.id, period),
    childFigures(childIds, period),
    rosterAt([territory.id, ...childIds], period.to),
    uniquePersons([territory.id, ...childIds], period),
    uniquePersonsByMonth(territory.id, period, chinaDay(new Date())),
    medianMinutesToMatch(territory.id, period),
    projectsRunning(territory, period),
  ]);
  const total = grouped.find((row) => row.month === null && row.category === null);
  const figures = total ? pickFigures(total) : ZERO_FIGURES;
  const byMonth = new Map(
    grouped.filter((row) => row.month !== null).map((row) => [row.month, pickFigures(row)]),
  );
  const byCategory = new Map(
    grouped.filter((row) => row.category !== null).map((row) => [row.category, pickFigures(row)]),
  );
  const rosterOf = new Map(roster.map((row) => [row.territoryId, row]));
  const own = rosterOf.get(territory.id);
  const childRows = new Map(perChild.map((row) => [row.territoryId, pickFigures(row)]));

  return {
    scope: territory.scope,
    id: territory.id,
    name: territory.name,
    path: territory.path,
    from: isoDay(period.from),
    to: isoDay(period.to),
    providers: {
      socialOrgs: own?.socialOrgs ?? 0,
      merchants: own?.merchants ?? 0,
      total: (own?.socialOrgs ?? 0) + (own?.merchants ?? 0),
      joined: { socialOrgs: figures.socialOrgsJoined, merchants: figures.merchantsJoined },
    },
    services: own?.services ?? 0,
    governmentPurchasedServices: own?.government ?? 0,
    servicesPublished: figures.servicesPublished,
    needs: {
      posted: figures.needsPosted,
      matched: figures.needsMatched,
      fulfilled: figures.needsFulfilled,
      medianHoursToMatch: medianMinutes === null ? null : Number((medianMinutes / 60).toFixed(1)),
      ratings: figures.ratings,
      averageRating: ratio(figures.ratingSum, figures.ratings, 2),
    },
    activities: {
      held: figures.activitiesHeld,
      registered: figures.registered,
      checkedIn: figures.checkedIn,
      walkIns: figures.walkIns,
      attendanceRate: ratio(figures.checkedIn, figures.registered, 4),
    },
    participation: { personTimes: figures.personTimes, uniquePersons: persons.get(territory.id) ?? 0 },
    venues: { bookings: figures.venueBookings, persons: figures.venuePersons },
    projects,
    byChild: children.map((child) => {
      const childRoster = rosterOf.get(child.id);
      return {
        ...child,
        figures: childRows.get(child.id) ?? ZERO_FIGURES,
        uniquePersons: persons.get(child.id) ?? 0,
        providers: (childRoster?.socialOrgs ?? 0) + (childRoster?.merchants ?? 0),
      };
    }),
    series: monthsOf(period).map((month) => ({
      month,
      figures: byMonth.get(month) ?? ZERO_FIGURES,
      uniquePersons: personsByMonth.get(month) ?? 0,
    })),
    byCategory: CATEGORY_CODES.filter((code) => byCategory.has(code)).map((code) => ({
      category: code,
      name: CATEGORY_NAMES[code],
      figures: byCategory.get(code) ?? ZERO_FIGURES,
    })),
    computedAt: total?.computedAt?.toISOString() ?? null,
  };
}

/** The district's headline figures up to a China day, kept in memory between changes. */
const headlineUpTo = cachedPublicRead(
  {
    tables: ["District", "TerritoryDailyStat", "TerritoryAttendance", "TerritoryMonthlyPersons"],
    key: (day: string) => day,
    maxEntries: 2,
  },
  async (day: string) => {
    const district = await db().district.findFirst({
      orderBy: { createdAt: "asc" },
      select: { id: true, name: true },
    });
    if (!district) return null;
    const to = new Date(day);
    const period = { from: new Date(Date.UTC(to.getUTCFullYear(), 0, 1)), to };
    const [[total], roster, persons] = await Promise.all([
      db().$queryRaw<PeriodFigures[]>`
      SELECT ${SUMS} FROM "TerritoryDailyStat"
      WHERE "territoryId" = ${district.id}
        AND day BETWEEN ${isoDay(period.from)}::date AND ${isoDay(period.to)}::date`,
      rosterAt([district.id], period.to),
      uniquePersons([district.id], period),
    ]);
    const figures = total ? pickFigures(total) : ZERO_FIGURES;
    const own = roster[0];
    return {
      id: district.id,
      name: district.name,
      from: isoDay(period.from),
      to: isoDay(period.to),
      providers: (own?.socialOrgs ?? 0) + (own?.merchants ?? 0),
      needsFulfilled: figures.needsFulfilled,
      activitiesHeld: figures.activitiesHeld,
      personTimes: figures.personTimes,
      uniquePersons: persons.get(district.id) ?? 0,
    };
  },
);

/** The district's headline figures for the home page (its most visited): the total row, the roster
 * and the unique persons only, three indexed reads instead of figuresOf's months, categories and
 * children. This year up to today (China days); null before any district exists. */
export const districtHeadline = (now = new Date()) => headlineUpTo(isoDay(chinaDay(now)));

type DayFigures = {
  day: string;
  activitiesHeld: number;
  registered: number;
  checkedIn: number;
  walkIns: number;
  personTimes: number;
  uniquePersons: number;
};

/** A community's activity figures day by day (days with finished activities only). */
export async function communityActivityDays(communityId: string, period: Period): Promise<DayFigures[]> {
  return db().$queryRaw<DayFigures[]>`
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day, d."activitiesHeld", d.registered, d."checkedIn", d."walkIns",
      d."personTimes",
      (SELECT count(*)::int FROM "TerritoryAttendance" ta
        WHERE ta."territoryId" = ${communityId} AND ta.days @> d.day) AS "uniquePersons"
    FROM (
      SELECT day, ${SUMS} FROM "TerritoryDailyStat"
      WHERE "territoryId" = ${communityId} AND day BETWEEN ${isoDay(period.from)}::date AND ${isoDay(period.to)}::date
      GROUP BY day
    ) d
    WHERE d."activitiesHeld" > 0
    ORDER BY d.day`;
}
