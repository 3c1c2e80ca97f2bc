import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { sweepActivities } from "~/domain/activities/lifecycle.server";
import { recomputeActivityFigures } from "~/domain/activities/tallies.server";
import { communityActivityDays } from "~/domain/stats/figures.server";
import { chinaDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { atPath, browserJourney, saveScreenshot, successMessage } from "./browser";

// 社区活动 in a real browser: a community worker turns a matched need into an activity (安排活动) and
// publishes it, and the need becomes 已安排; one resident takes the only seat, a second lands on the
// waitlist and is promoted when the first cancels; at the door the worker checks the second in by
// the code from 我的活动 and records the walk-ins; once the activity is over (the scheduler's sweep,
// run here with a clock past its end) the activity shows 已结束 with its 受众人次, and the
// community's day is counted. Everyone signs in through the login form in their own browser and
// acts through the pages only.

let fx: TerritoryFixture;
const { url, signedIn, expectScriptsRan } = browserJourney();

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

const ID = "[A-Za-z0-9_-]+";

/** A moment as the datetime-local value the form takes: China time, to the minute. */
const chinaLocalInput = (moment: Date) =>
  new Date(moment.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16);

/** One figure of a page's 参与情况 / 签到情况 list ("受众人次", "候补", …). */
const figure = (page: Page, label: string) =>
  page
    .getByRole("main")
    .locator(".activity-counts li")
    .filter({ hasText: new RegExp(`^\\d+${label}$`) })
    .locator(".activity-counts__value")
    .textContent();

/** After a form post the confirmation (action data) can show a moment before the page's data is
 * reloaded, so what the page reads is polled, generously (other test files share the two cores). */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 45_000 });

