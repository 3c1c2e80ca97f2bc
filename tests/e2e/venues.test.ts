import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { recountBookingDay } from "~/domain/venues/booking-figures.server";
import { chinaDay, chinaMidnight } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { atPath, browserJourney, successMessage } from "./browser";

// 阵地预约 in a real browser (issue 19), the staff's side: a community worker opens a venue with the
// 新建阵地 form, a resident books a slot for her group on the 预约 form, the worker confirms it in
// 工作台 → 预约审核, records 到场人数 once it has begun, and the batch and its persons appear on 统计.

let fx: TerritoryFixture;
const { url, signedIn, expectScriptsRan } = browserJourney();

const HOUR = 3600 * 1000;
/** Tomorrow in China, as YYYY-MM-DD. */
const tomorrow = () => new Date(Date.now() + 24 * HOUR + 8 * HOUR).toISOString().slice(0, 10);

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  await db().community.update({ where: { id: fx.communities.a1.id }, data: { name: "映月社区" } });
});

/** A card of the 预约审核 page, by the group's name. */
const card = (page: Page, group: string) => page.getByRole("article").filter({ hasText: group });

describe("a venue's bookings, worked by its staff", () => {
  it("opens a venue, confirms a group's booking, records who came, and the figures show it", async () => {
    const worker = await signedIn("worker", fx.users.workerA1);

    // 新建阵地 from the venue list: open every day 09:00–12:00 (weekdays also 14:00–17:30, the
    // form's default), staff approve, one menu item.
    await worker.goto(url("/venues"));
    await worker.getByRole("link", { name: "新建阵地" }).click();
    await worker.waitForURL(atPath(/^\/venues\/new$/));
    await worker.getByLabel("阵地名称").fill("映月社区党员活动室");
    await worker.getByLabel("所属街道或社区").selectOption({ label: "映月社区" });
    await worker.getByLabel("地址").fill("映月路8号二楼");
    await worker.getByLabel("容纳人数").fill("40");
    await worker.getByLabel("阵地介绍").fill("可开展主题党日和居民议事。");
    for (const weekday of ["周六", "周日"]) {
      await worker.getByLabel(`${weekday}第1段 开始`).fill("09:00");
      await worker.getByLabel(`${weekday}第1段结束`).fill("12:00");
    }
    await worker.getByLabel("项目名称").first().fill("重温入党誓词");
    await worker.getByLabel("时长（分钟）").first().fill("20");
    await worker.getByRole("button", { name: "新建阵地" }).click();
    await worker.waitForURL(atPath(/^\/venues\/[^/]+\/manage$/));
    await successMessage(worker).getByText("阵地已新建。").waitFor();
    const venue = await db().venue.findFirstOrThrow({
      where: { name: "映月社区党员活动室" },
      include: { menu: true, openingHours: true },
    });
    expect(venue.approval).toBe("STAFF");
    expect(venue.openingHours).toHaveLength(12);

    // A resident books tomorrow morning for her group on the web form (contact filled from her account).
    const resident = await signedIn("resident", fx.users.residentA1);
    await resident.goto(url(`/venues/${venue.id}`));
    await resident.getByRole("link", { name: "预约此阵地" }).click();
    await resident.waitForURL(atPath(/^\/venues\/[^/]+\/book$/));
    await resident.getByLabel("日期", { exact: true }).fill(tomorrow());
    await resident.getByLabel("开始时间", { exact: true }).fill("09:30");
    await resident.getByLabel("结束时间", { exact: true }).fill("11:00");
    await resident.getByLabel("团体名称").fill("映月科技公司党支部");
    await resident.getByLabel("预计人数").fill("20");
    await resident.getByLabel("活动内容").fill("主题党日：重温入党誓词");
    await resident.getByLabel(/重温入党誓词/).check();
    await resident.getByRole("button", { name: "提交预约" }).click();
    await resident.getByRole("heading", { name: "预约已提交" }).waitFor();
    const booking = await db().booking.findFirstOrThrow({ where: { venueId: venue.id } });
    expect(booking).toMatchObject({ status: "REQUESTED", channel: "WEB", bookerId: fx.users.residentA1.id });

    // 工作台 → 预约审核: the request, confirmed.
    await worker.goto(url("/workbench"));
    await worker.getByRole("link", { name: /预约审核/ }).click();
    await worker.waitForURL(atPath(/^\/workbench\/bookings$/));
    await card(worker, "映月科技公司党支部").getByRole("button", { name: "确认预约" }).click();
    await successMessage(worker)
      .getByText(/已确认“映月科技公司党支部”/)
      .waitFor();
    expect((await db().booking.findUniqueOrThrow({ where: { id: booking.id } })).status).toBe("CONFIRMED");
    await resident.goto(url("/me/bookings"));
    await resident.getByText("已确认").first().waitFor();

    // It begins (moved into the past today, which no form allows), and the worker records who came.
    const startsAt = new Date(Math.max(Date.now() - HOUR, chinaMidnight(chinaDay(new Date())).getTime()));
    await db().booking.update({
      where: { id: booking.id },
      data: { startsAt, endsAt: new Date(startsAt.getTime() + 90 * 60_000) },
    });
    await worker.reload();
    const begun = card(worker, "映月科技公司党支部");
    await begun.getByLabel("到场人数").fill("18");
    await begun.getByRole("button", { name: "登记并完成" }).click();
    await successMessage(worker)
      .getByText(/到场 18 人，预约已完成/)
      .waitFor();
    expect(await db().booking.findUniqueOrThrow({ where: { id: booking.id } })).toMatchObject({
      status: "COMPLETED",
      attended: 18,
    });

    // The statistics queue recounts the day (no worker runs beside this server): 1 batch, 18 persons.
    await recountBookingDay(booking.id);
    await worker.goto(url("/stats"));
    const figures = worker.locator(".figures, main");
    await figures.getByText("到场 18 人（已完成的阵地预约）").first().waitFor();
    expectScriptsRan();
  });
});
