import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Actor } from "~/domain/accounts/actor";
import { actorForToken, startSession } from "~/domain/accounts/sessions.server";
import { createActivitySchema } from "~/domain/activities/activities.schema";
import { createActivity } from "~/domain/activities/activities.server";
import { sweepActivities } from "~/domain/activities/lifecycle.server";
import { CLAIM_PLACES_SQL, claimPlace, claimPlacesParams } from "~/domain/activities/seat-claims.server";
import { RECENT_DAYS, recomputeRecent, recomputeTallies } from "~/domain/activities/tallies.server";
import { CATEGORY_CODES } from "~/domain/catalog/categories";
import { recountDays } from "~/domain/stats/daily.server";
import { chinaDay } from "~/lib/china-time";
import { db, disconnectDb } from "~/lib/db.server";
import { sharedEnv } from "~/lib/env.server";
import { disconnectRedis } from "~/lib/redis.server";
import {
  freePort,
  type Spawned,
  spawnProcess,
  stopProcess,
  waitUntilListening,
  workerStarted,
} from "../setup/processes";
import { int, num, type Stats, stats, table, timed } from "./measure";

// npm run bench, activities: (1) the registration rush: 600 registrations at once for one activity of
// 100 seats through the app in its own process (API tokens, distinct residents), and in the same run the
// app's claim driven straight through pg (the physical limit) and the same statement one registration at
// a time, and the first two again spread over 50 activities (no hot row), each checked for exactness
// (seats, waitlist order, codes, the seat counter);
// (2) the set-based tally recomputation at 1,000,000 check-ins (1,000 finished activities generated
// with generate_series); (3) the life-cycle lateness of ONGOING and FINISHED against their scheduled
// times, with the real worker process (workers/index.ts) relaying the outbox and running the delayed jobs.
// Uses the database in DATABASE_URL (with the demo data) and the Redis in REDIS_URL; every row it
// writes is tagged (titles "[bench-act]…", ids "benchact_…") and removed at the end and before a run.

const SEATS = 100;
const REQUESTS = Number(process.env.BENCH_REGISTRATIONS ?? 600);
const POOL_USERS = 20_000;
const TALLY_ACTIVITIES = Number(process.env.BENCH_TALLY_ACTIVITIES ?? 1000);
const PER_ACTIVITY = Number(process.env.BENCH_TALLY_PER_ACTIVITY ?? 1000);
const LIFECYCLE_ACTIVITIES = Number(process.env.BENCH_LIFECYCLE_ACTIVITIES ?? 40);
const POLL_MS = 50;
const TARGETS = { tallySeconds: 10 };
/** BENCH_ACTIVITY_PARTS=2 runs the tallies only, say; all three by default. */
const PARTS = new Set((process.env.BENCH_ACTIVITY_PARTS ?? "1,2,3").split(",").map((p) => p.trim()));

