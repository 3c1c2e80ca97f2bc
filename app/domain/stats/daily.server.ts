import { Prisma } from "@prisma/client";
import { chinaDay, isoDay } from "~/lib/china-time";
import { db, type Tx } from "~/lib/db.server";

// The workers' daily figures (ADR 0012): per territory (community, subdistrict and district), China
// day and category, recounted from rows with set-based SQL in one transaction, so recounting twice
// gives the same numbers and a worker killed halfway leaves the previous figures. Needs and
// activities belong to one community, so a parent's figures are the sum of its children's; providers
// and services serve several communities and are counted once in each territory they reach.

/** The China day (Asia/Shanghai) of a stored timestamp (Prisma stores UTC without a time zone). */
const CHINA_DAY = (column: string) =>
  Prisma.raw(`((${column} AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Shanghai')::date`);

/** China days [from, to], both inclusive, as UTC midnight dates. */
type DayRange = { from: Date; to: Date };

// Serialises recounts: two at once would both insert a day after deleting it, and one would fail on
// the primary key. The later one then sees the earlier one's result and everything since.
const RECOUNT_LOCK = Prisma.sql`SELECT pg_advisory_xact_lock(hashtext('sanshe.TerritoryDailyStat'))`;

/** A recount waits its turn behind another (the lock above) and may rebuild years of days. */
const RECOUNT_TRANSACTION = { maxWait: 20_000, timeout: 10 * 60_000 };

/** Joins each row, counted in a community, to that community, its subdistrict and its district
 * (as `t.id`, `t.level`). */
const inEveryTerritory = (communityColumn: string) => Prisma.sql`
  JOIN "Community" c ON c.id = ${Prisma.raw(communityColumn)}
  JOIN "Subdistrict" s ON s.id = c."subdistrictId"
  CROSS JOIN LATERAL (VALUES (c.id, 'COMMUNITY'), (s.id, 'SUBDISTRICT'), (s."districtId", 'DISTRICT')) AS t(id, level)`;

/** `column` falls on China days [from, to]: as a range of stored (UTC) timestamps, so an index on
 * the column serves it (the recount of today runs every few seconds). */
const onChinaDays = (column: string, from: string, to: string) => Prisma.sql`
  ${Prisma.raw(column)} >= (${from}::date - interval '8 hours')
  AND ${Prisma.raw(column)} < (${to}::date + interval '16 hours')`;

/** Each thing counted, once per community it belongs to or serves, with the day it counts on. */
const facts = (from: string, to: string) => Prisma.sql`
  SELECT 'activity' AS kind, a.id AS entity, a."communityId" AS community, ${CHINA_DAY('a."startsAt"')} AS day,
    a.category, NULL::text AS sort, NULL::int AS value,
    t.registered, t."checkedIn", t."walkIns", t."personTimes"
  FROM "Activity" a JOIN "ActivityTally" t ON t."activityId" = a.id
  WHERE a.status = 'FINISHED' AND ${onChinaDays('a."startsAt"', from, to)}
  UNION ALL
  SELECT 'posted', n.id, n."communityId", ${CHINA_DAY('n."createdAt"')}, n.category, NULL, NULL, NULL, NULL, NULL, NULL
  FROM "Need" n WHERE ${onChinaDays('n."createdAt"', from, to)}
  UNION ALL
  SELECT 'matched', n.id, n."communityId", ${CHINA_DAY('n."matchedAt"')}, n.category, NULL,
    floor(extract(epoch FROM n."matchedAt" - n."createdAt") / 60)::int, NULL, NULL, NULL, NULL
  FROM "Need" n WHERE ${onChinaDays('n."matchedAt"', from, to)}
  UNION ALL
  SELECT 'fulfilled', n.id, n."communityId", ${CHINA_DAY('n."fulfilledAt"')}, n.category, NULL, n.rating,
    NULL, NULL, NULL, NULL
  FROM "Need" n WHERE ${onChinaDays('n."fulfilledAt"', from, to)}
  UNION ALL
  -- A service counts from when it was published by a provider on the platform (whichever came last).
  SELECT 'service', s.id, sc."communityId", ${CHINA_DAY('GREATEST(s."publishedAt", p."reviewedAt")')},
    s.category, s.funding::text, NULL, NULL, NULL, NULL, NULL
  FROM "Service" s JOIN "Provider" p ON p.id = s."providerId"
    JOIN "ServiceCommunity" sc ON sc."serviceId" = s.id
  WHERE s."publishedAt" IS NOT NULL AND p.status IN ('APPROVED', 'SUSPENDED')
    AND ${onChinaDays('GREATEST(s."publishedAt", p."reviewedAt")', from, to)}
  UNION ALL
  -- A provider counts from its approval (reviewedAt of an approved or since suspended provider).
  SELECT 'provider', p.id, pc."communityId", ${CHINA_DAY('p."reviewedAt"')}, '', p.kind::text, NULL,
    NULL, NULL, NULL, NULL
  FROM "Provider" p JOIN "ProviderCommunity" pc ON pc."providerId" = p.id
  WHERE p.status IN ('APPROVED', 'SUSPENDED') AND ${onChinaDays('p."reviewedAt"', from, to)}`;

