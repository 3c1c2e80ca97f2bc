import { Prisma } from "@prisma/client";
import { chinaDay, chinaMidnight, DAY_MS } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { type ProjectProgress, TARGET_KEYS, type TargetFigures, type TargetKey } from "./projects.schema";

// A project's progress (ADR 0026), counted from the rows the statistics count (one counting path):
// the tallies the worker writes when an activity finishes (ActivityTally: held, person-times) and
// the check-in rows they are counted from (unique persons: exact distinct residents over the whole
// period, never a sum of days). An activity counts once it is FINISHED and tallied, exactly when it
// enters the daily figures; only activities starting inside the project's period, and before it
// closed, count. Needs count when fulfilled inside that span through an accepted match to a service
// bought under the project.

/** What progress needs of a project row. */
export type ProgressFacts = {
  id: string;
  startsOn: Date;
  endsOn: Date;
  status: "ACTIVE" | "COMPLETED" | "ENDED";
  endedAt: Date | null;
  targetActivitiesHeld: number | null;
  targetPersonTimes: number | null;
  targetUniquePersons: number | null;
  targetNeedsFulfilled: number | null;
  targetRatingX100: number | null;
};

export type Actuals = {
  activitiesHeld: number;
  personTimes: number;
  uniquePersons: number;
  needsFulfilled: number;
  /** × 100; null while nothing was rated. */
  ratingX100: number | null;
};

const EMPTY: Actuals = {
  activitiesHeld: 0,
  personTimes: 0,
  uniquePersons: 0,
  needsFulfilled: 0,
  ratingX100: null,
};

/** Where counting stops: the China midnight after endsOn, or the moment the project was closed when
 * that came first (ended early, or completed by its final evaluation): what happens after a project
 * closed never changes its figures, its report or its evaluation's basis. */
const UNTIL = Prisma.sql`LEAST(p."endsOn"::timestamp + interval '16 hours', coalesce(p."endedAt", 'infinity'::timestamp))`;

/** The counted span as moments: from the China midnight starting startsOn to UNTIL. */
export const PERIOD = Prisma.sql`a."startsAt" >= (p."startsOn"::timestamp - interval '8 hours')
  AND a."startsAt" < ${UNTIL}`;

/** The same span for the activity rows the report lists (Prisma's where). */
export const countedSpan = (project: Pick<ProgressFacts, "startsOn" | "endsOn" | "endedAt">) => {
  const afterEnd = chinaMidnight(new Date(project.endsOn.getTime() + DAY_MS));
  return {
    gte: chinaMidnight(project.startsOn),
    lt: project.endedAt && project.endedAt < afterEnd ? project.endedAt : afterEnd,
  };
};

/** The platform-counted figures of many projects in three grouped reads (lists, the bench). */
export async function countActuals(projectIds: readonly string[]): Promise<Map<string, Actuals>> {
  const result = new Map<string, Actuals>();
  if (projectIds.length === 0) return result;
  const ids = [...projectIds];
  const [held, persons, needs] = await Promise.all([
    db().$queryRaw<{ projectId: string; held: number; personTimes: number }[]>`
      SELECT a."projectId", count(*)::int AS held, coalesce(sum(t."personTimes"), 0)::int AS "personTimes"
      FROM "Activity" a
      JOIN "Project" p ON p.id = a."projectId"
      JOIN "ActivityTally" t ON t."activityId" = a.id
      WHERE a."projectId" = ANY(${ids}::text[]) AND a.status = 'FINISHED' AND ${PERIOD}
      GROUP BY a."projectId"`,
    db().$queryRaw<{ projectId: string; persons: number }[]>`
      SELECT a."projectId", count(DISTINCT r."userId")::int AS persons
      FROM "Activity" a
      JOIN "Project" p ON p.id = a."projectId"
      JOIN "ActivityTally" t ON t."activityId" = a.id
      JOIN "Registration" r ON r."activityId" = a.id
      WHERE a."projectId" = ANY(${ids}::text[]) AND a.status = 'FINISHED' AND ${PERIOD}
        AND r.status = 'REGISTERED' AND r."checkedInAt" IS NOT NULL
      GROUP BY a."projectId"`,
    db().$queryRaw<{ projectId: string; fulfilled: number; ratings: number; ratingSum: number }[]>`
      SELECT x."projectId", count(*)::int AS fulfilled, count(x.rating)::int AS ratings,
        coalesce(sum(x.rating), 0)::int AS "ratingSum"
      FROM (
        SELECT DISTINCT ps."projectId", n.id, n.rating
        FROM "ProjectService" ps
        JOIN "Project" p ON p.id = ps."projectId"
        JOIN "Match" m ON m."serviceId" = ps."serviceId" AND m.status = 'ACCEPTED'
        JOIN "Need" n ON n.id = m."needId" AND n.status = 'FULFILLED'
        WHERE ps."projectId" = ANY(${ids}::text[])
          AND n."fulfilledAt" >= (p."startsOn"::timestamp - interval '8 hours')
          AND n."fulfilledAt" < ${UNTIL}
      ) x
      GROUP BY x."projectId"`,
  ]);
  for (const id of ids) result.set(id, { ...EMPTY });
  for (const row of held) {
    const actual = result.get(row.projectId);
    if (actual) Object.assign(actual, { activitiesHeld: row.held, personTimes: row.personTimes });
  }
  for (const row of persons) {
    const actual = result.get(row.projectId);
    if (actual) actual.uniquePersons = row.persons;
  }
  for (const row of needs) {
    const actual = result.get(row.projectId);
    if (!actual) continue;
    actual.needsFulfilled = row.fulfilled;
    actual.ratingX100 = row.ratings > 0 ? Math.round((row.ratingSum * 100) / row.ratings) : null;
  }
  return result;
}

