import { Prisma } from "@prisma/client";
import { db } from "~/lib/db.server";

// Tallies (DESIGN §4): an activity's figures and each community's daily figures, recomputed from rows
// with set-based SQL, so recomputing twice gives the same numbers and a worker killed halfway leaves
// the previous figures (each recomputation is one transaction). Days are China days: an activity
// counts on the day it started, Asia/Shanghai time. Subdistrict and district figures are sums.

/** The China day of a stored timestamp (Prisma stores UTC in `timestamp without time zone`). */
const CHINA_DAY = (column: string) =>
  Prisma.raw(`((${column} AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Shanghai')::date`);

/** Recounts the tallies of the given activities (all finished ones when no ids are given). */
export async function recomputeTallies(activityIds?: readonly string[]) {
  const only = activityIds ? Prisma.sql`AND a.id = ANY(${[...activityIds]}::text[])` : Prisma.empty;
  return db().$executeRaw`
    INSERT INTO "ActivityTally" ("activityId", registered, waitlisted, "checkedIn", "walkIns", "personTimes", "computedAt")
    SELECT a.id,
      count(r.id) FILTER (WHERE r.status = 'REGISTERED'),
      count(r.id) FILTER (WHERE r.status = 'WAITLISTED'),
      count(r.id) FILTER (WHERE r.status = 'REGISTERED' AND r."checkedInAt" IS NOT NULL),
      a."walkIns",
      count(r.id) FILTER (WHERE r.status = 'REGISTERED' AND r."checkedInAt" IS NOT NULL) + a."walkIns",
      now()
    FROM "Activity" a LEFT JOIN "Registration" r ON r."activityId" = a.id
    WHERE a.status = 'FINISHED' ${only}
    GROUP BY a.id
    ON CONFLICT ("activityId") DO UPDATE SET
      registered = EXCLUDED.registered, waitlisted = EXCLUDED.waitlisted, "checkedIn" = EXCLUDED."checkedIn",
      "walkIns" = EXCLUDED."walkIns", "personTimes" = EXCLUDED."personTimes", "computedAt" = EXCLUDED."computedAt"`;
}

export type DayRange = { from: Date; to: Date; communityIds?: readonly string[] };

/** Rebuilds the daily figures of China days [from, to] (dates, inclusive) from the tallies of the
 * finished activities that started on them; days left without any become absent. */
export async function recomputeDailyStats(range: DayRange) {
  const communities = range.communityIds
    ? Prisma.sql`AND "communityId" = ANY(${[...range.communityIds]}::text[])`
    : Prisma.empty;
  const activityCommunities = range.communityIds
    ? Prisma.sql`AND a."communityId" = ANY(${[...range.communityIds]}::text[])`
    : Prisma.empty;
  const from = range.from.toISOString().slice(0, 10);
  const to = range.to.toISOString().slice(0, 10);
  await db().$transaction([
    // One recount of daily figures at a time: two at once (two activities of a community finishing
    // together) would both insert the day after deleting it, and one would fail on the primary key.
    // Waiting here, the later one's statements see the earlier one's result and all tallies since.
    db().$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sanshe.CommunityDailyStat'))`,
    db()
      .$executeRaw`DELETE FROM "CommunityDailyStat" WHERE day BETWEEN ${from}::date AND ${to}::date ${communities}`,
    db().$executeRaw`
      INSERT INTO "CommunityDailyStat" ("communityId", day, "activitiesHeld", registered, "checkedIn", "walkIns", "personTimes", "uniquePersons", "computedAt")
      SELECT a."communityId", ${CHINA_DAY('a."startsAt"')} AS day,
        count(*), sum(t.registered), sum(t."checkedIn"), sum(t."walkIns"), sum(t."personTimes"),
        0, now()
      FROM "Activity" a JOIN "ActivityTally" t ON t."activityId" = a.id
      WHERE a.status = 'FINISHED' AND ${CHINA_DAY('a."startsAt"')} BETWEEN ${from}::date AND ${to}::date ${activityCommunities}
      GROUP BY 1, 2`,
    // Distinct residents checked in per community and day, in one pass.
    db().$executeRaw`
      UPDATE "CommunityDailyStat" s SET "uniquePersons" = u.persons
      FROM (
        SELECT a."communityId", ${CHINA_DAY('a."startsAt"')} AS day, count(DISTINCT r."userId") AS persons
        FROM "Activity" a JOIN "Registration" r ON r."activityId" = a.id
        WHERE a.status = 'FINISHED' AND r.status = 'REGISTERED' AND r."checkedInAt" IS NOT NULL
          AND ${CHINA_DAY('a."startsAt"')} BETWEEN ${from}::date AND ${to}::date ${activityCommunities}
        GROUP BY 1, 2
      ) u
      WHERE s."communityId" = u."communityId" AND s.day = u.day`,
  ]);
}

/** The China date (YYYY-MM-DD, as a UTC midnight Date) of a moment. */
export function chinaDay(moment: Date): Date {
  const shifted = new Date(moment.getTime() + 8 * 3600 * 1000);
  return new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()));
}

/** One activity's tally and its community's day, after it finished or its attendance changed. */
export async function recomputeActivityFigures(activityId: string) {
  const activity = await db().activity.findUnique({
    where: { id: activityId },
    select: { communityId: true, startsAt: true, status: true },
  });
  if (!activity) return null;
  await recomputeTallies([activityId]);
  const day = chinaDay(activity.startsAt);
  await recomputeDailyStats({ from: day, to: day, communityIds: [activity.communityId] });
  return db().activityTally.findUnique({ where: { activityId } });
}

export const RECENT_DAYS = 40;

/** The nightly repair: every tally of activities that started in the last 40 days, and those days. */
export async function recomputeRecent(now = new Date(), days = RECENT_DAYS) {
  const from = chinaDay(new Date(now.getTime() - days * 24 * 3600 * 1000));
  const to = chinaDay(now);
  const ids = await db().activity.findMany({
    where: { status: "FINISHED", startsAt: { gte: new Date(from.getTime() - 8 * 3600 * 1000) } },
    select: { id: true },
  });
  await recomputeTallies(ids.map((a) => a.id));
  await recomputeDailyStats({ from, to });
  return { activities: ids.length, from, to };
}

export type DailyFigures = {
  day: string;
  activitiesHeld: number;
  registered: number;
  checkedIn: number;
  walkIns: number;
  personTimes: number;
  uniquePersons: number;
};

/** The daily figures of some communities over China days [from, to], summed per day (the workers'
 * figures: nothing is counted here). */
export async function dailyFigures(
  communityIds: readonly string[],
  from: Date,
  to: Date,
): Promise<DailyFigures[]> {
  const rows = await db().communityDailyStat.groupBy({
    by: ["day"],
    where: { communityId: { in: [...communityIds] }, day: { gte: from, lte: to } },
    _sum: {
      activitiesHeld: true,
      registered: true,
      checkedIn: true,
      walkIns: true,
      personTimes: true,
      uniquePersons: true,
    },
    orderBy: { day: "asc" },
  });
  return rows.map((row) => ({
    day: row.day.toISOString().slice(0, 10),
    activitiesHeld: row._sum.activitiesHeld ?? 0,
    registered: row._sum.registered ?? 0,
    checkedIn: row._sum.checkedIn ?? 0,
    walkIns: row._sum.walkIns ?? 0,
    personTimes: row._sum.personTimes ?? 0,
    uniquePersons: row._sum.uniquePersons ?? 0,
  }));
}