/** The facts above, and each completed venue booking (a 批, its 到场人数 as the value) on the day it
 * started, in its venue's community or, for a subdistrict's own venue, in the subdistrict. */
const factsWithVenues = (from: string, to: string) => Prisma.sql`
  SELECT f.*, NULL::text AS subdistrict FROM (${facts(from, to)}) f
  UNION ALL
  SELECT 'booking', b.id, v."communityId", ${CHINA_DAY('b."startsAt"')}, '', NULL, b.attended,
    NULL, NULL, NULL, NULL, v."subdistrictId"
  FROM "Booking" b JOIN "Venue" v ON v.id = b."venueId"
  WHERE b.kind = 'BOOKING' AND b.status = 'COMPLETED' AND ${onChinaDays('b."startsAt"', from, to)}`;

/** Writes what a recount computed into a temporary table over the stored rows it covers (`scope`,
 * on the alias `t`): rows it no longer has go, new ones come, and only rows whose values changed are
 * updated. A recount that finds nothing new writes nothing, so recounting today every few seconds
 * leaves no dead rows behind, and each territory's rows stay together on few pages. */
async function reconcile(
  tx: Tx,
  target: { table: string; key: string[]; values: string[]; stamp?: string },
  computed: string,
  scope: Prisma.Sql,
) {
  const name = (column: string) => `"${column}"`;
  const columns = [...target.key, ...target.values];
  const sameKey = target.key.map((k) => `n.${name(k)} = t.${name(k)}`).join(" AND ");
  const table = Prisma.raw(`"${target.table}"`);
  // Without statistics the planner takes the temporary table for a few rows and checks each stored
  // row against all of it; with them it hashes (100,000 people recounted at once stay seconds).
  await tx.$executeRawUnsafe(`ANALYZE ${computed}`);
  await tx.$executeRaw`
    DELETE FROM ${table} t WHERE ${scope}
      AND NOT EXISTS (SELECT 1 FROM ${Prisma.raw(computed)} n WHERE ${Prisma.raw(sameKey)})`;
  const updates = [...target.values, ...(target.stamp ? [target.stamp] : [])]
    .map((v) => `${name(v)} = EXCLUDED.${name(v)}`)
    .join(", ");
  const stored = target.values.map((v) => `${table.text}.${name(v)}`).join(", ");
  const fresh = target.values.map((v) => `EXCLUDED.${name(v)}`).join(", ");
  const stampColumn = target.stamp ? `, ${name(target.stamp)}` : "";
  const stampValue = target.stamp ? ", now()" : "";
  await tx.$executeRawUnsafe(
    `INSERT INTO ${table.text} (${columns.map(name).join(", ")}${stampColumn})
     SELECT ${columns.map(name).join(", ")}${stampValue} FROM ${computed} ORDER BY ${target.key.map(name).join(", ")}
     ON CONFLICT (${target.key.map(name).join(", ")}) DO UPDATE SET ${updates}
     WHERE (${stored}) IS DISTINCT FROM (${fresh})`,
  );
}

