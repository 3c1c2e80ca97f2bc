import { Prisma } from "@prisma/client";
import { chinaDay, chinaMidnight, DAY_MS } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { recountDays } from "../stats/daily.server";

// Tallies (DESIGN §4): an activity's figures, recomputed from rows with set-based SQL, so recomputing
// twice gives the same numbers and a worker killed halfway leaves the previous figures (each
// recomputation is one transaction). An activity counts on the China day it started; the daily
// figures of that day are recounted after its tally (app/domain/stats/daily.server.ts).

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

/** One activity's tally and its community's day, after it finished or its attendance changed. */
export async function recomputeActivityFigures(activityId: string) {
  const activity = await db().activity.findUnique({
    where: { id: activityId },
    select: { startsAt: true },
  });
  if (!activity) return null;
  await recomputeTallies([activityId]);
  const day = chinaDay(activity.startsAt);
  await recountDays({ from: day, to: day });
  return db().activityTally.findUnique({ where: { activityId } });
}

export const RECENT_DAYS = 40;

/** The nightly repair: every tally of activities that started in the last 40 days, and those days. */
export async function recomputeRecent(now = new Date(), days = RECENT_DAYS) {
  const from = chinaDay(new Date(now.getTime() - days * DAY_MS));
  const to = chinaDay(now);
  const ids = await db().activity.findMany({
    where: { status: "FINISHED", startsAt: { gte: chinaMidnight(from) } },
    select: { id: true },
  });
  await recomputeTallies(ids.map((a) => a.id));
  await recountDays({ from, to });
  return { activities: ids.length, from, to };
}