describe("社区活动 from a matched need", () => {
  it("worker schedules and publishes, residents register and wait, the desk checks in, the day is counted", async () => {
    const a1 = fx.communities.a1;
    const worker = fx.users.workerA1;
    const residentA = fx.users.residentA1;
    const residentB = await createResident(db(), a1.id, { name: "李桂兰" });
    const requester = await createResident(db(), a1.id, { name: "赵大爷" });
    const owner = await createUser(db(), { name: "陈志刚" });
    const orgName = "映月社区健康服务社";
    const provider = await createProvider(db(), {
      name: orgName,
      communityIds: [a1.id],
      members: [{ userId: owner.id }],
    });
    const service = await createService(db(), {
      providerId: provider.id,
      communityIds: [a1.id],
      title: "老年人健康讲座",
      description: "由社区医生讲解高血压、糖尿病的日常保健。",
      category: "medical",
    });
    const needTitle = "希望社区办一场慢病保健讲座";
    const need = await createNeed(db(), {
      requesterId: requester.id,
      communityId: a1.id,
      title: needTitle,
      description: "楼里很多老人有高血压，希望有医生来讲讲平时怎么吃药、怎么锻炼。",
      category: "medical",
      status: "MATCHED",
    });
    await db().match.create({
      data: {
        needId: need.id,
        serviceId: service.id,
        providerId: provider.id,
        status: "ACCEPTED",
        proposedBy: "STAFF",
        proposedById: worker.id,
        decidedById: owner.id,
        decidedAt: new Date(),
      },
    });

    // The activity starts a few minutes from now (the desk opens 2 hours before the start) and lasts an hour.
    const minute = 60_000;
    const startsAt = new Date((Math.floor(Date.now() / minute) + 5) * minute);
    const endsAt = new Date(startsAt.getTime() + 60 * minute);
    const activityTitle = "慢病保健知识讲座";

    // 1. The worker opens the matched need and clicks 安排活动: the form comes filled from the match.
    const desk = await signedIn("worker", worker);
    await desk.goto(url(`/needs/${need.id}`));
    await desk.getByRole("heading", { level: 1, name: needTitle }).waitFor();
    expect(await desk.getByRole("main").locator(".badge--status-matched").textContent()).toBe("已对接");
    await desk.getByRole("link", { name: "安排活动" }).click();
    await desk.waitForURL(atPath(/^\/activities\/new$/));
    await desk.getByRole("heading", { level: 1, name: "新建活动" }).waitFor();
    await desk.getByRole("main").getByRole("link", { name: needTitle }).waitFor();
    expect(await desk.getByLabel("活动名称").inputValue()).toBe(needTitle);
    expect(await desk.getByLabel("活动所在社区").inputValue()).toBe(a1.id);

    // 2. Fills it in (one seat) and publishes it.
    await desk.getByLabel("活动名称").fill(activityTitle);
    await desk
      .getByLabel("活动介绍")
      .fill("社区医生讲解高血压、糖尿病的用药和日常锻炼，欢迎老人和家属参加。");
    await desk.getByLabel("活动地点").fill("映月社区党群服务中心二楼");
    await desk.getByLabel("开始时间").fill(chinaLocalInput(startsAt));
    await desk.getByLabel("结束时间").fill(chinaLocalInput(endsAt));
    await desk.getByLabel("名额（人）").fill("1");
    expect(await desk.getByRole("checkbox", { name: /^立即发布/ }).isChecked()).toBe(true);
    await saveScreenshot(desk, "activities-1-worker-new-activity");
    await desk.getByRole("button", { name: "提交", exact: true }).click();
    await desk.waitForURL(atPath(new RegExp(`^/activities/${ID}$`)));
    await successMessage(desk).getByText("活动已发布，居民现在可以报名了。").waitFor();
    await desk.getByRole("heading", { level: 1, name: activityTitle }).waitFor();
    expect(await desk.getByRole("main").locator(".badge--activity-published").textContent()).toBe("报名中");
    const activityId = new URL(desk.url()).pathname.split("/").at(-1) ?? "";
    const created = await db().activity.findUniqueOrThrow({
      where: { id: activityId },
      include: { providers: true, needs: true },
    });
    expect(created).toMatchObject({
      status: "PUBLISHED",
      capacity: 1,
      communityId: a1.id,
      serviceId: service.id,
      category: "medical",
      startsAt,
      endsAt,
    });
    expect(created.providers.map((p) => p.providerId)).toEqual([provider.id]);
    expect(created.needs.map((n) => n.needId)).toEqual([need.id]);

    // 3. The need now reads 已安排.
    await desk.goto(url(`/needs/${need.id}`));
    await desk.getByRole("heading", { level: 1, name: needTitle }).waitFor();
    expect(await desk.getByRole("main").locator(".badge--status-scheduled").textContent()).toBe("已安排");
    expect(await desk.getByRole("link", { name: "安排活动" }).count()).toBe(0);
    await saveScreenshot(desk, "activities-2-worker-need-scheduled");
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("SCHEDULED");

    // 4. Resident A finds the activity under 社区活动 and takes the only seat.
    const first = await signedIn("resident-a", residentA);
    await first.goto(url("/activities"));
    await first.getByRole("link", { name: activityTitle }).click();
    await first.waitForURL(atPath(new RegExp(`^/activities/${activityId}$`)));
    await first.getByText("剩余 1 个名额").waitFor();
    await first.getByRole("button", { name: "报名", exact: true }).click();
    await successMessage(first)
      .getByText(/^报名成功！您的签到码是 \d{6}，到场时出示即可。$/)
      .waitFor();
    const codeA = (await db().registration.findFirstOrThrow({ where: { activityId, userId: residentA.id } }))
      .checkInCode;
    await first.getByRole("region", { name: "我的报名" }).getByText(codeA, { exact: true }).waitFor();

    // 我的活动 shows the six-digit code and its QR code.
    await first.goto(url("/me/activities"));
    await first.getByRole("heading", { level: 1, name: "我的活动" }).waitFor();
    const cardA = first.getByRole("article", { name: activityTitle });
    await cardA.getByText("已报名", { exact: true }).waitFor();
    expect(await cardA.locator(".check-in-code__digits").textContent()).toBe(codeA);
    expect(codeA).toMatch(/^\d{6}$/);
    expect(await cardA.getByRole("img", { name: "签到二维码" }).locator("svg").count()).toBe(1);
    await saveScreenshot(first, "activities-3-resident-a-my-activities");

    // 5. Resident B finds it full and joins the waitlist, first in line.
    const second = await signedIn("resident-b", residentB);
    await second.goto(url(`/activities/${activityId}`));
    await second.getByText("已满·可候补").waitFor();
    await second.getByRole("button", { name: "加入候补" }).click();
    await successMessage(second).getByText("名额已满，您已加入候补，排第 1 位。", { exact: false }).waitFor();
    await second
      .getByRole("region", { name: "我的报名" })
      .getByText(/候补第 1 位/)
      .waitFor();
    await second.goto(url("/me/activities"));
    const cardB = second.getByRole("article", { name: activityTitle });
    await cardB.getByText("候补中", { exact: true }).waitFor();
    await cardB.getByText(/^候补第 1 位/).waitFor();
    expect(await cardB.locator(".check-in-code__digits").count()).toBe(0);
    await saveScreenshot(second, "activities-4-resident-b-waitlisted");

    // 6. Resident A cancels; the seat goes to B.
    await first.goto(url(`/activities/${activityId}`));
    await first.getByText("取消报名", { exact: true }).click();
    await first.getByRole("button", { name: "确认取消报名" }).click();
    await successMessage(first).getByText("已取消报名。").waitFor();
    // Working figures are for organisers and staff (ADR 0024): the resident sees none; the worker
    // sees the waitlist empty.
    expect(await first.getByRole("main").locator(".activity-counts").count()).toBe(0);
    await desk.goto(url(`/activities/${activityId}`));
    await eventually(() => figure(desk, "候补")).toBe("0");

    await second.reload();
    await second.getByRole("heading", { level: 1, name: "我的活动" }).waitFor();
    await cardB.getByText("已报名", { exact: true }).waitFor();
    expect(await cardB.getByText(/候补第/).count()).toBe(0);
    const codeB = (await cardB.locator(".check-in-code__digits").textContent()) ?? "";
    expect(codeB).toMatch(/^\d{6}$/);
    expect(await cardB.getByRole("img", { name: "签到二维码" }).locator("svg").count()).toBe(1);
    await saveScreenshot(second, "activities-5-resident-b-promoted");
    expect(
      await db().registration.findMany({
        where: { activityId },
        select: { userId: true, status: true, checkInCode: true },
        orderBy: { queuedAt: "asc" },
      }),
    ).toEqual([
      { userId: residentA.id, status: "CANCELLED", checkInCode: codeA },
      { userId: residentB.id, status: "REGISTERED", checkInCode: codeB },
    ]);

    // 7. At the door the worker opens the 签到台, types B's code and records 5 walk-ins.
    await desk.goto(url(`/activities/${activityId}`));
    await desk.getByRole("link", { name: "签到台" }).click();
    await desk.waitForURL(atPath(new RegExp(`^/activities/${activityId}/desk$`)));
    await desk.getByRole("heading", { level: 1, name: "签到台" }).waitFor();
    // The desk links the activities styles (it is not nested under the activity page): the figures
    // are tiles, not a bulleted list.
    expect(
      await desk.getByRole("list", { name: "签到情况" }).evaluate((list) => getComputedStyle(list).display),
    ).toBe("grid");
    await desk.getByRole("textbox", { name: "6位签到码" }).fill(codeB);
    await desk.getByRole("button", { name: "签到", exact: true }).click();
    await successMessage(desk)
      .getByText(new RegExp(`^已签到：${residentB.name} `))
      .waitFor();
    const rowB = desk.getByRole("row").filter({ hasText: residentB.name });
    await rowB.getByText(/^已签到 \d{2}:\d{2}$/).waitFor();
    await eventually(() => figure(desk, "已签到")).toBe("1");

    await desk.getByRole("textbox", { name: "现场人数", exact: true }).fill("5");
    await desk.getByRole("button", { name: "保存现场人数" }).click();
    await successMessage(desk).getByText("现场人数已记为 5 人，受众共 6 人次。").waitFor();
    await eventually(() => figure(desk, "受众人次")).toBe("6");
    await saveScreenshot(desk, "activities-6-worker-desk");

    // 8. The activity ends: the scheduler's sweep (here with a clock a moment past its end, rather
    // than waiting an hour) finishes it and asks for its count, which the statistics queue's
    // tallyActivity job makes of its tally and its community's day (run here as the worker would).
    expect(await sweepActivities(new Date(endsAt.getTime() + 1000))).toMatchObject({ finished: 1 });
    expect(
      await db().outboxEvent.count({ where: { topic: "activity.attendance", aggregateId: activityId } }),
    ).toBeGreaterThan(0);
    await recomputeActivityFigures(activityId);
    await desk.goto(url(`/activities/${activityId}`));
    await desk.getByRole("heading", { level: 1, name: activityTitle }).waitFor();
    expect(await desk.getByRole("main").locator(".badge--activity-finished").textContent()).toBe("已结束");
    expect(await figure(desk, "受众人次")).toBe("6");
    expect(await figure(desk, "签到")).toBe("1");
    expect(await figure(desk, "现场")).toBe("5");
    await saveScreenshot(desk, "activities-7-worker-finished");

    expect(await db().activityTally.findUniqueOrThrow({ where: { activityId } })).toMatchObject({
      registered: 1,
      waitlisted: 0,
      checkedIn: 1,
      walkIns: 5,
      personTimes: 6,
    });
    const day = chinaDay(startsAt);
    expect(await communityActivityDays(a1.id, { from: day, to: day })).toMatchObject([
      {
        activitiesHeld: 1,
        registered: 1,
        checkedIn: 1,
        walkIns: 5,
        personTimes: 6,
        uniquePersons: 1,
      },
    ]);
    expectScriptsRan();
  }, 90_000);
});
