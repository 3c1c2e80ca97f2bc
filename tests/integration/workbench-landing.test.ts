import type { NeedStatus } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chinaDay, chinaMidnight } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createNeed, createProvider } from "../../prisma/factories/marketplace";
import { createHeldActivity } from "../factories/activities";
import { pagesOf, joinedText as textOf } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";

// Issue #15 items 10 and 13 (ADR 0030): where people land after signing in, the way back from every
// workspace page, and the 工作台's waiting figures, each counted within the staff member's reach and
// equal to the filtered list it links to.

let server: TestServer;
let fx: TerritoryFixture;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

const { cookieOf, page, submit } = pagesOf(() => server, { html: textOf });

const signIn = (user: { phone: string; password: string }, redirectTo?: string) =>
  submit("/login", "", {
    phone: user.phone,
    password: user.password,
    ...(redirectTo === undefined ? {} : { redirectTo }),
  });

describe("landing after sign-in", () => {
  it("sends staff to the workbench, one provider's person to its workspace, residents home", async () => {
    const owner = await createResident(db(), fx.communities.a1.id);
    const provider = await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      members: [{ userId: owner.id }],
    });
    const twoProviders = await createResident(db(), fx.communities.a1.id);
    for (let i = 0; i < 2; i++) {
      await createProvider(db(), {
        communityIds: [fx.communities.a1.id],
        members: [{ userId: twoProviders.id }],
      });
    }
    const workerAndMember = fx.users.workerA1;
    await db().providerMember.create({
      data: { providerId: provider.id, userId: workerAndMember.id, role: "MEMBER" },
    });

    const expected: [{ phone: string; password: string }, string][] = [
      [fx.users.residentA1, "/"],
      [fx.users.districtAdmin, "/workbench"],
      [fx.users.subdistrictAdminA, "/workbench"],
      [workerAndMember, "/workbench"],
      [owner, `/me/providers/${provider.id}`],
      [twoProviders, "/"],
    ];
    for (const [user, target] of expected) {
      // The form sends an empty redirectTo when no page asked for sign-in.
      for (const redirectTo of [undefined, ""]) {
        const res = await signIn(user, redirectTo);
        expect(res.status).toBe(302);
        expect(res.location).toBe(target);
      }
    }
  });

  it("lets a page that asked for sign-in win, and lands instead of following an unsafe target", async () => {
    const admin = fx.users.districtAdmin;
    expect((await signIn(admin, "/services?category=medical")).location).toBe("/services?category=medical");
    expect((await signIn(admin, "/")).location).toBe("/");
    for (const unsafe of ["//evil.example", "https://evil.example/", "/\\evil.example"]) {
      const res = await signIn(admin, unsafe);
      expect(res.location).toBe("/workbench");
    }
    const cookie = await cookieOf(admin);
    expect((await page("/login", cookie)).location).toBe("/workbench");
    expect((await page("/login?redirectTo=%2Fstats", cookie)).location).toBe("/stats");
  });

  it("renders the form with an empty redirectTo unless a page asked", async () => {
    expect((await page("/login")).html).toContain('name="redirectTo" value=""');
    expect((await page("/login?redirectTo=%2Fme")).html).toContain('name="redirectTo" value="/me"');
  });
});

