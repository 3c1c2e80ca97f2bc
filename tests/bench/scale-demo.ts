import { db } from "~/lib/db.server";
import { num, timed } from "./measure";

// The demo data scaled ×BENCH_STATS_SCALE (default 100), the statistics benchmark's scale: copies of
// its residents, providers, services, needs and past activities with their registrations. Shared by
// tests/bench/stats.ts and tests/bench/projects.ts, which run on the same database.

export const SCALE = Number(process.env.BENCH_STATS_SCALE ?? 100);
const COPY = "-x";

async function scaleDemoData(copies: number) {
  const prisma = db();
  const sql = (text: string) => prisma.$executeRawUnsafe(text.replaceAll("$copies", String(copies)));
  // Each copy g of a row gets the id `<id>-x<g>`; times move back by g hours modulo a week, so the
  // copies spread over the same year.
  const shift = (column: string) => `${column} - ((g % 168) * interval '1 hour')`;
  await sql(`
    INSERT INTO "User" (id, phone, "passwordHash", name, "communityId", "createdAt", "updatedAt")
    SELECT u.id || '${COPY}' || g, '19' || lpad((row_number() OVER ())::text, 9, '0'), u."passwordHash", u.name,
      u."communityId", u."createdAt", now()
    FROM "User" u JOIN "RoleAssignment" r ON r."userId" = u.id AND r.role = 'RESIDENT',
      generate_series(1, $copies) g`);
  await sql(`
    INSERT INTO "Provider" (id, kind, name, uscc, "contactName", "contactPhone", address, description, status,
      "reviewedAt", "submittedAt", "createdAt", "updatedAt")
    SELECT p.id || '${COPY}' || g, p.kind, p.name || g, p.uscc || '${COPY}' || g, p."contactName", p."contactPhone",
      p.address, p.description, p.status, ${shift('p."reviewedAt"')}, p."submittedAt", p."createdAt", now()
    FROM "Provider" p, generate_series(1, $copies) g`);
  await sql(`
    INSERT INTO "ProviderCommunity" ("providerId", "communityId")
    SELECT pc."providerId" || '${COPY}' || g, pc."communityId"
    FROM "ProviderCommunity" pc, generate_series(1, $copies) g`);
  await sql(`
    INSERT INTO "Service" (id, "providerId", title, description, category, funding, "priceFen", status,
      "publishedAt", "createdAt", "updatedAt")
    SELECT s.id || '${COPY}' || g, s."providerId" || '${COPY}' || g, s.title, s.description, s.category, s.funding,
      s."priceFen", s.status, ${shift('s."publishedAt"')}, s."createdAt", now()
    FROM "Service" s, generate_series(1, $copies) g`);
  await sql(`
    INSERT INTO "ServiceCommunity" ("serviceId", "communityId")
    SELECT sc."serviceId" || '${COPY}' || g, sc."communityId"
    FROM "ServiceCommunity" sc, generate_series(1, $copies) g`);
  await sql(`
    INSERT INTO "Need" (id, "requesterId", "createdById", "communityId", title, description, category, status,
      rating, "matchedAt", "fulfilledAt", "createdAt", "updatedAt")
    SELECT n.id || '${COPY}' || g, n."requesterId" || '${COPY}' || g, n."requesterId" || '${COPY}' || g,
      n."communityId", n.title, n.description, n.category, n.status, n.rating, ${shift('n."matchedAt"')},
      ${shift('n."fulfilledAt"')}, ${shift('n."createdAt"')}, now()
    FROM "Need" n, generate_series(1, $copies) g`);
  await sql(`
    INSERT INTO "Activity" (id, title, description, category, "communityId", venue, "startsAt", "endsAt", capacity,
      status, "createdById", "walkIns", "publishedAt", "createdAt", "updatedAt")
    SELECT a.id || '${COPY}' || g, a.title, a.description, a.category, a."communityId", a.venue,
      ${shift('a."startsAt"')}, ${shift('a."endsAt"')}, a.capacity, a.status, a."createdById", a."walkIns",
      a."publishedAt", a."createdAt", now()
    FROM "Activity" a, generate_series(1, $copies) g WHERE a.status IN ('FINISHED', 'CANCELLED')`);
  await sql(`
    INSERT INTO "Registration" (id, "activityId", "userId", status, "checkInCode", "checkedInAt", "queuedAt",
      "createdAt", "updatedAt")
    SELECT r.id || '${COPY}' || g, r."activityId" || '${COPY}' || g, r."userId" || '${COPY}' || g, r.status,
      r."checkInCode", ${shift('r."checkedInAt"')}, r."queuedAt", r."createdAt", now()
    FROM "Registration" r JOIN "Activity" a ON a.id = r."activityId", generate_series(1, $copies) g
    WHERE a.status IN ('FINISHED', 'CANCELLED')
      AND EXISTS (SELECT 1 FROM "RoleAssignment" ra WHERE ra."userId" = r."userId" AND ra.role = 'RESIDENT')`);
  await prisma.$executeRawUnsafe(`VACUUM (ANALYZE)`);
}

/** Scales the demo data unless an earlier run already did. */
export async function scaleDemoDataOnce(scale: number) {
  if ((await db().user.count({ where: { id: { contains: COPY } } })) === 0) {
    const scaled = await timed(() => scaleDemoData(scale - 1));
    console.log(`Scaled the demo data ×${scale} in ${num(scaled.seconds)} s.`);
  } else {
    console.log(`The demo data is already scaled ×${scale}.`);
  }
}