const DAILY_FIGURES = {
  table: "TerritoryDailyStat",
  key: ["territoryId", "day", "category"],
  values: [
    "level",
    "socialOrgsJoined",
    "merchantsJoined",
    "servicesPublished",
    "governmentPurchasedPublished",
    "needsPosted",
    "needsMatched",
    "needsFulfilled",
    "ratings",
    "ratingSum",
    "minutesToMatch",
    "activitiesHeld",
    "registered",
    "checkedIn",
    "walkIns",
    "personTimes",
    "venueBookings",
    "venuePersons",
  ],
  stamp: "computedAt",
};
const ATTENDANCE = {
  table: "TerritoryAttendance",
  key: ["territoryId", "userId"],
  values: ["level", "days"],
};
const MONTHLY_PERSONS = {
  table: "TerritoryMonthlyPersons",
  key: ["territoryId", "month"],
  values: ["persons"],
};

/** Rebuilds every territory's daily figures for China days [from, to]; days left without any
 * become absent. */
async function recountDailyFigures(range: DayRange) {
  const from = isoDay(range.from);
  const to = isoDay(range.to);
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`${RECOUNT_LOCK}`;
    await tx.$executeRaw`
      CREATE TEMPORARY TABLE daily_figures ON COMMIT DROP AS
      SELECT t.id AS "territoryId", t.level::"ScopeType" AS level, f.day, f.category,
        count(DISTINCT f.entity) FILTER (WHERE f.kind = 'provider' AND f.sort = 'SOCIAL_ORG')::int AS "socialOrgsJoined",
        count(DISTINCT f.entity) FILTER (WHERE f.kind = 'provider' AND f.sort = 'MERCHANT')::int AS "merchantsJoined",
        count(DISTINCT f.entity) FILTER (WHERE f.kind = 'service')::int AS "servicesPublished",
        count(DISTINCT f.entity) FILTER (WHERE f.kind = 'service' AND f.sort = 'GOVERNMENT_PURCHASED')::int
          AS "governmentPurchasedPublished",
        count(*) FILTER (WHERE f.kind = 'posted')::int AS "needsPosted",
        count(*) FILTER (WHERE f.kind = 'matched')::int AS "needsMatched",
        count(*) FILTER (WHERE f.kind = 'fulfilled')::int AS "needsFulfilled",
        count(f.value) FILTER (WHERE f.kind = 'fulfilled')::int AS ratings,
        coalesce(sum(f.value) FILTER (WHERE f.kind = 'fulfilled'), 0)::int AS "ratingSum",
        coalesce(array_agg(f.value ORDER BY f.value) FILTER (WHERE f.kind = 'matched'), '{}') AS "minutesToMatch",
        count(*) FILTER (WHERE f.kind = 'activity')::int AS "activitiesHeld",
        coalesce(sum(f.registered), 0)::int AS registered, coalesce(sum(f."checkedIn"), 0)::int AS "checkedIn",
        coalesce(sum(f."walkIns"), 0)::int AS "walkIns", coalesce(sum(f."personTimes"), 0)::int AS "personTimes",
        count(*) FILTER (WHERE f.kind = 'booking')::int AS "venueBookings",
        coalesce(sum(f.value) FILTER (WHERE f.kind = 'booking'), 0)::int AS "venuePersons"
      FROM (${factsWithVenues(from, to)}) f
        -- A subdistrict's own venue has no community: its bookings count in the subdistrict and up.
        LEFT JOIN "Community" c ON c.id = f.community
        JOIN "Subdistrict" s ON s.id = coalesce(c."subdistrictId", f.subdistrict)
        CROSS JOIN LATERAL (VALUES (c.id, 'COMMUNITY'), (s.id, 'SUBDISTRICT'), (s."districtId", 'DISTRICT')) AS t(id, level)
      WHERE t.id IS NOT NULL
      GROUP BY t.id, t.level, f.day, f.category`;
    await reconcile(
      tx,
      DAILY_FIGURES,
      "daily_figures",
      Prisma.sql`t.day BETWEEN ${from}::date AND ${to}::date`,
    );
  }, RECOUNT_TRANSACTION);
}