describe("the way back from workspace pages", () => {
  it("links every workbench page back to the workbench", async () => {
    const cookie = await cookieOf(fx.users.subdistrictAdminA);
    for (const path of [
      "/workbench/needs",
      "/workbench/activities",
      "/workbench/providers",
      "/workbench/staff",
      "/workbench/territory",
    ]) {
      const { status, html } = await page(path, cookie);
      expect(status, path).toBe(200);
      expect(html, path).toMatch(/<a[^>]*href="\/workbench"[^>]*>← 返回工作台<\/a>/);
    }
  });

  it("links 服务管理 back to the provider's workspace and a provider's activities back to 我的机构", async () => {
    const owner = await createResident(db(), fx.communities.a1.id);
    const provider = await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      members: [{ userId: owner.id }],
    });
    const cookie = await cookieOf(owner);
    const services = await page(`/me/providers/${provider.id}/services`, cookie);
    expect(services.html).toContain(`href="/me/providers/${provider.id}">← 返回机构工作台`);
    const newService = await page(`/me/providers/${provider.id}/services/new`, cookie);
    expect(newService.html).toContain(`href="/me/providers/${provider.id}/services">← 返回服务管理`);
    const activities = await page("/workbench/activities", cookie);
    expect(activities.html).toContain('href="/me/providers">← 返回我的机构');
  });

  it("sends 返回需求列表 from a need back where each reader works from", async () => {
    const owner = await createResident(db(), fx.communities.a1.id);
    const provider = await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      members: [{ userId: owner.id }],
    });
    const need = await createNeed(db(), {
      requesterId: fx.users.residentA1.id,
      communityId: fx.communities.a1.id,
    });
    const neighbour = await createResident(db(), fx.communities.a1.id);
    const readers: [{ id: string }, string, string][] = [
      [fx.users.workerA1, "/workbench/needs", "返回需求列表"],
      [owner, `/me/providers/${provider.id}#suggested-title`, "返回本机构的需求"],
      [fx.users.residentA1, "/me/needs", "返回我的需求"],
      [neighbour, "/needs", "返回需求列表"],
    ];
    for (const [reader, to, label] of readers) {
      const { html } = await page(`/needs/${need.id}`, await cookieOf(reader));
      expect(html).toContain(`href="${to}">← ${label}`);
      expect(html).not.toMatch(new RegExp(`href="(?!${to.replace(/[#/]/g, "\\$&")})[^"]*">← `));
    }
  });
});

/** The figure the workbench shows beside a label. */
function figureOf(html: string, label: string) {
  const match = new RegExp(`${label}</span><span class="waiting-count__figure">(\\d+)<small>`).exec(html);
  expect(match, label).not.toBeNull();
  return Number(match?.[1]);
}

const HOUR_MS = 3600 * 1000;