const TAG = "[bench-act]";
const USER_PREFIX = "benchact_u";
const ACTIVITY_PREFIX = "benchact_a";
const userId = (n: number) => `${USER_PREFIX}${String(n).padStart(6, "0")}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const verdict = (ok: boolean) => (ok ? "met" : "NOT MET");
const check = (ok: boolean) => (ok ? "ok" : "FAILED");

type Attempt<T> = { value?: T; seconds: number; error?: string };

/** Like timed, but a failure is reported (with how long it took) instead of ending the run. */
async function attempt<T>(work: () => Promise<T>): Promise<Attempt<T>> {
  const t0 = performance.now();
  try {
    const value = await work();
    return { value, seconds: (performance.now() - t0) / 1000 };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      seconds: (performance.now() - t0) / 1000,
      error: message.replace(/\s+/g, " ").trim().slice(0, 400),
    };
  }
}

/** Counts log lines by message (500 lines of the same error would bury the tables). */
function countLines(text: string, logged: Map<string, number>) {
  for (const line of text.split("\n").filter(Boolean)) {
    let key = line.slice(0, 200);
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string; errorMessage?: string };
      key = `${entry.level} "${entry.msg}"${entry.errorMessage ? `: ${entry.errorMessage}` : ""}`;
    } catch {
      // not one of our JSON log lines: counted as it is
    }
    logged.set(key, (logged.get(key) ?? 0) + 1);
  }
}

/** Runs work with what this process and the app's process log on stderr counted instead of printed. */
async function countingStderr<T>(work: () => Promise<T>): Promise<{ value: T; logged: Map<string, number> }> {
  const logged = new Map<string, number>();
  const original = process.stderr.write;
  const appBefore = server.stderr().length;
  const counting = (chunk: string | Uint8Array) => {
    countLines(String(chunk), logged);
    return true;
  };
  process.stderr.write = counting as typeof process.stderr.write;
  try {
    return { value: await work(), logged };
  } finally {
    process.stderr.write = original;
    countLines(server.stderr().slice(appBefore), logged);
  }
}

// Set-up and clean-up.

// Bulk set-up and clean-up statements go straight to PostgreSQL: through Prisma, a statement that
// runs longer than 5 s fails (P2028), and a million rows take longer than that to write or delete.
const setupClient = new pg.Client({ connectionString: sharedEnv().DATABASE_URL });
const setupSql = (text: string, values: unknown[] = []) => setupClient.query(text, values);

/** Removes every row an earlier or this run wrote, and recounts the daily figures of their days. */
async function cleanUp() {
  const activities = await db().$queryRaw<{ id: string; startsAt: Date }[]>`
    SELECT id, "startsAt" FROM "Activity" WHERE title LIKE ${`${TAG}%`}`;
  const ids = activities.map((a) => a.id);
  if (ids.length) {
    await setupSql(`DELETE FROM "Registration" WHERE "activityId" = ANY($1::text[])`, [ids]);
    await setupSql(
      `DELETE FROM "OutboxEvent" WHERE "aggregateType" = 'Activity' AND "aggregateId" = ANY($1::text[])`,
      [ids],
    );
    await setupSql(`DELETE FROM "AuditLog" WHERE "targetId" = ANY($1::text[])`, [ids]);
    const search = await setupSql(`SELECT to_regclass('search.document') IS NOT NULL AS exists`);
    if (search.rows[0]?.exists) {
      await setupSql(`DELETE FROM search.document WHERE type = 'activity' AND id = ANY($1::text[])`, [ids]);
    }
    await setupSql(`DELETE FROM "Activity" WHERE id = ANY($1::text[])`, [ids]);
  }
  await setupSql(`DELETE FROM "AuditLog" WHERE "actorId" LIKE $1 || '%'`, [USER_PREFIX]);
  await setupSql(`DELETE FROM "User" WHERE id LIKE $1 || '%'`, [USER_PREFIX]);
  if (activities.length) {
    const times = activities.map((a) => a.startsAt.getTime());
    await recountDays({
      from: chinaDay(new Date(Math.min(...times))),
      to: chinaDay(new Date(Math.max(...times))),
    });
  }
  return ids.length;
}

/** The demo district admin, acting through a session of its own (removed at the end). */
async function adminActor(): Promise<Actor> {
  const grant = await db().roleAssignment.findFirst({
    where: { role: "DISTRICT_ADMIN" },
    orderBy: { createdAt: "asc" },
    select: { userId: true },
  });
  if (!grant) throw new Error("no district admin: seed the database with the demo data first");
  const { token } = await startSession(grant.userId, "API");
  const actor = await actorForToken(token);
  if (!actor) throw new Error("the admin's session does not work");
  return actor;
}

/** POOL_USERS residents across the demo communities, in one statement. */
async function insertUsers(communityIds: string[]) {
  await setupSql(
    `INSERT INTO "User" (id, phone, "passwordHash", name, "communityId", "createdAt", "updatedAt")
    SELECT $1 || lpad(g::text, 6, '0'), '166' || lpad(g::text, 8, '0'), '!bench-no-login', '压测居民' || g,
      ($2::text[])[1 + g % cardinality($2::text[])], now(), now()
    FROM generate_series(0, $3::int - 1) g`,
    [USER_PREFIX, communityIds, POOL_USERS],
  );
  await setupSql(
    `INSERT INTO "RoleAssignment" (id, "userId", role, "scopeType", "scopeId", "createdAt")
    SELECT 'benchact_ra' || u.id, u.id, 'RESIDENT', 'COMMUNITY', u."communityId", now()
    FROM "User" u WHERE u.id LIKE $1 || '%'`,
    [USER_PREFIX],
  );
}

/** API tokens for users 0..n-1, through startSession, ten at a time. */
async function tokensFor(n: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, (_, k) => startSession(userId(i + k), "API")),
    );
    tokens.push(...batch.map((s) => s.token));
  }
  return tokens;
}

async function publishedActivity(admin: Actor, communityId: string, title: string, capacity: number) {
  const startsAt = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  return db().activity.create({
    data: {
      title: `${TAG} ${title}`,
      description: "压测生成的活动，运行结束后删除。",
      category: "elderly-care",
      communityId,
      venue: "社区活动室",
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3600 * 1000),
      capacity,
      status: "PUBLISHED",
      publishedAt: new Date(),
      createdById: admin.userId,
    },
    select: { id: true },
  });
}

// 1. Registration under load.

/** The rush is also spread over this many activities (no hot row), to show the cost of the hot row. */
const SPREAD_ACTIVITIES = 50;
/** The plain pg pool's size (DATABASE_SQL_POOL_SIZE, lib/sql.server.ts), in the app and here alike. */
const POOL_SIZE = sharedEnv().DATABASE_SQL_POOL_SIZE;
const TARGETS_REGISTRATION = { rps: 500, p95Ms: 1500 };

type Timing = Stats & { rps: number; seconds: number; failed: number; firstFailure?: string };

/** Runs all n at once and times each and the whole (the wall time from the first send to the last answer). */
async function allAtOnce(n: number, work: (i: number) => Promise<void>): Promise<Timing> {
  const started = performance.now();
  const failures: string[] = [];
  const ms = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const t0 = performance.now();
      await work(i).catch((error: unknown) => failures.push(String(error).slice(0, 300)));
      return performance.now() - t0;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...stats(ms), rps: n / seconds, seconds, failed: failures.length, firstFailure: failures[0] };
}

/** One request to the app on a connection of its own, as 600 phones would send it. Through node:http
 * rather than fetch, whose Request, Response and stream objects cost more CPU per request: the 600
 * clients share the machine with the app they measure. */
function send(method: "GET" | "POST", path: string, headers: Record<string, string> = {}, at = origin) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const body = method === "POST" ? "{}" : "";
    const request = http.request(
      `${at}${path}`,
      {
        method,
        agent: false,
        headers: {
          ...headers,
          ...(body ? { "content-type": "application/json", "content-length": "2" } : {}),
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** REQUESTS × GET /healthz at once against a server, with the CPU time per request of its process and
 * of this one (the clients). */
async function healthzBurst(proc: Spawned, at: string) {
  const cpuBefore = await processCpuMs(proc);
  const clientBefore = await ownCpuMs();
  const timing = await allAtOnce(REQUESTS, async () => {
    const { status } = await send("GET", "/healthz", {}, at);
    if (status !== 200) throw new Error(String(status));
  });
  return {
    ...timing,
    cpuMs: ((await processCpuMs(proc)) - cpuBefore) / REQUESTS,
    clientCpuMs: ((await ownCpuMs()) - clientBefore) / REQUESTS,
  };
}

/** A bare node:http server answering /healthz with the bytes the app sends for it. */
async function bareServer() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "sanshe-bench-floor-"));
  const answer = await fetch(`${origin}/healthz`);
  const file = path.join(dir, "healthz.json");
  await writeFile(file, Buffer.from(await answer.arrayBuffer()));
  const manifestFile = path.join(dir, "manifest.json");
  const contentType = answer.headers.get("content-type") ?? "application/json";
  await writeFile(manifestFile, JSON.stringify({ "/healthz": { file, contentType } }));
  const port = await freePort();
  const bare = spawnProcess("tests/bench/bare-server.ts", { PORT: String(port) }, [manifestFile]);
  const bareOrigin = `http://127.0.0.1:${port}`;
  await waitUntilListening(bare, `${bareOrigin}/healthz`);
  // Warm-up, as the app had its own.
  await allAtOnce(50, async () => {
    await send("GET", "/healthz", {}, bareOrigin);
  });
  return { process: bare, origin: bareOrigin, dir };
}