/** Share of the period elapsed by `now` (China days, inclusive), 0–1; a closed project stops where it
 * closed. */
export function elapsedShare(project: ProgressFacts, now = new Date()): number {
  const stop =
    project.status !== "ACTIVE" && project.endedAt && project.endedAt < now ? project.endedAt : now;
  const today = chinaDay(stop).getTime();
  const days = (project.endsOn.getTime() - project.startsOn.getTime()) / DAY_MS + 1;
  const done = (today - project.startsOn.getTime()) / DAY_MS + 1;
  return Math.min(1, Math.max(0, done / days));
}

export const targetsOf = (project: ProgressFacts): TargetFigures => ({
  activitiesHeld: project.targetActivitiesHeld,
  personTimes: project.targetPersonTimes,
  uniquePersons: project.targetUniquePersons,
  needsFulfilled: project.targetNeedsFulfilled,
  averageRating: project.targetRatingX100 === null ? null : project.targetRatingX100 / 100,
});

/** Actual against target and against where a linear pace would be by now. Counts are expected in
 * proportion to the days elapsed (rounded down, so a project is never behind on its first day); the
 * average rating is expected at its target from the start, and a project nobody rated yet is not
 * behind on it. */
export function progressOf(project: ProgressFacts, actuals: Actuals, now = new Date()): ProjectProgress {
  const elapsed = elapsedShare(project, now);
  const target = targetsOf(project);
  const actual: TargetFigures = {
    activitiesHeld: actuals.activitiesHeld,
    personTimes: actuals.personTimes,
    uniquePersons: actuals.uniquePersons,
    needsFulfilled: actuals.needsFulfilled,
    averageRating: actuals.ratingX100 === null ? null : actuals.ratingX100 / 100,
  };
  const expectedByNow: TargetFigures = {
    activitiesHeld: null,
    personTimes: null,
    uniquePersons: null,
    needsFulfilled: null,
    averageRating: target.averageRating,
  };
  const onTrack: Partial<Record<TargetKey, boolean>> = {};
  for (const key of TARGET_KEYS) {
    const goal = target[key];
    if (goal === null) continue;
    if (key === "averageRating") {
      onTrack[key] = actual.averageRating === null || actual.averageRating >= goal;
      continue;
    }
    const expected = Math.floor(goal * elapsed);
    expectedByNow[key] = expected;
    onTrack[key] = (actual[key] ?? 0) >= expected;
  }
  return { actual, target, expectedByNow, onTrack, elapsed: Math.round(elapsed * 1000) / 1000 };
}

/** Whether every target is on track (the weekly alert's question). */
export const isOnTrack = (progress: ProjectProgress) => Object.values(progress.onTrack).every(Boolean);

const MONTH = Prisma.sql`to_char(a."startsAt" + interval '8 hours', 'YYYY-MM')`;

/** Monthly series of a project (China months, oldest first): held, person-times and distinct persons
 * per month, from the same tallies and check-in rows. */
export async function monthlySeries(projectId: string) {
  const [tallies, persons] = await Promise.all([
    db().$queryRaw<{ month: string; held: number; personTimes: number }[]>`
      SELECT ${MONTH} AS month, count(*)::int AS held, coalesce(sum(t."personTimes"), 0)::int AS "personTimes"
      FROM "Activity" a
      JOIN "Project" p ON p.id = a."projectId"
      JOIN "ActivityTally" t ON t."activityId" = a.id
      WHERE a."projectId" = ${projectId} AND a.status = 'FINISHED' AND ${PERIOD}
      GROUP BY 1 ORDER BY 1`,
    db().$queryRaw<{ month: string; persons: number }[]>`
      SELECT ${MONTH} AS month, count(DISTINCT r."userId")::int AS persons
      FROM "Activity" a
      JOIN "Project" p ON p.id = a."projectId"
      JOIN "ActivityTally" t ON t."activityId" = a.id
      JOIN "Registration" r ON r."activityId" = a.id
      WHERE a."projectId" = ${projectId} AND a.status = 'FINISHED' AND ${PERIOD}
        AND r.status = 'REGISTERED' AND r."checkedInAt" IS NOT NULL
      GROUP BY 1`,
  ]);
  const personsOf = new Map(persons.map((row) => [row.month, row.persons]));
  return tallies.map((row) => ({ ...row, persons: personsOf.get(row.month) ?? 0 }));
}
