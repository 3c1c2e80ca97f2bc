import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { createNeed } from "../../prisma/factories/marketplace";
import { joinedText, pagesOf, visibleText } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// Case numbers (ADR 0029): XQ-<year of creation in China>-<per-year sequence>, given by the database
// at insert whatever the insert says, never the same twice even when needs are posted at once.

let server: TestServer;
let fx: TerritoryFixture;
const { cookieOf, page } = pagesOf(() => server, { html: joinedText });

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

const needIn = (createdAt?: Date) =>
  createNeed(db(), { requesterId: fx.users.residentA1.id, communityId: fx.communities.a1.id, createdAt });

describe("the number a need gets", () => {
  it("counts per year of creation in China, from 000001", async () => {
    const first = await needIn(new Date("2026-03-01T02:00:00Z"));
    const second = await needIn(new Date("2026-03-02T02:00:00Z"));
    // 23:59 on 31 December in China is still 2025 there; 00:30 on 1 January (16:30 UTC the day before)
    // is already 2027.
    const lastOf2025 = await needIn(new Date("2025-12-31T15:59:00Z"));
    const firstOf2027 = await needIn(new Date("2026-12-31T16:30:00Z"));
    expect([first, second, lastOf2025, firstOf2027].map((need) => need.caseNumber)).toEqual([
      "XQ-2026-000001",
      "XQ-2026-000002",
      "XQ-2025-000001",
      "XQ-2027-000001",
    ]);
  });

  it("ignores a number the insert brings and never repeats one", async () => {
    const taken = await needIn();
    const forged = await db().need.create({
      data: {
        caseNumber: taken.caseNumber,
        requesterId: fx.users.residentA1.id,
        createdById: fx.users.residentA1.id,
        communityId: fx.communities.a1.id,
        title: "想找人修水龙头",
        description: "卫生间水龙头漏水。",
        category: "home-repair",
      },
    });
    expect(forged.caseNumber).not.toBe(taken.caseNumber);
    expect(forged.caseNumber).toMatch(/^XQ-\d{4}-\d{6}$/);
  });

  it("gives 20 needs inserted at the same moment 20 different, consecutive numbers", async () => {
    // Each insert on a connection of the pool, at once: the counter row's lock makes them take turns.
    const inserted = await Promise.all(Array.from({ length: 20 }, () => needIn()));
    const numbers = inserted.map((need) => need.caseNumber);
    expect(new Set(numbers).size).toBe(20);
    const year = numbers[0]?.slice(3, 7) ?? "";
    for (const n of numbers) expect(n).toMatch(new RegExp(`^XQ-${year}-\\d{6}$`));
    expect(numbers.map((n) => Number(n.slice(8))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });
});

describe("where people read it", () => {
  it("is on the need page, the lists, the API and the notifications, beside the id", async () => {
    const token = await tokenFor(fx.users.residentA1.id);
    const posted = await server.json("/api/v1/needs", {
      method: "POST",
      token,
      json: {
        title: "家里卫生间水龙头漏水",
        description: "想找人上门修一下，越快越好。",
        category: "elderly-care",
        communityId: fx.communities.a1.id,
        urgency: "NORMAL",
      },
    });
    expect(posted.status).toBe(201);
    const { id, caseNumber } = posted.body.need;
    expect(caseNumber).toMatch(/^XQ-\d{4}-000001$/);

    const api = await server.json(`/api/v1/needs/${id}`, { token });
    expect(api.body.need).toMatchObject({ id, caseNumber });
    const list = await server.json("/api/v1/needs", { token });
    expect(list.body.items[0]).toMatchObject({ id, caseNumber });

    const resident = await cookieOf(fx.users.residentA1);
    const needPage = visibleText((await page(`/needs/${id}`, resident)).html);
    expect(needPage).toContain(`编号${caseNumber}`);
    expect(visibleText((await page("/me/needs", resident)).html)).toContain(`编号 ${caseNumber}`);
    const worker = await cookieOf(fx.users.workerA1);
    expect(visibleText((await page("/workbench/needs", worker)).html)).toContain(`编号 ${caseNumber}`);

    const notification = await db().notification.findFirstOrThrow({
      where: { userId: fx.users.residentA1.id, kind: "need.submitted" },
    });
    expect(notification.body).toContain(`（编号 ${caseNumber}）`);
  });
});