/** CPU time (user + system) a process of ours and its live children have used, in ms, from /proc
 * (Linux): with WEB_PROCESSES above one the first process only forks, and its children serve. */
async function processCpuMs(proc: Spawned) {
  const pid = String(proc.child.pid);
  let total = 0;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // Fields after the command name (which is in parentheses): ppid is the 2nd, utime and stime
    // the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (entry === pid || fields[1] === pid) total += Number(fields[11]) + Number(fields[12]);
  }
  return (total * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;
const ownCpuMs = async () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const loadAverage = () =>
  os
    .loadavg()
    .map((n) => num(n, 2))
    .join(" ");

/** Whether the activities' rows are exact after a rush of `each` registrations per activity: seats =
 * min(each, seats), the rest waitlisted, one row and one check-in code per person, places numbered
 * 1..each with every seat's before every waitlist place, and the seat counter equal to the rows. */
async function exactness(activityIds: string[], each: number, seats: number): Promise<string[]> {
  const { rows } = await setupSql(
    `SELECT a.id, s.taken, s."lastPlace",
      count(r.id) FILTER (WHERE r.status = 'REGISTERED')::int AS registered,
      count(r.id) FILTER (WHERE r.status = 'WAITLISTED')::int AS waitlisted,
      count(r.id)::int AS rows, count(DISTINCT r."userId")::int AS users,
      count(DISTINCT r."checkInCode")::int AS codes, count(DISTINCT r.place)::int AS places,
      coalesce(max(r.place) FILTER (WHERE r.status = 'REGISTERED'), 0) AS "lastSeat",
      coalesce(min(r.place) FILTER (WHERE r.status = 'WAITLISTED'), 2147483647) AS "firstWait",
      coalesce(max(r.place), 0) AS "maxPlace"
    FROM "Activity" a JOIN "ActivitySeats" s ON s."activityId" = a.id
    LEFT JOIN "Registration" r ON r."activityId" = a.id
    WHERE a.id = ANY($1::text[]) GROUP BY a.id, s.taken, s."lastPlace"`,
    [activityIds],
  );
  const seated = Math.min(each, seats);
  const problems: string[] = [];
  for (const row of rows) {
    const expect = (what: string, got: number, want: number) => {
      if (got !== want) problems.push(`${row.id}: ${what} ${got}, expected ${want}`);
    };
    expect("seats", row.registered, seated);
    expect("waitlisted", row.waitlisted, each - seated);
    expect("rows", row.rows, each);
    expect("distinct people", row.users, each);
    expect("distinct check-in codes", row.codes, each);
    expect("distinct places", row.places, each);
    expect("highest place", row.maxPlace, each);
    expect("counter's places", row.lastPlace, each);
    expect("counter's seats", row.taken, row.registered);
    if (row.lastSeat > row.firstWait) problems.push(`${row.id}: a waitlist place before a seat`);
  }
  if (rows.length !== activityIds.length) problems.push(`${rows.length} of ${activityIds.length} activities`);
  return problems;
}

async function benchRegistration(admin: Actor, communityIds: string[], tokens: string[]) {
  const [communityA = ""] = communityIds;
  const perSpread = Math.ceil(REQUESTS / SPREAD_ACTIVITIES);
  const activities = async (label: string, n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        publishedActivity(admin, communityIds[i % communityIds.length] ?? communityA, `${label} ${i}`, SEATS),
      ),
    ).then((rows) => rows.map((row) => row.id));
  const [warmUp = ""] = await activities("报名预热", 1);
  const [hotApp = ""] = await activities("报名压测", 1);
  const [hotPg = ""] = await activities("报名压测 pg", 1);
  const [hotSingle = ""] = await activities("报名压测 pg 逐条", 1);
  const spreadApp = await activities("分散报名", SPREAD_ACTIVITIES);
  const spreadPg = await activities("分散报名 pg", SPREAD_ACTIVITIES);

  /** Through the app: POST …/registrations with person i's token; anything but a 201 is a failure. */
  const viaApp = (activityOf: (i: number) => string, tokenOffset: number) => async (i: number) => {
    const { status, body } = await send("POST", `/api/v1/activities/${activityOf(i)}/registrations`, {
      authorization: `Bearer ${tokens[tokenOffset + i] ?? ""}`,
    });
    if (status !== 201) throw new Error(`${status} ${body.slice(0, 200)}`);
  };
  // Straight through pg, no HTTP, no Prisma, no token lookup: the app's own claim (claimPlace: the
  // same statement, the same batching of those who arrive while a claim runs, the same pool size).
  const viaClaim = (activityOf: (i: number) => string, userOffset: number) => async (i: number) => {
    const place = await claimPlace(activityOf(i), { userId: userId(userOffset + i), registeredById: null });
    if (!place) throw new Error("no place claimed");
  };
  // The same statement for one person at a time (no batching) on a pool of the same size: a commit per
  // registration behind the counter's row lock, the bound of the design before batching.
  const pool = new pg.Pool({ connectionString: sharedEnv().DATABASE_URL, max: POOL_SIZE });
  const viaSingleStatements =
    (activityOf: (i: number) => string, userOffset: number) => async (i: number) => {
      const claimant = { userId: userId(userOffset + i), registeredById: null };
      for (;;) {
        try {
          const { rowCount } = await pool.query(
            CLAIM_PLACES_SQL,
            claimPlacesParams(activityOf(i), [claimant]),
          );
          if (rowCount !== 1) throw new Error(`claimed ${rowCount} places`);
          return;
        } catch (error) {
          if (
            error instanceof pg.DatabaseError &&
            error.constraint === "Registration_activityId_checkInCode_key"
          )
            continue;
          throw error;
        }
      }
    };
  try {
    // Warm-up: JIT, the route, the pools; other users on another activity.
    await allAtOnce(
      50,
      viaApp(() => warmUp, 2 * REQUESTS),
    );
    await allAtOnce(
      50,
      viaClaim(() => warmUp, 3 * REQUESTS),
    );
    await allAtOnce(
      50,
      viaSingleStatements(() => warmUp, 3 * REQUESTS + 50),
    );

    const hot = () => hotApp;
    const runs: {
      name: string;
      path: string;
      ids: string[];
      each: number;
      timing: Timing;
      load: string;
      cpuMs: number;
      clientCpuMs?: number;
    }[] = [];
    const run = async (
      name: string,
      path: string,
      ids: string[],
      each: number,
      work: (i: number) => Promise<void>,
    ) => {
      const load = loadAverage();
      // CPU spent by the process that runs the app's code: the app's own for HTTP, this one's for pg.
      const cpu = path.startsWith("app") ? () => processCpuMs(server) : () => ownCpuMs();
      const cpuBefore = await cpu();
      const clientBefore = await ownCpuMs();
      const { value: timing, logged } = await countingStderr(() => allAtOnce(REQUESTS, work));
      const cpuMs = ((await cpu()) - cpuBefore) / REQUESTS;
      // For HTTP, this process is the 600 clients, and they share the two cores with the app.
      const clientCpuMs = path.startsWith("app") ? ((await ownCpuMs()) - clientBefore) / REQUESTS : undefined;
      runs.push({ name, path, ids, each, timing, load, cpuMs, clientCpuMs });
      for (const [line, times] of logged)
        console.log(`  (${name}, ${path}) the app logged ${times}× ${line}`);
    };
    await run("one activity", "app (HTTP)", [hotApp], REQUESTS, viaApp(hot, 0));
    await run(
      "one activity",
      "pg (same claim)",
      [hotPg],
      REQUESTS,
      viaClaim(() => hotPg, 4 * REQUESTS),
    );
    await run(
      "one activity",
      "pg (1 per statement)",
      [hotSingle],
      REQUESTS,
      viaSingleStatements(() => hotSingle, 6 * REQUESTS),
    );
    const spread = (ids: string[]) => (i: number) => ids[i % ids.length] ?? "";
    await run(
      `${SPREAD_ACTIVITIES} activities`,
      "app (HTTP)",
      spreadApp,
      perSpread,
      viaApp(spread(spreadApp), REQUESTS),
    );
    await run(
      `${SPREAD_ACTIVITIES} activities`,
      "pg (same claim)",
      spreadPg,
      perSpread,
      viaClaim(spread(spreadPg), 5 * REQUESTS),
    );

    console.log(
      `## 1. Registration rush: ${REQUESTS} registrations at once (distinct residents), ${SEATS} seats per ` +
        `activity; through the app in its own process (POST /api/v1/activities/:id/registrations with API ` +
        `tokens), and straight through pg on ${POOL_SIZE} connections (the app's pool size, ` +
        `DATABASE_SQL_POOL_SIZE): the app's claim (the same statement and batching; the physical limit) ` +
        `and the same statement one registration at a time. CPU ms/reg: CPU time of the processes running ` +
        `the app's code (the app's serving processes for HTTP, this one for pg) per registration, a figure the ` +
        `machine's load disturbs less than the times\n`,
    );
    const results = [];
    for (const r of runs) {
      const problems = await exactness(r.ids, r.each, SEATS);
      results.push({ ...r, problems });
    }
    table(
      [
        "activities",
        "path",
        "N",
        "seats",
        "wall s",
        "reg/s",
        "p50 ms",
        "p95 ms",
        "max ms",
        "failed",
        "exact",
        "CPU ms/reg",
        "clients' CPU ms/reg",
        "load avg before",
      ],
      results.map((r) => [
        r.name,
        r.path,
        REQUESTS,
        SEATS * r.ids.length,
        num(r.timing.seconds, 2),
        int(r.timing.rps),
        num(r.timing.p50),
        num(r.timing.p95),
        num(r.timing.max),
        r.timing.failed,
        r.problems.length ? "NO" : "yes",
        num(r.cpuMs, 2),
        r.clientCpuMs === undefined ? "—" : num(r.clientCpuMs, 2),
        r.load,
      ]),
    );
    const [appHot, pgHot, pgSingle, appSpread, pgSpread] = results;
    const ratio = (a?: Timing, b?: Timing) => (a && b ? `${num(a.rps / b.rps, 2)}×` : "—");
    console.log(
      `app ÷ pg (the physical limit): one activity ${ratio(appHot?.timing, pgHot?.timing)}, ` +
        `${SPREAD_ACTIVITIES} activities ${ratio(appSpread?.timing, pgSpread?.timing)}; ` +
        `one activity ÷ ${SPREAD_ACTIVITIES} activities (the hot row's cost): app ${ratio(appHot?.timing, appSpread?.timing)}, ` +
        `pg ${ratio(pgHot?.timing, pgSpread?.timing)}; the claim's batching on one activity: ` +
        `${ratio(pgHot?.timing, pgSingle?.timing)} of one statement per registration; ` +
        `load average after: ${loadAverage()}\n`,
    );
    for (const r of results) {
      for (const problem of r.problems.slice(0, 5)) console.log(`  ${r.name}, ${r.path}: ${problem}`);
      if (r.timing.firstFailure)
        console.log(`  ${r.name}, ${r.path}: first failure: ${r.timing.firstFailure}`);
    }
    // The floor under any request: Express, Remix and the JSON answer, no database (GET /healthz);
    // and under that, Node's own HTTP server answering the same bytes (tests/bench/bare-server.ts).
    const floor = await healthzBurst(server, origin);
    const bare = await bareServer();
    const bareFloor = await healthzBurst(bare.process, bare.origin).finally(async () => {
      await stopProcess(bare.process);
      await rm(bare.dir, { recursive: true, force: true });
    });
    console.log(
      `the app's floor, ${REQUESTS} × GET /healthz at once (no database): ${int(floor.rps)}/s, p95 ` +
        `${num(floor.p95)} ms, ${num(floor.cpuMs, 2)} CPU ms per request in the app's process, ` +
        `${num(floor.clientCpuMs, 2)} in the clients'; a bare node:http server sending the same answer: ` +
        `${int(bareFloor.rps)}/s, p95 ${num(bareFloor.p95)} ms, ${num(bareFloor.cpuMs, 2)} CPU ms per request ` +
        `in its process, ${num(bareFloor.clientCpuMs, 2)} in the clients'; load average ${loadAverage()}\n`,
    );
    const exact = results.every((r) => !r.problems.length && !r.timing.failed);
    const met =
      !!appHot &&
      appHot.timing.rps >= TARGETS_REGISTRATION.rps &&
      appHot.timing.p95 <= TARGETS_REGISTRATION.p95Ms &&
      appHot.timing.failed === 0;
    console.log(
      `target: one activity through the app ≥ ${TARGETS_REGISTRATION.rps} registrations/s with p95 ≤ ` +
        `${TARGETS_REGISTRATION.p95Ms} ms and no failure — ${verdict(met)}; every run exact — ${verdict(exact)}\n`,
    );
    return { exact, met };
  } finally {
    await pool.end();
  }
}