/** Rebuilds the attendance days (for unique persons) of everyone who registered for a finished
 * activity on China days [from, to] or attended on them before: their whole history, in every
 * territory, from their check-ins; then the monthly unique persons of the months those days are in. */
async function recountAttendance(range: DayRange) {
  const from = isoDay(range.from);
  const to = isoDay(range.to);
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`${RECOUNT_LOCK}`;
    await tx.$executeRaw`
      CREATE TEMPORARY TABLE attendance_people ON COMMIT DROP AS
      SELECT DISTINCT r."userId" AS id FROM "Registration" r JOIN "Activity" a ON a.id = r."activityId"
      WHERE a.status = 'FINISHED' AND ${CHINA_DAY('a."startsAt"')} BETWEEN ${from}::date AND ${to}::date
      UNION
      SELECT "userId" FROM "TerritoryAttendance"
      WHERE days && daterange(${from}::date, ${to}::date, '[]')`;
    // Without statistics the planner takes the temporary table for a few rows and loops over them.
    await tx.$executeRaw`ANALYZE attendance_people`;
    await tx.$executeRaw`
      CREATE TEMPORARY TABLE attendance ON COMMIT DROP AS
      SELECT t.id AS "territoryId", t.level::"ScopeType" AS level, r."userId",
        range_agg(daterange(${CHINA_DAY('a."startsAt"')}, ${CHINA_DAY('a."startsAt"')}, '[]')) AS days
      FROM "Registration" r
      JOIN "Activity" a ON a.id = r."activityId" ${inEveryTerritory('a."communityId"')}
      WHERE r."userId" IN (SELECT id FROM attendance_people)
        AND a.status = 'FINISHED' AND r.status = 'REGISTERED' AND r."checkedInAt" IS NOT NULL
      GROUP BY t.id, t.level, r."userId"`;
    await reconcile(
      tx,
      ATTENDANCE,
      "attendance",
      Prisma.sql`t."userId" IN (SELECT id FROM attendance_people)`,
    );
    // The months the recounted days fall in: nobody's attendance changed in any other month.
    await tx.$executeRaw`
      CREATE TEMPORARY TABLE monthly_persons ON COMMIT DROP AS
      SELECT ta."territoryId", m.start::date AS month, count(*)::int AS persons
      FROM generate_series(date_trunc('month', ${from}::date), date_trunc('month', ${to}::date), '1 month') AS m(start)
      JOIN "TerritoryAttendance" ta ON ta.days && daterange(m.start::date, (m.start + interval '1 month')::date)
      GROUP BY 1, 2`;
    await reconcile(
      tx,
      MONTHLY_PERSONS,
      "monthly_persons",
      Prisma.sql`t.month BETWEEN date_trunc('month', ${from}::date) AND date_trunc('month', ${to}::date)`,
    );
  }, RECOUNT_TRANSACTION);
}

/** Both recounts, for days whose activities finished or whose attendance changed. */
export async function recountDays(range: DayRange) {
  await recountDailyFigures(range);
  await recountAttendance(range);
}

/** The sweep's recount: today and yesterday (China days), where posting, matching, fulfilling,
 * approving and publishing land, so those figures follow within a sweep. */
export async function recountLatestDays(now = new Date()) {
  const today = chinaDay(now);
  const range = { from: new Date(today.getTime() - 24 * 3600 * 1000), to: today };
  await recountDailyFigures(range);
  return range;
}

/** Every day from the first thing counted up to today (the demo data, a repair after a migration). */
export async function recountAllDays(now = new Date()) {
  const [first] = await db().$queryRaw<{ at: Date | null }[]>`
    SELECT LEAST((SELECT min("createdAt") FROM "Need"), (SELECT min("reviewedAt") FROM "Provider"),
      (SELECT min("publishedAt") FROM "Service"), (SELECT min("startsAt") FROM "Activity"),
      (SELECT min("startsAt") FROM "Booking" WHERE status = 'COMPLETED')) AS at`;
  const range = { from: chinaDay(first?.at ?? now), to: chinaDay(now) };
  await recountDays(range);
  return range;
}
