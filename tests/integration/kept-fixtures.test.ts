import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { redis } from "~/lib/redis.server";
import { PostgresSearchEngine } from "~/search/postgres-engine.server";
import { reindex } from "~/search/reindex.server";
import { createTerritoryFixture } from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { createEvaluationRow, createProjectRow } from "../../prisma/factories/projects";
import { createBookingRow } from "../../prisma/factories/venues";
import { createHeldActivity } from "../factories/activities";
import { resetState } from "../setup/integration";
import { keptFixture, keptFixtures } from "../setup/kept-fixtures";

// The authorization matrices start each row from a world put back from a copy of its rows
// (tests/setup/kept-fixtures.ts). A copy that lost a column, a row or a table would make a matrix
// check a different world than the one it built.

/** Every table of the app (and the search engine's), with an md5 of all its rows and columns. */
async function everyTable(): Promise<Record<string, string>> {
  const tables = await db().$queryRaw<{ name: string }[]>`
    SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
    WHERE schemaname IN ('public', 'search') AND tablename <> '_prisma_migrations' ORDER BY 1`;
  const [row = {}] = await db().$queryRawUnsafe<Record<string, string>[]>(
    `SELECT ${tables
      .map(
        ({ name }, i) =>
          `(SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM ${name} t) AS t${i}`,
      )
      .join(", ")}`,
  );
  return Object.fromEntries(tables.map(({ name }, i) => [name, row[`t${i}`] ?? ""]));
}

/** Rows of many kinds: people with roles, a provider and its services (arrays, enums), needs,
 * activities with registrations and attendance, a project with its scored evaluation (JSON), a
 * booking, and the search engine's documents (tsvector). */
async function richWorld() {
  const territory = await createTerritoryFixture(db());
  const { communities, users } = territory;
  const provider = await createProvider(db(), { communityIds: [communities.a1.id, communities.a2.id] });
  const service = await createService(db(), {
    providerId: provider.id,
    communityIds: [communities.a1.id],
    title: "上门助浴服务",
    funding: "PAID",
    priceFen: 6000,
  });
  await createNeed(db(), {
    requesterId: users.residentA1.id,
    communityId: communities.a1.id,
    title: "老人需要每周上门探访",
    requestedServiceId: service.id,
  });
  await createHeldActivity(db(), {
    communityId: communities.a1.id,
    createdById: users.workerA1.id,
    startsAt: new Date(Date.now() - 3 * 24 * 3600_000),
    walkIns: 12,
    attendees: [{ userId: users.residentA1.id, checkedIn: true }],
  });
  const project = await createProjectRow(db(), {
    purchaser: {
      id: territory.subdistricts.a.id,
      level: "SUBDISTRICT",
      subdistrictId: territory.subdistricts.a.id,
      districtId: territory.district.id,
    },
    providerId: provider.id,
    createdById: users.districtAdmin.id,
    startsOn: new Date(Date.UTC(2026, 0, 1)),
    endsOn: new Date(Date.UTC(2026, 11, 31)),
    targets: { activitiesHeld: 12, personTimes: 300 },
  });
  await createEvaluationRow(db(), {
    projectId: project.id,
    stage: "MIDTERM",
    evaluatorId: users.districtAdmin.id,
    scores: [{ indicator: "服务成效", score: 34, max: 40 }],
  });
  const venue = await db().venue.create({
    data: {
      name: "党群服务中心 · 活动室",
      subdistrictId: territory.subdistricts.a.id,
      communityId: communities.a1.id,
      address: "某路1号",
      capacity: 30,
      description: "活动室",
    },
  });
  await createBookingRow(db(), {
    venueId: venue.id,
    startsAt: new Date(Date.now() + 2 * 24 * 3600_000),
    createdById: users.residentA1.id,
  });
  await reindex(new PostgresSearchEngine(db()));
  return { residentId: users.residentA1.id, serviceId: service.id, projectId: project.id };
}

describe("a kept fixture", () => {
  it("puts back every row and column of every table it wrote, and gives the same value", async () => {
    let builds = 0;
    const world = keptFixture(async () => {
      builds += 1;
      return richWorld();
    });
    const built = await world();
    const asBuilt = await everyTable();
    expect(Object.values(asBuilt).filter((table) => !table.startsWith("0:")).length).toBeGreaterThan(15);

    await resetState();
    expect(Object.values(await everyTable()).every((table) => table.startsWith("0:"))).toBe(true);
    const again = await world();
    expect(again).toEqual(built);
    expect(await everyTable()).toEqual(asBuilt);
    expect(builds).toBe(1);

    // What a test did to the value it got does not reach the next test's.
    again.serviceId = "changed";
    await resetState();
    expect((await world()).serviceId).toBe(built.serviceId);
    // The rows work as the app's own: a unique key is still taken.
    await expect(
      db().user.create({
        data: { id: built.residentId, phone: "13900000000", name: "重复", passwordHash: "x" },
      }),
    ).rejects.toThrow();
  });

  it("keeps one copy per argument", async () => {
    const names: string[] = [];
    const providerNamed = keptFixtures(async (name: string) => {
      names.push(name);
      return createProvider(db(), { name, communityIds: [] });
    });
    await providerNamed("甲");
    await resetState();
    await providerNamed("乙");
    await resetState();
    const first = await providerNamed("甲");
    expect(names).toEqual(["甲", "乙"]);
    expect((await db().provider.findMany({ select: { id: true, name: true } })).map((p) => p.name)).toEqual([
      "甲",
    ]);
    expect(first.name).toBe("甲");
  });

  it("refuses a build that writes to Redis, which a copy of the tables cannot put back", async () => {
    const world = keptFixture(async () => {
      await redis().set("kept-fixture-probe", "1");
      return null;
    });
    await expect(world()).rejects.toThrow(/wrote to Redis/);
  });
});