// 2. Tallies at a million check-ins.

async function benchTallies(admin: Actor, communityIds: string[]) {
  const total = TALLY_ACTIVITIES * PER_ACTIVITY;
  console.log(
    `## 2. Tallies: ${int(TALLY_ACTIVITIES)} finished activities × ${int(PER_ACTIVITY)} checked-in registrations = ${int(total)} (users from a pool of ${int(POOL_USERS)})\n`,
  );
  // Activities across the past year (one every ~8.7 hours), across the demo communities.
  const spacingHours = (365 * 24) / TALLY_ACTIVITIES;
  const insertActivities = await timed(() =>
    setupSql(
      `INSERT INTO "Activity" (id, title, description, category, "communityId", venue, "startsAt", "endsAt",
        capacity, status, "createdById", "walkIns", "publishedAt", version, "createdAt", "updatedAt")
      SELECT $1 || lpad(g::text, 5, '0'), $2 || ' 统计压测 ' || g, '压测生成的已结束活动，运行结束后删除。',
        ($3::text[])[1 + g % cardinality($3::text[])], ($4::text[])[1 + g % cardinality($4::text[])],
        '社区活动室', s.at, s.at + interval '2 hours', $5::int, 'FINISHED', $6, g % 7,
        s.at - interval '7 days', 3, s.at - interval '7 days', s.at + interval '2 hours'
      FROM generate_series(0, $7::int - 1) g,
        LATERAL (SELECT (now() AT TIME ZONE 'UTC') - interval '3 hours' - g * $8::float8 * interval '1 hour' AS at) s`,
      [
        ACTIVITY_PREFIX,
        TAG,
        [...CATEGORY_CODES],
        communityIds,
        PER_ACTIVITY,
        admin.userId,
        TALLY_ACTIVITIES,
        spacingHours,
      ],
    ),
  );
  // One statement: activity a's slot s goes to pool user (a·7919 + s) mod POOL, distinct within the
  // activity because PER_ACTIVITY ≤ POOL; the check-in code is the slot number, also distinct.
  const insertRegistrations = await timed(() =>
    setupSql(
      `INSERT INTO "Registration" (id, "activityId", "userId", status, "checkInCode", "checkedInAt", "queuedAt",
        "createdAt", "updatedAt")
      SELECT 'benchact_r' || a.n || '_' || s, a.id, $1 || lpad(((a.n * 7919 + s) % $2::int)::text, 6, '0'),
        'REGISTERED', lpad(s::text, 6, '0'), a."startsAt" + (s % 30) * interval '1 minute',
        a."startsAt" - interval '3 days', a."startsAt" - interval '3 days', a."startsAt"
      FROM (SELECT id, "startsAt", substr(id, length($3) + 1)::int AS n
            FROM "Activity" WHERE id LIKE $3 || '%') a,
        generate_series(0, $4::int - 1) s`,
      [USER_PREFIX, POOL_USERS, ACTIVITY_PREFIX, PER_ACTIVITY],
    ),
  );
  // Cold: the first read of freshly written rows also sets their hint bits (and may race autovacuum).
  const cold = await attempt(() => recomputeTallies());
  // Then a table in steady state: autovacuum would have set the hint bits and the visibility map,
  // and the planner's statistics, long before a nightly recount.
  const vacuum = await timed(() => setupSql(`VACUUM (ANALYZE) "Activity", "Registration"`));
  const [scope] = await db().$queryRaw<{ rows: bigint; checkedIn: bigint }[]>`
    SELECT count(r.id) AS rows,
      count(r.id) FILTER (WHERE r.status = 'REGISTERED' AND r."checkedInAt" IS NOT NULL) AS "checkedIn"
    FROM "Activity" a LEFT JOIN "Registration" r ON r."activityId" = a.id WHERE a.status = 'FINISHED'`;
  const rows = Number(scope?.rows ?? 0);

  const first = await attempt(() => recomputeTallies());
  const second = await attempt(() => recomputeTallies());
  const now = new Date();
  const year = { from: chinaDay(new Date(now.getTime() - 366 * 24 * 3600 * 1000)), to: chinaDay(now) };
  const daily = await attempt(() => recountDays(year));
  const recent = await attempt(() => recomputeRecent());
  const recentFrom = chinaDay(new Date(now.getTime() - RECENT_DAYS * 24 * 3600 * 1000));
  const [recentRows] = await db().$queryRaw<{ rows: bigint }[]>`
    SELECT count(*) AS rows FROM "Registration" r JOIN "Activity" a ON a.id = r."activityId"
    WHERE a.status = 'FINISHED' AND a."startsAt" >= ${new Date(recentFrom.getTime() - 8 * 3600 * 1000)}`;
  const rate = (n: number, step: Attempt<unknown>) => (step.error ? "—" : int(n / step.seconds));
  const seconds = (step: Attempt<unknown>) =>
    step.error ? `failed after ${num(step.seconds, 2)}` : num(step.seconds, 2);

  table(
    ["step", "seconds", "rows", "rows/s"],
    [
      [
        "insert activities (generate_series)",
        num(insertActivities.seconds, 2),
        int(insertActivities.value.rowCount ?? 0),
        "—",
      ],
      [
        "insert registrations (generate_series)",
        num(insertRegistrations.seconds, 2),
        int(insertRegistrations.value.rowCount ?? 0),
        int((insertRegistrations.value.rowCount ?? 0) / insertRegistrations.seconds),
      ],
      ["recomputeTallies() all, cold (right after the insert)", seconds(cold), int(rows), rate(rows, cold)],
      ["VACUUM (ANALYZE) Activity, Registration", num(vacuum.seconds, 2), "—", "—"],
      ["recomputeTallies() all, first", seconds(first), int(rows), rate(rows, first)],
      ["recomputeTallies() all, again", seconds(second), int(rows), rate(rows, second)],
      ["recountDays(past year): daily figures and attendance", seconds(daily), int(rows), rate(rows, daily)],
      [
        `recomputeRecent() (${recent.value?.activities ?? "?"} activities)`,
        seconds(recent),
        int(Number(recentRows?.rows ?? 0)),
        rate(Number(recentRows?.rows ?? 0), recent),
      ],
    ],
  );
  for (const [name, step] of [
    ["recomputeTallies(), cold", cold],
    ["recomputeTallies(), first", first],
    ["recomputeTallies(), again", second],
    ["recountDays", daily],
    ["recomputeRecent", recent],
  ] as const) {
    if (step.error) console.log(`${name} failed: ${step.error}\n`);
  }

  const [bench] = await db().$queryRaw<{ tallies: bigint; checkedIn: bigint | null }[]>`
    SELECT count(*) AS tallies, sum("checkedIn") AS "checkedIn" FROM "ActivityTally"
    WHERE "activityId" LIKE ${`${ACTIVITY_PREFIX}%`}`;
  const [all] = await db().$queryRaw<{ checkedIn: bigint | null }[]>`
    SELECT sum(t."checkedIn") AS "checkedIn" FROM "ActivityTally" t
    JOIN "Activity" a ON a.id = t."activityId" WHERE a.status = 'FINISHED'`;
  const [days] = await db().$queryRaw<{ stats: bigint | null; tallies: bigint | null }[]>`
    SELECT (SELECT sum("checkedIn") FROM "TerritoryDailyStat" WHERE level = 'COMMUNITY' AND day BETWEEN ${year.from}::date AND ${year.to}::date) AS stats,
      (SELECT sum(t."checkedIn") FROM "ActivityTally" t JOIN "Activity" a ON a.id = t."activityId"
       WHERE a.status = 'FINISHED'
         AND ((a."startsAt" AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${year.from}::date AND ${year.to}::date) AS tallies`;
  const checks: [string, string, string, boolean][] = [
    [
      "bench tallies: activities",
      int(TALLY_ACTIVITIES),
      int(Number(bench?.tallies ?? 0)),
      Number(bench?.tallies) === TALLY_ACTIVITIES,
    ],
    [
      "bench tallies: sum of checkedIn",
      int(total),
      int(Number(bench?.checkedIn ?? 0)),
      Number(bench?.checkedIn) === total,
    ],
    [
      "all finished: tally sum = checked-in rows",
      int(Number(scope?.checkedIn ?? 0)),
      int(Number(all?.checkedIn ?? 0)),
      Number(all?.checkedIn) === Number(scope?.checkedIn),
    ],
    [
      "past year: daily stats sum = tally sum",
      int(Number(days?.tallies ?? 0)),
      int(Number(days?.stats ?? 0)),
      Number(days?.stats) === Number(days?.tallies),
    ],
  ];
  table(
    ["correctness", "expected", "got", "result"],
    checks.map(([what, expected, got, ok]) => [what, expected, got, check(ok)]),
  );
  const met = [first, second].every((step) => !step.error && step.seconds <= TARGETS.tallySeconds);
  console.log(
    `target: recomputeTallies() over ${int(rows)} rows ≤ ${TARGETS.tallySeconds} s: ` +
      `${seconds(first)} s first, ${seconds(second)} s again, after VACUUM — ${verdict(met)}; ` +
      `cold, right after writing the million rows: ${seconds(cold)} s\n`,
  );
  return { ok: checks.every(([, , , ok]) => ok), met };
}

