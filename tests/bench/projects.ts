import { createServer } from "node:http";
import { availableParallelism, loadavg } from "node:os";
import { recomputeTallies } from "~/domain/activities/tallies.server";
import { createExpressApp } from "~/http/express.server";
import { loadServerBuild } from "~/http/load-build.server";
import { db, disconnectDb } from "~/lib/db.server";
import { disconnectRedis } from "~/lib/redis.server";
import { int, listen, num, stats, table, timed } from "./measure";
import { SCALE, scaleDemoDataOnce } from "./scale-demo";

// A project's progress read (issue 18): p95 of GET /api/v1/projects/:id with BENCH_PROJECTS (1,000)
// projects over the demo data scaled like the statistics benchmark (×BENCH_STATS_SCALE, 100), every
// finished activity linked to a project of its community, each project buying its provider's
// government-purchased services. Progress is counted live from the tallies and check-in rows (one
// counting path, ADR 0026), so this is the cost of that count for a project of typical size. The
// baseline, in the same run, is the public list of 20 projects (one grouped count for a page).

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 1000);
const REQUESTS = Number(process.env.BENCH_PROJECTS_REQUESTS ?? 200);
const PREFIX = "bench-project-";
const prisma = db();

/** BENCH_PROJECTS projects, purchased by the communities in turn from the approved social
 * organizations in turn, over the last year; the finished activities spread over their community's
 * projects. */
async function createProjects() {
  await prisma.$executeRawUnsafe(`
    WITH c AS (
      SELECT cm.id, cm."subdistrictId", s."districtId", row_number() OVER (ORDER BY cm.id) - 1 AS k,
        count(*) OVER () AS n
      FROM "Community" cm JOIN "Subdistrict" s ON s.id = cm."subdistrictId"),
    p AS (
      SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n
      FROM "Provider" WHERE status = 'APPROVED' AND kind = 'SOCIAL_ORG'),
    staff AS (SELECT "userId" FROM "RoleAssignment" WHERE role = 'DISTRICT_ADMIN' LIMIT 1)
    INSERT INTO "Project" (id, title, description, "purchaserId", "purchaserLevel", "subdistrictId", "districtId",
      "providerId", "budgetFen", "startsOn", "endsOn", "targetActivitiesHeld", "targetPersonTimes",
      "targetUniquePersons", "targetNeedsFulfilled", "targetRatingX100", "createdById", "updatedAt")
    SELECT '${PREFIX}' || g, '基准项目' || g, '为基准测试写入的政府购买服务项目。', c.id, 'COMMUNITY',
      c."subdistrictId", c."districtId", p.id, 10000000 + g, (now() - interval '360 days')::date,
      (now() + interval '5 days')::date, 50, 2000, 500, 20, 450, staff."userId", now()
    FROM generate_series(0, ${PROJECTS - 1}) g
      JOIN c ON c.k = g % c.n
      JOIN p ON p.k = g % p.n
      CROSS JOIN staff`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "ProjectService" ("projectId", "serviceId")
    SELECT pr.id, s.id FROM "Project" pr JOIN "Service" s ON s."providerId" = pr."providerId"
    WHERE pr.id LIKE '${PREFIX}%' AND s.funding = 'GOVERNMENT_PURCHASED'
    ON CONFLICT DO NOTHING`);
  await prisma.$executeRawUnsafe(`
    WITH p AS (
      SELECT id, "purchaserId", row_number() OVER (PARTITION BY "purchaserId" ORDER BY id) - 1 AS k,
        count(*) OVER (PARTITION BY "purchaserId") AS n
      FROM "Project" WHERE id LIKE '${PREFIX}%')
    UPDATE "Activity" a SET "projectId" = p.id
    FROM p
    WHERE p."purchaserId" = a."communityId" AND a."projectId" IS NULL AND a.status = 'FINISHED'
      AND p.k = abs(hashtext(a.id)) % p.n`);
  await prisma.$executeRawUnsafe(`VACUUM (ANALYZE)`);
}

async function timeRequests(url: string) {
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const t0 = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    samples.push(performance.now() - t0);
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  }
  return stats(samples);
}

await scaleDemoDataOnce(SCALE);
if ((await prisma.project.count({ where: { id: { startsWith: PREFIX } } })) === 0) {
  const made = await timed(() => createProjects());
  console.log(`Created ${int(PROJECTS)} projects and linked the activities in ${num(made.seconds)} s.`);
}
// The tallies progress counts from (the worker keeps them; the copies have none until counted).
await recomputeTallies();

// Requests go round the projects, from the busiest down, so no single project's pages stay cached.
const linked = await prisma.$queryRaw<{ id: string; activities: number }[]>`
  SELECT p.id, count(a.id)::int AS activities
  FROM "Project" p LEFT JOIN "Activity" a ON a."projectId" = p.id
  WHERE p.id LIKE ${`${PREFIX}%`}
  GROUP BY p.id ORDER BY activities DESC, p.id`;
const sizes = stats(linked.map((row) => row.activities));
table(
  ["projects", "count", "linked activities p50", "p95", "max"],
  [["bench projects", int(linked.length), int(sizes.p50), int(sizes.p95), int(sizes.max)]],
);

const app = createServer(createExpressApp({ build: await loadServerBuild(), trustProxy: false }));
const origin = await listen(app);
console.log(
  `GET /api/v1/projects/:id, ${REQUESTS} sequential requests over the projects, load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`,
);
const busiest = linked.slice(0, Math.min(linked.length, REQUESTS));
const samples: number[] = [];
for (let i = 0; i < REQUESTS * 2; i += 1) {
  const project = busiest[i % busiest.length];
  if (!project) break;
  const t0 = performance.now();
  const response = await fetch(`${origin}/api/v1/projects/${project.id}`);
  await response.arrayBuffer();
  // The first round warms up (JIT, pools, the territory tree); the second is measured.
  if (i >= REQUESTS) samples.push(performance.now() - t0);
  if (response.status !== 200) throw new Error(`project ${project.id} answered ${response.status}`);
}
const one = stats(samples);
const list = await timeRequests(`${origin}/api/v1/projects?pageSize=20`);
table(
  ["endpoint", "p50 ms", "p95 ms", "p99 ms", "max ms"],
  [
    ["GET /api/v1/projects/:id (progress)", num(one.p50), num(one.p95), num(one.p99), num(one.max)],
    [
      "GET /api/v1/projects?pageSize=20 (baseline)",
      num(list.p50),
      num(list.p95),
      num(list.p99),
      num(list.max),
    ],
  ],
);
console.log(`Project progress read p95 ${num(one.p95)} ms over ${int(PROJECTS)} projects at ×${SCALE}.`);
// The server keeps idle keep-alive sockets open for a minute: close them, so the run ends now.
app.close();
app.closeAllConnections();
await disconnectDb();
await disconnectRedis();
