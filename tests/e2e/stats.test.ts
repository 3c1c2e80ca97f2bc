import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { recomputeTallies } from "~/domain/activities/tallies.server";
import { recountAllDays } from "~/domain/stats/daily.server";
import { chinaDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { createResident, createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { createHeldActivity } from "../factories/activities";
import { atPath, browserJourney, documentWidth } from "./browser";

// 统计 in a real browser (issue #6): a subdistrict admin signs in, opens 统计 from the menu, picks
// 去年, reads a headline figure, sees the charts drawn (ECharts, SVG) without a script error or a
// Content-Security-Policy violation, drills into a community, generates the report paragraph and
// copies it, and downloads the community's figures as XLSX, which opens with the same figure.

let fx: TerritoryFixture;
const { url, signedIn, expectScriptsRan } = browserJourney();

const LAST_YEAR = chinaDay(new Date()).getUTCFullYear() - 1;
/** A moment of last year, written in China time ("06-15 09:30"). */
const lastYear = (text: string) => new Date(`${LAST_YEAR}-${text.replace(" ", "T")}:00+08:00`);

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  await db().subdistrict.update({ where: { id: fx.subdistricts.a.id }, data: { name: "东湖街道" } });
  await db().community.update({ where: { id: fx.communities.a1.id }, data: { name: "映月社区" } });
  await db().community.update({ where: { id: fx.communities.a2.id }, data: { name: "望湖社区" } });
  const people = await Promise.all([0, 1, 2].map(() => createResident(db(), fx.communities.a1.id)));
  const worker = fx.users.workerA1.id;
  // 映月社区: two activities last year, 1,230 + 10,000 walk-ins and two check-ins (11,232 person-times).
  await createHeldActivity(db(), {
    communityId: fx.communities.a1.id,
    createdById: worker,
    startsAt: lastYear("03-08 09:30"),
    walkIns: 1_230,
    attendees: people.map((person, i) => ({ userId: person.id, checkedIn: i < 2 })),
    category: "elderly-care",
  });
  await createHeldActivity(db(), {
    communityId: fx.communities.a1.id,
    createdById: worker,
    startsAt: lastYear("09-20 14:00"),
    walkIns: 10_000,
  });
  // 望湖社区: one activity with 40 walk-ins.
  await createHeldActivity(db(), {
    communityId: fx.communities.a2.id,
    createdById: worker,
    startsAt: lastYear("05-01 09:30"),
    walkIns: 40,
  });
  await recomputeTallies();
  await recountAllDays();
});

/** The figure of a headline card ("1.1万 人次"). */
const headline = (page: Page, label: string) =>
  page
    .locator(".stats-card")
    .filter({ has: page.locator(".stats-card__label", { hasText: new RegExp(`^${label}$`) }) })
    .locator(".stats-card__value")
    .textContent();

/** Collects Content-Security-Policy violations and console errors from the page's first script on. */
async function watchProblems(page: Page) {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return problems;
}

describe("统计 for a subdistrict admin", () => {
  it("picks 去年, reads the figures and charts, drills into a community, reports and downloads", async () => {
    const admin = await signedIn("subdistrict admin", fx.users.subdistrictAdminA);
    const problems = await watchProblems(admin);
    await admin.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: url("") });

    // 1. 统计 from the menu opens their own subdistrict, this year; they pick 去年.
    await admin.goto(url("/"));
    await admin.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "统计" }).click();
    await admin.waitForURL(atPath(/^\/stats$/));
    await admin.getByRole("heading", { level: 1, name: "统计 · 东湖街道" }).waitFor();
    await admin.getByRole("navigation", { name: "统计时段" }).getByRole("link", { name: "去年" }).click();
    await admin.getByRole("heading", { level: 2, name: `${LAST_YEAR}年概况` }).waitFor();
    expect(await headline(admin, "受众")).toBe("1.1万 人次");
    expect(await headline(admin, "活动")).toBe("3 场次");

    // 2. The three charts are drawn as SVG, labelled, beside their tables; nothing overflows the phone.
    const charts = admin.locator(".stats-chart");
    await expect.poll(() => admin.locator(".stats-chart svg").count(), { timeout: 15_000 }).toBe(3);
    expect(await charts.first().getAttribute("role")).toBe("img");
    expect(await charts.first().getAttribute("aria-label")).toContain("各社区受众人次");
    await admin.getByRole("table", { name: /各社区数据/ }).waitFor();
    expect(await documentWidth(admin)).toBeLessThanOrEqual(390);

    // 3. Drill into 映月社区 from its row.
    await admin
      .getByRole("table", { name: /各社区数据/ })
      .getByRole("link", { name: "映月社区" })
      .click();
    await admin.getByRole("heading", { level: 1, name: "统计 · 映月社区" }).waitFor();
    expect(new URL(admin.url()).searchParams.get("period")).toBe("lastYear");
    expect(await headline(admin, "受众")).toBe("1.1万 人次");
    expect(await headline(admin, "服务居民")).toBe("2 人");
    await expect.poll(() => admin.locator(".stats-chart svg").count(), { timeout: 15_000 }).toBe(2);

    // 4. 生成报告, then 复制.
    await admin.getByRole("link", { name: "生成报告" }).click();
    const paragraph = admin.getByLabel(`映月社区${LAST_YEAR}年工作报告段落`);
    await paragraph.waitFor();
    const text = await paragraph.inputValue();
    expect(text).toContain(`${LAST_YEAR}年，映月社区入驻`);
    expect(text).toContain(
      "举办各类活动2场次，受众人数达1.1万余人次，其中签到居民2人，报名居民平均到场率66.7%。",
    );
    await admin.getByRole("button", { name: "复制" }).click();
    await admin.getByText("已复制，可以粘贴到报告里了。").waitFor();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(text);

    // 5. 下载 XLSX: the file opens with the same figures.
    const [download] = await Promise.all([
      admin.waitForEvent("download"),
      admin.getByRole("link", { name: "下载 XLSX" }).click(),
    ]);
    const folder = await mkdtemp(path.join(tmpdir(), "sanshe-stats-"));
    try {
      const file = path.join(folder, download.suggestedFilename());
      await download.saveAs(file);
      expect(file).toMatch(/\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      const figures = new Map<string, unknown>();
      for (const sheet of workbook.worksheets) {
        sheet.eachRow((row) => {
          const [label, value] = [row.getCell(1).value, row.getCell(2).value];
          if (typeof label === "string" && !figures.has(label)) figures.set(label, value);
        });
      }
      expect(figures.get("受众人次")).toBe(11_232);
      expect(figures.get("活动场次(场)")).toBe(2);
      expect(figures.get("服务人数(人)")).toBe(2);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }

    expect(problems).toEqual([]);
    expectScriptsRan();
  });
});