// 3. Life-cycle lateness with the real worker.

async function benchLifecycle(admin: Actor, communityIds: string[]) {
  console.log(
    `## 3. Life cycle: ${LIFECYCLE_ACTIVITIES} activities published through the domain, the worker process ` +
      `(OUTBOX_POLL_MS=100) starting and finishing them; the database polled every ${POLL_MS} ms\n`,
  );
  // The demo data's own overdue steps first (what the worker's first sweep would do), so they do not
  // fall into the measured window on a database seeded long ago.
  const swept = await sweepActivities();
  if (swept.started + swept.finished) {
    console.log(
      `(demo data brought up to date first: ${swept.started} started, ${swept.finished} finished)\n`,
    );
  }
  const worker: Spawned = spawnProcess("workers/index.ts", { OUTBOX_POLL_MS: "100", LOG_LEVEL: "info" });
  try {
    await workerStarted(worker);
    // Let the relay drain what is pending and the first sweep run, so they do not share the window.
    await sleep(1500);

    const planned: { id: string; startsAt: number; endsAt: number }[] = [];
    const createdMs: number[] = [];
    const seen = new Map<string, { ongoing?: number; finished?: number; skipped?: boolean }>();
    // The poller runs while the activities are being created: the first ones start 3 s after their
    // creation, before the last ones are created.
    let deadline = Number.POSITIVE_INFINITY;
    let polls = 0;
    const poller = (async () => {
      while (Date.now() < deadline) {
        const ids = planned.map((p) => p.id);
        const rows = await db().$queryRaw<{ id: string; status: string }[]>`
          SELECT id, status::text FROM "Activity" WHERE id = ANY(${ids}::text[])`;
        const at = Date.now();
        polls += 1;
        for (const row of rows) {
          const entry = seen.get(row.id) ?? {};
          if (row.status === "ONGOING" && entry.ongoing === undefined) entry.ongoing = at;
          if (row.status === "FINISHED" && entry.finished === undefined) {
            entry.finished = at;
            if (entry.ongoing === undefined) entry.skipped = true; // ONGOING came and went between polls
          }
          seen.set(row.id, entry);
        }
        const done = rows.length === LIFECYCLE_ACTIVITIES && rows.every((r) => r.status === "FINISHED");
        if (done) break;
        await sleep(POLL_MS);
      }
    })();
    try {
      for (let i = 0; i < LIFECYCLE_ACTIVITIES; i += 1) {
        const startsAt = new Date(
          Date.now() + 3000 + Math.round((12_000 * i) / Math.max(1, LIFECYCLE_ACTIVITIES - 1)),
        );
        const endsAt = new Date(startsAt.getTime() + 2000 + ((i * 1543) % 4001));
        const input = createActivitySchema.parse({
          title: `${TAG} 生命周期 ${i}`,
          description: "压测生成的活动，运行结束后删除。",
          category: CATEGORY_CODES[i % CATEGORY_CODES.length],
          communityId: communityIds[i % communityIds.length],
          venue: "社区活动室",
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          capacity: 30,
          publish: true,
        });
        const t0 = performance.now();
        const { activity } = await createActivity(admin, input);
        createdMs.push(performance.now() - t0);
        planned.push({ id: activity.id, startsAt: startsAt.getTime(), endsAt: endsAt.getTime() });
      }
    } finally {
      // Polls until every activity finished, or 20 s after the last scheduled end.
      deadline = planned.length ? Math.max(...planned.map((p) => p.endsAt)) + 20_000 : 0;
    }
    await poller;
    const ids = planned.map((p) => p.id);
    // The transitions' own timestamps (audit rows written in the same transaction as the change).
    const audits = await db().auditLog.findMany({
      where: { targetId: { in: ids }, action: { in: ["activity.start", "activity.finish"] } },
      select: { targetId: true, action: true, createdAt: true },
    });
    const auditAt = new Map(audits.map((a) => [`${a.action}:${a.targetId}`, a.createdAt.getTime()]));

    const observed = { ONGOING: [] as number[], FINISHED: [] as number[] };
    const recorded = { ONGOING: [] as number[], FINISHED: [] as number[] };
    let missing = 0;
    let skipped = 0;
    for (const p of planned) {
      const entry = seen.get(p.id) ?? {};
      if (entry.skipped) skipped += 1;
      if (entry.ongoing !== undefined) observed.ONGOING.push(entry.ongoing - p.startsAt);
      if (entry.finished !== undefined) observed.FINISHED.push(entry.finished - p.endsAt);
      else missing += 1;
      const started = auditAt.get(`activity.start:${p.id}`);
      const finished = auditAt.get(`activity.finish:${p.id}`);
      if (started !== undefined) recorded.ONGOING.push(started - p.startsAt);
      if (finished !== undefined) recorded.FINISHED.push(finished - p.endsAt);
    }
    const row = (label: string, samples: number[]) => {
      const s = stats(samples);
      return [label, String(s.n), num(s.p50), num(s.p95), num(s.max)];
    };
    table(
      ["lateness (ms after the scheduled time)", "n", "p50", "p95", "max"],
      [
        row("ONGOING, observed by polling", observed.ONGOING),
        row("FINISHED, observed by polling", observed.FINISHED),
        row("both, observed by polling", [...observed.ONGOING, ...observed.FINISHED]),
        row("ONGOING, transition's audit time", recorded.ONGOING),
        row("FINISHED, transition's audit time", recorded.FINISHED),
      ],
    );
    const create = stats(createdMs);
    console.log(
      `createActivity(publish) p50 ${num(create.p50)} ms, p95 ${num(create.p95)} ms; ${polls} polls; ` +
        `${missing} never seen FINISHED, ${skipped} seen FINISHED without ONGOING in between; ` +
        `observed lateness includes up to ${POLL_MS} ms of polling.\n`,
    );
    const failed = worker
      .stderr()
      .split("\n")
      .filter((line) => line.includes('"job failed"'));
    if (failed.length) console.log(`worker reported ${failed.length} failed jobs, e.g. ${failed[0]}\n`);
    return missing === 0;
  } finally {
    const code = await stopProcess(worker);
    if (code !== 0) console.log(`worker exited with ${code}\n${worker.stderr().slice(-2000)}`);
  }
}

