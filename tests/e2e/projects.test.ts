import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { beforeEach, describe, expect, it } from "vitest";
import { recomputeActivityFigures } from "~/domain/activities/tallies.server";
import { chinaDay, DAY_MS, isoDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { createResident, createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { createProvider } from "../../prisma/factories/marketplace";
import { atPath, browserJourney, documentWidth } from "./browser";

// 政府购买服务 in a real browser (issue 18): a subdistrict admin creates a project with the form,
// links an activity to it with the 新建活动 form, sees its progress once the activity was held and
// counted, records the final evaluation (which completes the project), and opens the printable
// 结项报告 and downloads it as XLSX, which opens with the project's figures. At 390 px, no sideways
// scrolling at 360 px.

let fx: TerritoryFixture;
const { url, signedIn, expectScriptsRan } = browserJourney();
const today = chinaDay(new Date());
const day = (offset: number) => isoDay(new Date(today.getTime() + offset * DAY_MS));

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  await db().subdistrict.update({ where: { id: fx.subdistricts.a.id }, data: { name: "东湖街道" } });
  await db().community.update({ where: { id: fx.communities.a1.id }, data: { name: "映月社区" } });
  await createProvider(db(), { name: "阳光社工服务中心", communityIds: [fx.communities.a1.id] });
});

describe("a government-purchased project from contract to 结项", () => {
  it("creates, links an activity, shows progress, evaluates and reports", async () => {
    const admin = await signedIn("subdistrict admin", fx.users.subdistrictAdminA);

    // 1. 新建项目 from the list.
    await admin.goto(url("/projects"));
    await admin.getByRole("link", { name: "新建项目" }).click();
    await admin.getByLabel("项目名称").fill("东湖街道居家养老服务项目");
    await admin.getByLabel("购买方").selectOption({ label: "　东湖街道" });
    await admin.getByLabel("承接机构").selectOption({ label: "阳光社工服务中心" });
    await admin.getByLabel("项目简介").fill("为街道内老年人提供上门探访、助餐和健康讲座。");
    await admin.getByLabel("项目预算（元）").fill("185000.29");
    await admin.getByLabel("开始日期").fill(day(-20));
    await admin.getByLabel("结束日期").fill(day(200));
    await admin.getByLabel("开展活动（场）").fill("4");
    await admin.getByLabel("服务人次（人次）").fill("100");
    await admin.getByRole("button", { name: "创建项目" }).click();
    await admin.waitForURL(atPath(/^\/projects\/(?!new$)[^/]+$/));
    await admin.getByRole("status").filter({ hasText: "项目已创建" }).waitFor();
    await admin.getByText("185,000.29 元").waitFor();
    const projectPath = new URL(admin.url()).pathname;
    const projectId = projectPath.split("/").pop() ?? "";

    // 2. An activity of 映月社区 linked to it with the 新建活动 form.
    await admin.goto(url("/activities/new"));
    await admin.getByLabel("活动名称").fill("重阳节敬老茶话会");
    await admin.getByLabel("活动介绍").fill("和社区老人一起喝茶聊天，欢迎参加。");
    await admin.getByLabel("活动所在社区").selectOption({ label: "映月社区" });
    await admin.getByLabel("活动地点").fill("映月社区党群服务中心");
    await admin.getByLabel("开始时间").fill(`${day(3)}T09:30`);
    await admin.getByLabel("结束时间").fill(`${day(3)}T11:00`);
    await admin.getByLabel("名额（人）").fill("30");
    await admin.getByLabel("计入政府购买服务项目").selectOption(projectId);
    await admin.getByRole("button", { name: "提交" }).click();
    await admin.waitForURL(atPath(/^\/activities\/(?!new$)[^/]+$/));
    const activity = await db().activity.findFirstOrThrow({ where: { title: "重阳节敬老茶话会" } });
    expect(activity.projectId).toBe(projectId);

    // 3. It takes place (moved to yesterday, two residents checked in, 8 walk-ins) and the worker counts it.
    const people = await Promise.all([0, 1].map(() => createResident(db(), fx.communities.a1.id)));
    const held = new Date(today.getTime() - DAY_MS + 1.5 * 3600_000);
    await db().activity.update({
      where: { id: activity.id },
      data: {
        startsAt: held,
        endsAt: new Date(held.getTime() + 2 * 3600_000),
        status: "FINISHED",
        walkIns: 8,
        registrations: {
          create: people.map((person, i) => ({
            userId: person.id,
            status: "REGISTERED",
            checkInCode: `90000${i}`,
            checkedInAt: held,
          })),
        },
      },
    });
    await recomputeActivityFigures(activity.id);
    await admin.goto(url(projectPath));
    const progress = admin.getByRole("list", { name: "目标进度" });
    expect(await progress.textContent()).toContain("开展活动：实际 1 / 目标 4 场");
    expect(await progress.textContent()).toContain("服务人次：实际 10 / 目标 100 人次");
    expect(await documentWidth(admin)).toBeLessThanOrEqual(390);

    // 4. The final evaluation, from the default indicators, completes the project.
    await admin.getByRole("link", { name: "评估项目" }).click();
    await admin.getByRole("radio", { name: "结项评估" }).check();
    for (const [row, score] of ["36", "18", "22", "14"].entries()) {
      await admin.getByLabel(`指标${row + 1}得分`).fill(score);
    }
    await admin.getByLabel("评估意见").fill("目标基本完成，同意结项。");
    await admin.getByRole("button", { name: "提交评估" }).click();
    await admin.waitForURL(atPath(/^\/projects\/(?!new$)[^/]+$/));
    await admin.getByRole("status").filter({ hasText: "项目已结项" }).waitFor();
    await admin.getByRole("heading", { name: "结项评估：90 / 100 分" }).waitFor();
    expect(await admin.getByRole("link", { name: "评估项目" }).count()).toBe(0);

    // 5. The printable report, then its XLSX.
    await admin.getByRole("link", { name: "查看和打印结项报告" }).click();
    await admin.waitForURL(atPath(/\/report$/));
    // The URL changes before the report renders: wait for its heading rather than read the old one.
    await admin.getByRole("heading", { level: 1, name: /结项报告/ }).waitFor();
    await admin.getByText(/开展活动1场次，服务居民10人次、2人/).waitFor();
    await admin.getByRole("cell", { name: "映月社区 映月社区党群服务中心" }).waitFor();
    const [download] = await Promise.all([
      admin.waitForEvent("download"),
      admin.getByRole("link", { name: "下载结项报告（XLSX）" }).click(),
    ]);
    const folder = await mkdtemp(path.join(tmpdir(), "sanshe-project-"));
    try {
      const file = path.join(folder, download.suggestedFilename());
      await download.saveAs(file);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      const cells: unknown[] = [];
      for (const sheet of workbook.worksheets) sheet.eachRow((row) => cells.push(...[row.values].flat(2)));
      expect(cells).toContain("东湖街道居家养老服务项目");
      expect(cells).toContain("重阳节敬老茶话会");
      expect(cells).toContain(185000.29);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    expectScriptsRan();
  });
});