describe("工作台's waiting figures", () => {
  /** In each of the four communities: open needs, a pending provider, activities today, waitlists. */
  async function buildWork() {
    const { a1, a2, b1, b2 } = fx.communities;
    const resident = fx.users.residentA1;
    const need = (communityId: string, status: NeedStatus = "OPEN") =>
      createNeed(db(), { requesterId: resident.id, communityId, status });
    await Promise.all([
      need(a1.id),
      need(a1.id),
      need(a2.id),
      need(b1.id),
      need(a1.id, "MATCHED"),
      need(b2.id, "CLOSED"),
    ]);
    await createProvider(db(), { communityIds: [a1.id], status: "PENDING" });
    await createProvider(db(), { communityIds: [b1.id, b2.id], status: "PENDING" });
    await createProvider(db(), { communityIds: [a2.id], status: "APPROVED" });

    const now = new Date();
    // Noon and the next day's noon in China, whatever the hour the test runs.
    const todayNoon = new Date(chinaMidnight(chinaDay(now)).getTime() + 12 * HOUR_MS);
    const tomorrowNoon = new Date(todayNoon.getTime() + 24 * HOUR_MS);
    const createdById = fx.users.districtAdmin.id;
    const activity = (
      communityId: string,
      startsAt: Date,
      status: "PUBLISHED" | "CANCELLED" | "FINISHED",
      title: string,
    ) => createHeldActivity(db(), { communityId, createdById, startsAt, status, title });
    await activity(a1.id, todayNoon, "PUBLISHED", "映月今日活动");
    await activity(b1.id, todayNoon, "PUBLISHED", "东湖今日活动");
    await activity(a2.id, todayNoon, "CANCELLED", "已取消的今日活动");
    await activity(a1.id, tomorrowNoon, "PUBLISHED", "明天的活动");

    const waiting = await Promise.all([1, 2, 3, 4].map(() => createResident(db(), a2.id)));
    const waitlisted = (
      communityId: string,
      startsAt: Date,
      status: "PUBLISHED" | "FINISHED",
      people: { id: string }[],
    ) =>
      createHeldActivity(db(), {
        communityId,
        createdById,
        startsAt,
        status,
        title: "候补测试活动",
        capacity: 1,
        attendees: people.map((person) => ({
          userId: person.id,
          checkedIn: false,
          status: "WAITLISTED" as const,
        })),
      });
    const later = new Date(now.getTime() + 3 * 24 * HOUR_MS);
    await waitlisted(a2.id, later, "PUBLISHED", waiting.slice(0, 2));
    await waitlisted(b2.id, later, "PUBLISHED", waiting.slice(2, 3));
    await waitlisted(a2.id, new Date(now.getTime() - 3 * 24 * HOUR_MS), "FINISHED", waiting.slice(3, 4));
  }

  it("counts within each staff member's reach, and each figure equals its filtered list", async () => {
    await buildWork();
    const scopes: [
      { id: string },
      { needs: number; providers: number; today: number; waitlisted: number },
    ][] = [
      [fx.users.districtAdmin, { needs: 4, providers: 2, today: 2, waitlisted: 3 }],
      [fx.users.subdistrictAdminA, { needs: 3, providers: 1, today: 1, waitlisted: 2 }],
      [fx.users.workerA1, { needs: 2, providers: 1, today: 1, waitlisted: 0 }],
    ];
    for (const [staff, expected] of scopes) {
      const cookie = await cookieOf(staff);
      const { status, html } = await page("/workbench", cookie);
      expect(status).toBe(200);
      expect({
        needs: figureOf(html, "待分派需求"),
        providers: figureOf(html, "待审核入驻"),
        today: figureOf(html, "今日活动"),
        waitlisted: figureOf(html, "候补待处理"),
      }).toEqual(expected);
      expect(html).toContain('href="/workbench/needs?status=OPEN"');
      expect(html).toContain('href="/workbench/providers?status=PENDING"');
      expect(html).toContain('href="/workbench/activities?show=today"');
      expect(html).toContain('href="/workbench/activities?show=waitlisted"');
      // Today's items: the day's activities in reach, never the cancelled one or tomorrow's.
      expect(html.includes("映月今日活动")).toBe(true);
      expect(html.includes("东湖今日活动")).toBe(expected.today === 2);
      expect(html).not.toContain("已取消的今日活动");
      expect(html).not.toContain("明天的活动");

      const needs = await page("/workbench/needs?status=OPEN", cookie);
      expect(needs.html).toContain(`共 ${expected.needs} 条`);
      const today = await page("/workbench/activities?show=today", cookie);
      expect(today.html).toContain(`共 ${expected.today} 场`);
      // The activities with someone waiting: both for the district, the one in a2 for subdistrict A's admin.
      const waitlistedList = await page("/workbench/activities?show=waitlisted", cookie);
      const withWaitlist = { 3: 2, 2: 1, 0: 0 }[expected.waitlisted];
      expect(waitlistedList.html).toContain(`共 ${withWaitlist} 场`);
    }
  });

  it("shows zeros and says so when nothing waits, and is not for residents", async () => {
    const { html } = await page("/workbench", await cookieOf(fx.users.workerA1));
    for (const label of ["待分派需求", "待审核入驻", "今日活动", "候补待处理"])
      expect(figureOf(html, label)).toBe(0);
    expect(html).toContain("今天辖区内没有活动。");
    const resident = await page("/workbench", await cookieOf(fx.users.residentA1));
    expect(resident.status).toBe(403);
    const bad = await page("/workbench/activities?show=yesterday", await cookieOf(fx.users.workerA1));
    expect(bad.status).toBe(200);
    expect(bad.html).toContain("只能是 today 或 waitlisted");
  });

  it("counts a worker's figures in their own community only", async () => {
    await buildWork();
    const workerB2 = await createUser(db(), {
      roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b2.id }],
    });
    const { html } = await page("/workbench", await cookieOf(workerB2));
    expect(figureOf(html, "待分派需求")).toBe(0);
    expect(figureOf(html, "待审核入驻")).toBe(1);
    expect(figureOf(html, "今日活动")).toBe(0);
    expect(figureOf(html, "候补待处理")).toBe(1);
  });
});