// The run.

const runStarted = performance.now();
await setupClient.connect();
const removed = await cleanUp();
if (removed) console.log(`removed ${removed} activities left by an earlier run\n`);
const admin = await adminActor();
const communityIds = (await db().community.findMany({ orderBy: { id: "asc" }, select: { id: true } })).map(
  (c) => c.id,
);
if (!communityIds.length) throw new Error("no communities: seed the database with the demo data first");

// The app in a process of its own, as it runs in production: the 600 clients here do not share its
// event loop.
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const server = spawnProcess("scripts/serve.ts", { PORT: String(port), LOG_LEVEL: "warn" });
await waitUntilListening(server, `${origin}/healthz`);
const results: { name: string; ok: boolean }[] = [];
try {
  const users = await timed(() => insertUsers(communityIds));
  const tokens = await timed(() => (PARTS.has("1") ? tokensFor(2 * REQUESTS + 50) : Promise.resolve([])));
  console.log(
    `set-up: ${int(POOL_USERS)} users in ${num(users.seconds, 2)} s; ` +
      `${tokens.value.length} API tokens (startSession) in ${num(tokens.seconds, 2)} s\n`,
  );
  if (PARTS.has("1")) {
    const registration = await benchRegistration(admin, communityIds, tokens.value);
    results.push({ name: "registration exactness", ok: registration.exact });
    results.push({
      name: `registration rush ≥ ${TARGETS_REGISTRATION.rps}/s, p95 ≤ ${TARGETS_REGISTRATION.p95Ms} ms`,
      ok: registration.met,
    });
  }
  if (PARTS.has("2")) {
    const tallies = await benchTallies(admin, communityIds);
    results.push({ name: "tally correctness", ok: tallies.ok });
    results.push({ name: `tally recomputation ≤ ${TARGETS.tallySeconds} s`, ok: tallies.met });
  }
  if (PARTS.has("3")) {
    results.push({ name: "every life-cycle step happened", ok: await benchLifecycle(admin, communityIds) });
  }
} finally {
  await stopProcess(server);
  const cleaned = await timed(() => cleanUp());
  await db().authSession.deleteMany({ where: { id: admin.sessionId } });
  console.log(`clean-up: ${cleaned.value} activities and their rows removed in ${num(cleaned.seconds, 2)} s`);
  await Promise.allSettled([disconnectDb(), disconnectRedis(), setupClient.end()]);
}
console.log(`total ${num((performance.now() - runStarted) / 1000, 1)} s\n`);
table(
  ["summary", "result"],
  results.map((r) => [r.name, r.ok ? "met" : "NOT MET"]),
);
