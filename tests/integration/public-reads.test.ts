import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import { db } from "~/lib/db.server";
import { PUBLIC_TABLES } from "~/lib/public-reads.server";
import { createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";

// Public reads kept in memory (ADR 0016): always as fresh as the last commit before the read, and
// read from the database whenever nobody listens for changes. Writes here go through a connection of
// their own, as another process's would.

let other: pg.Client;
let fx: TerritoryFixture;

beforeAll(async () => {
  other = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await other.connect();
});
afterAll(() => other.end());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

const nameInTree = async (communityId: string) => {
  const tree = await getTerritoryTree();
  const communities = tree.districts.flatMap((d) => d.subdistricts.flatMap((s) => s.communities));
  return communities.find((c) => c.id === communityId)?.name;
};

/** Renames a community without firing triggers: a change nobody announces, which only a read that
 * goes to the database can see. */
async function renameSilently(communityId: string, name: string) {
  await other.query("BEGIN");
  await other.query("SET LOCAL session_replication_role = replica");
  await other.query(`UPDATE "Community" SET name = $1 WHERE id = $2`, [name, communityId]);
  await other.query("COMMIT");
}

const listenerPids = async () =>
  (
    await other.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [
      `sanshe-public-reads-${process.pid}`,
    ])
  ).rows.map((row) => row.pid);

describe("public reads kept in memory", () => {
  it("shows a write committed on another connection in the very next read, every time", async () => {
    const id = fx.communities.a1.id;
    expect(await nameInTree(id)).toBe(fx.communities.a1.name);
    for (let round = 0; round < 40; round += 1) {
      await other.query(`UPDATE "Community" SET name = $1 WHERE id = $2`, [`改名社区${round}`, id]);
      expect(await nameInTree(id)).toBe(`改名社区${round}`);
    }
  });

  it("answers from memory until one of its tables changes, and ignores other tables", async () => {
    const id = fx.communities.a1.id;
    await nameInTree(id);
    await renameSilently(id, "悄悄改名社区");
    expect(await nameInTree(id)).toBe(fx.communities.a1.name);

    await other.query(`UPDATE "Need" SET "updatedAt" = now()`);
    await other.query(`UPDATE "RoleAssignment" SET "createdAt" = "createdAt"`);
    expect(await nameInTree(id)).toBe(fx.communities.a1.name);

    await other.query(`UPDATE "Subdistrict" SET name = name WHERE id = $1`, [fx.subdistricts.b.id]);
    expect(await nameInTree(id)).toBe("悄悄改名社区");
  });

  it("hears of a TRUNCATE, and of an announcement naming no table", async () => {
    const id = fx.communities.a1.id;
    await nameInTree(id);
    await renameSilently(id, "第一次悄悄改名");
    await other.query(`SELECT pg_notify('public_data_changed', '')`);
    expect(await nameInTree(id)).toBe("第一次悄悄改名");

    await other.query(`TRUNCATE "District" CASCADE`);
    expect((await getTerritoryTree()).districts).toEqual([]);
  });

  it("gives everyone the same frozen result, so no caller can change what the next one sees", async () => {
    const [first, second] = await Promise.all([getTerritoryTree(), getTerritoryTree()]);
    expect(second).toBe(first);
    const [district] = first.districts;
    if (!district) throw new Error("the fixture has a district");
    expect(() => {
      district.name = "被改掉的区";
    }).toThrow(TypeError);
    expect(() => first.districts.pop()).toThrow(TypeError);
    expect((await getTerritoryTree()).districts[0]?.name).toBe(fx.district.name);
  });

  it("reads from the database while it is not listening, and keeps results again once it is", async () => {
    const id = fx.communities.a1.id;
    await nameInTree(id);
    const [pid] = await listenerPids();
    expect(pid).toBeTypeOf("number");
    await other.query("SELECT pg_terminate_backend($1)", [pid]);
    // The loss is noticed when the connection reports it; until then a silent change may be missed,
    // so wait for the listener to be gone from this process's point of view.
    await expect.poll(() => listenerPids(), { timeout: 5000 }).toEqual([]);
    await renameSilently(id, "断线时改名");
    await expect.poll(() => nameInTree(id), { timeout: 5000 }).toBe("断线时改名");

    // The next reads after a pause listen again, and then results are kept again.
    await expect
      .poll(
        async () => {
          await getTerritoryTree();
          return (await listenerPids()).length;
        },
        { timeout: 10_000 },
      )
      .toBe(1);
    await nameInTree(id);
    await renameSilently(id, "重连后悄悄改名");
    expect(await nameInTree(id)).toBe("断线时改名");
  });

  it("has a notifying trigger on every table the code says it has", async () => {
    const { rows } = await other.query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       WHERE t.tgname = c.relname || '_public_data_changed' AND NOT t.tgisinternal`,
    );
    expect(rows.map((row) => row.table).sort()).toEqual([...PUBLIC_TABLES].sort());
  });
});
