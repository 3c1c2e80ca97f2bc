import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatTimeRange } from "~/components/activities";
import { chinaDate } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { drainOutbox } from "~/outbox/relay.server";
import { searchEngine } from "~/search/engines.server";
import { reindex } from "~/search/reindex.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { pagesOf, joinedText as textOf, visibleText as visible } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// The booker's side of venues (issue 19) as a browser without JavaScript sees it: the 预约 form
// (good input leading by redirect to the booking's page, garbage that changes nothing, a taken time
// with the nearest free ones, a weekly series whose taken date is listed back), the booking's page
// for its booker only, 我的预约 with its statuses and cancelling, the .ics per role, and venues in
// search.

let server: TestServer;
let fx: TerritoryFixture;
let venueId: string;
let menuId: string;
let others: { neighbour: { id: string }; workerB1: { id: string } };

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const { page, submit, cookieOf } = pagesOf(() => server, { html: textOf });
const DAY = 24 * 3600 * 1000;
/** The China date `days` from now. */
const dayIn = (days: number) => chinaDate(new Date(Date.now() + days * DAY));
const at = (day: string, clock: string) => new Date(`${day}T${clock}:00+08:00`);
const bookingCount = () => db().booking.count({ where: { kind: "BOOKING" } });

/** A held booking of someone else's group, whose details must never show on the pages. */
async function heldBooking(day: string, from: string, to: string, bookerId: string, status = "CONFIRMED") {
  return db().booking.create({
    data: {
      venueId,
      status: status === "REQUESTED" ? "REQUESTED" : "CONFIRMED",
      channel: "WEB",
      startsAt: at(day, from),
      endsAt: at(day, to),
      bookerId,
      createdById: bookerId,
      groupName: "保密科技公司党支部",
      expectedPersons: 20,
      contactName: "欧阳保密",
      contactPhone: "13987654321",
      purpose: "不公开的主题党日",
    },
  });
}

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  others = {
    neighbour: await createResident(db(), fx.communities.a1.id),
    workerB1: await createUser(db(), {
      roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }],
    }),
  };
  const venue = await db().venue.create({
    data: {
      name: "红色记忆馆",
      subdistrictId: fx.subdistricts.a.id,
      communityId: fx.communities.a1.id,
      address: "映月路12号",
      capacity: 60,
      description: "开放式组织生活基地",
      approval: "AUTO",
      minLeadMinutes: 60,
      maxLeadDays: 30,
      openingHours: {
        create: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensMinute: 540, closesMinute: 1020 })),
      },
      menu: { create: [{ position: 0, title: "重温入党誓词", minutes: 20, maxGroupSize: 30 }] },
    },
    include: { menu: true },
  });
  venueId = venue.id;
  menuId = venue.menu[0]?.id ?? "";
});

const goodForm = (day: string, extra: Record<string, string> = {}) => ({
  date: day,
  startTime: "14:00",
  endTime: "15:30",
  groupName: "映月科技公司党支部",
  expectedPersons: "25",
  contactName: "王明",
  contactPhone: "13812345678",
  purpose: "主题党日：参观展馆后重温入党誓词",
  [`menuItem_${menuId}`]: "on",
  repeat: "NONE",
  ...extra,
});

describe("/venues/:id/book", () => {
  it("sends a visitor to sign in and back, and writes nothing for one who posts", async () => {
    const visit = await page(`/venues/${venueId}/book`);
    expect(visit.status).toBe(302);
    expect(visit.location).toBe(`/login?redirectTo=${encodeURIComponent(`/venues/${venueId}/book`)}`);
    const posted = await submit(`/venues/${venueId}/book`, "", goodForm(dayIn(3)));
    expect(posted.status).toBe(302);
    expect(await bookingCount()).toBe(0);
  });

  it("starts from the account's contact, beside the week's free and taken time without the booker", async () => {
    const day = dayIn(2);
    await heldBooking(day, "10:00", "11:30", others.neighbour.id);
    const resident = await db().user.findUniqueOrThrow({ where: { id: fx.users.residentA1.id } });
    const { status, html } = await page(`/venues/${venueId}/book?date=${day}`, await cookieOf(resident));
    expect(status).toBe(200);
    expect(html).toContain(`value="${resident.name}"`);
    expect(html).toContain(`value="${resident.phone}"`);
    expect(html).toContain(`name="menuItem_${menuId}"`);
    expect(visible(html)).toContain("空闲：09:00–10:00、11:30–17:00");
    expect(visible(html)).toContain("已被预约：10:00–11:30");
    for (const secret of ["保密科技公司党支部", "欧阳保密", "13987654321", "不公开的主题党日"]) {
      expect(html).not.toContain(secret);
    }
  });

  it("books a WEB booking with its menu and lists the date", async () => {
    const day = dayIn(3);
    // A person cannot claim a staff channel through the form: it is always the web.
    const cookie = await cookieOf(fx.users.residentA1);
    const answer = await submit(`/venues/${venueId}/book`, cookie, goodForm(day, { channel: "PHONE" }));
    const booking = await db().booking.findFirstOrThrow({ where: { venueId, kind: "BOOKING" } });
    // POST-redirect-GET: the booking's own page answers, so a reload reads it again and books nothing.
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`/me/bookings/${booking.id}?done=booked`);
    for (let reload = 0; reload < 2; reload += 1) {
      const shown = await page(answer.location ?? "", cookie);
      expect(shown.status).toBe(200);
      expect(shown.html).toContain("预约已提交");
      expect(shown.html).toContain("红色记忆馆的预约已确认，请按时前往。");
      expect(shown.html).toContain(
        formatTimeRange(at(day, "14:00").toISOString(), at(day, "15:30").toISOString()),
      );
    }
    expect(await bookingCount()).toBe(1);
    expect(booking).toMatchObject({
      channel: "WEB",
      status: "CONFIRMED",
      bookerId: fx.users.residentA1.id,
      groupName: "映月科技公司党支部",
      expectedPersons: 25,
      contactPhone: "13812345678",
      menuItemIds: [menuId],
    });
    expect(booking.startsAt).toEqual(at(day, "14:00"));
  });

  it("answers garbage with Chinese messages on the fields and changes nothing", async () => {
    const cookie = await cookieOf(fx.users.residentA1);
    const bad = await submit(`/venues/${venueId}/book`, cookie, {
      date: "2026-02-30",
      startTime: "25:00",
      endTime: "",
      groupName: "",
      expectedPersons: "很多",
      contactName: "王明",
      contactPhone: "12345",
      purpose: "x",
      [`menuItem_${"nope"}`]: "on",
      repeat: "MONTHLY",
    });
    expect(bad.status).toBe(400);
    for (const message of [
      "请选择有效的日期",
      "开始时间格式应为 09:00",
      "请选择结束时间",
      "请填写团体名称",
      "预计人数应为整数",
      "重复方式只能是每周或每两周",
    ]) {
      expect(bad.html).toContain(message);
    }
    expect(bad.html).toContain('aria-invalid="true"');

    // Well formed, but against the venue's rules: outside the opening hours, above the menu's group.
    const rules = await submit(
      `/venues/${venueId}/book`,
      cookie,
      goodForm(dayIn(3), { startTime: "07:00", endTime: "08:00", expectedPersons: "45" }),
    );
    expect(rules.status).toBe(400);
    expect(rules.html).toContain("所选时间不在开放时间内");
    expect(rules.html).toContain("“重温入党誓词”每批最多30人");
    // What was typed comes back.
    expect(rules.html).toContain('value="映月科技公司党支部"');

    const series = await submit(`/venues/${venueId}/book`, cookie, goodForm(dayIn(3), { repeat: "WEEKLY" }));
    expect(series.status).toBe(400);
    expect(series.html).toContain("请填写重复截止日期");
    expect(await bookingCount()).toBe(0);
  });

  it("says a taken time plainly and offers the nearest free ones, booking nothing", async () => {
    const day = dayIn(3);
    await heldBooking(day, "10:00", "11:30", others.neighbour.id);
    const answer = await submit(
      `/venues/${venueId}/book`,
      await cookieOf(fx.users.residentA1),
      goodForm(day, { startTime: "10:30", endTime: "11:00", [`menuItem_${menuId}`]: "" }),
    );
    expect(answer.status).toBe(409);
    expect(answer.html).toContain("该时段已被预约或暂停开放，请换一个时间");
    expect(answer.html).toContain("附近还空着的时间");
    expect(answer.html).toContain(`${day} 09:30–10:00`);
    expect(answer.html).toContain(`${day} 11:30–12:00`);
    expect(answer.html).toContain(`?date=${day}&amp;start=09:30&amp;end=10:00`);
    expect(await bookingCount()).toBe(1);

    // Following a suggestion fills the form in.
    const followed = await page(
      `/venues/${venueId}/book?date=${day}&start=09:30&end=10:00`,
      await cookieOf(fx.users.residentA1),
    );
    expect(followed.html).toContain(`value="${day}"`);
    expect(followed.html).toContain('value="09:30"');
  });

  it("books a weekly series and lists the date that was taken instead of dropping it", async () => {
    const first = dayIn(3);
    const taken = dayIn(17);
    await heldBooking(taken, "14:30", "15:00", others.neighbour.id);
    const cookie = await cookieOf(fx.users.residentA1);
    const answer = await submit(
      `/venues/${venueId}/book`,
      cookie,
      goodForm(first, { repeat: "WEEKLY", repeatUntil: dayIn(24) }),
    );
    expect(answer.status).toBe(302);
    // The date that could not be booked travels by its start (no personal data in the address).
    expect(answer.location).toContain(`skipped=${encodeURIComponent(at(taken, "14:00").toISOString())}`);
    const shown = await page(answer.location ?? "", cookie);
    expect(shown.html).toContain("部分日期已预约");
    expect(shown.html).toContain("已预约的日期（3）");
    expect(shown.html).toContain("未能预约的日期（1）");
    const takenRange = formatTimeRange(at(taken, "14:00").toISOString(), at(taken, "15:30").toISOString());
    expect(shown.html).toContain(`${takenRange}：该时段已被预约或暂停开放`);
    const mine = await db().booking.findMany({ where: { bookerId: fx.users.residentA1.id } });
    expect(mine).toHaveLength(3);
    expect(new Set(mine.map((b) => b.seriesId)).size).toBe(1);
    expect(mine.map((b) => chinaDate(b.startsAt)).sort()).toEqual([first, dayIn(10), dayIn(24)]);
  });
});

describe("/me/bookings/:id", () => {
  it("shows a booking to its booker only, and says why a date the address names was not booked", async () => {
    const mine = await heldBooking(dayIn(3), "09:00", "10:30", fx.users.residentA1.id, "REQUESTED");
    const path = `/me/bookings/${mine.id}`;
    const own = await page(`${path}?done=booked`, await cookieOf(fx.users.residentA1));
    expect(own.status).toBe(200);
    expect(own.html).toContain("预约已提交");
    expect(own.html).toContain("等待工作人员审核");
    expect(own.html).toContain("保密科技公司党支部");
    expect(own.html).toContain("13987654321");
    // Without ?done it is the booking's page, not a fresh answer: its status, and 加入日历.
    const later = await page(path, await cookieOf(fx.users.residentA1));
    expect(later.html).not.toContain("预约已提交");
    expect(visible(later.html)).toContain("保密科技公司党支部待审核");
    expect(later.html).toContain(`href="/bookings/${mine.id}.ics"`);
    // Nobody else's: a neighbour and the venue's staff alike get 404 (staff have their own pages).
    for (const user of [others.neighbour, fx.users.workerA1, others.workerB1]) {
      const other = await page(path, await cookieOf(user));
      expect(other.status, user.id).toBe(404);
      expect(other.html).not.toContain("保密科技公司党支部");
    }
    expect((await page(path)).location).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    for (const id of ["nope", "cm0000000000000000000000", "%00"]) {
      expect((await page(`/me/bookings/${id}`, await cookieOf(fx.users.residentA1))).status, id).toBe(404);
    }
  });

  it("reads the skipped dates of a series back from the address, and ignores anything else there", async () => {
    const cookie = await cookieOf(fx.users.residentA1);
    const answer = await submit(
      `/venues/${venueId}/book`,
      cookie,
      goodForm(dayIn(3), { repeat: "WEEKLY", repeatUntil: dayIn(10) }),
    );
    const [first] = await db().booking.findMany({
      where: { bookerId: fx.users.residentA1.id },
      orderBy: { startsAt: "asc" },
    });
    expect(answer.location).toBe(`/me/bookings/${first?.id}?done=booked`);
    // A date of the series the rules refused gets their reason; garbage, dates the series could
    // not have asked for and dates it booked are left out.
    const past = at(dayIn(-4), "14:00").toISOString();
    const skipped = [
      past,
      "明天",
      "2026-02-30T06:00:00.000Z",
      at(dayIn(17), "09:00").toISOString(),
      first?.startsAt.toISOString(),
      "<script>",
    ].join(",");
    const shown = await page(
      `/me/bookings/${first?.id}?done=booked&skipped=${encodeURIComponent(skipped)}`,
      cookie,
    );
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("已预约的日期（2）");
    expect(shown.html).toContain("未能预约的日期（1）");
    expect(shown.html).toContain("开始时间已过，请选择将来的时间");
    expect(shown.html).not.toContain("&lt;script&gt;");
  });
});

describe("/me/bookings", () => {
  async function series() {
    const cookie = await cookieOf(fx.users.residentA1);
    const answer = await submit(
      `/venues/${venueId}/book`,
      cookie,
      goodForm(dayIn(3), { repeat: "WEEKLY", repeatUntil: dayIn(17) }),
    );
    expect(answer.status).toBe(302);
    const rows = await db().booking.findMany({
      where: { bookerId: fx.users.residentA1.id },
      orderBy: { startsAt: "asc" },
    });
    return { cookie, rows };
  }

  it("lists coming and past bookings with their status in Chinese and a declined one's reason", async () => {
    const resident = fx.users.residentA1.id;
    await heldBooking(dayIn(4), "09:00", "10:00", resident, "REQUESTED");
    const declined = await heldBooking(dayIn(5), "09:00", "10:00", resident, "REQUESTED");
    await db().booking.update({
      where: { id: declined.id },
      data: { status: "DECLINED", reason: "场地维修" },
    });
    const { status, html } = await page("/me/bookings", await cookieOf(fx.users.residentA1));
    expect(status).toBe(200);
    expect(html).toContain("待进行的预约（1）");
    expect(html).toContain("待审核");
    expect(html).toContain("以往的预约（1）");
    expect(html).toContain("未通过");
    expect(html).toContain("原因：场地维修");
    expect(html).toContain(`id="booking-${declined.id}"`);
    // Nobody else's bookings.
    const neighbour = await page("/me/bookings", await cookieOf(others.neighbour));
    expect(neighbour.html).toContain("待进行的预约（0）");
    expect(neighbour.html).not.toContain("红色记忆馆");
  });

  it("is where a notification about a booking leads", async () => {
    const request = await heldBooking(dayIn(4), "09:00", "10:00", fx.users.residentA1.id, "REQUESTED");
    const declined = await server.json(`/api/v1/bookings/${request.id}/decline`, {
      method: "POST",
      token: await tokenFor(fx.users.workerA1.id),
      json: { reason: "当天已安排区级活动" },
    });
    expect(declined.status).toBe(200);
    const notification = await db().notification.findFirstOrThrow({
      where: { userId: fx.users.residentA1.id, kind: "booking.declined" },
    });
    const cookie = await cookieOf(fx.users.residentA1);
    const opened = await submit(`/me/notifications/${notification.id}`, cookie);
    // The booking's own page (我的预约 keeps only the latest past ones), with its status and reason.
    expect(opened.location).toBe(`/me/bookings/${request.id}`);
    const mine = await page(opened.location ?? "", cookie);
    expect(mine.status).toBe(200);
    expect(mine.html).toContain("未通过");
    expect(mine.html).toContain("原因：当天已安排区级活动");
    // Nothing to cancel or add to a calendar on a declined booking.
    expect(mine.html).not.toContain("取消这次预约");
    expect(mine.html).not.toContain("加入日历");
  });

  it("is in 我的, and a visitor is sent to sign in", async () => {
    expect((await page("/me", await cookieOf(fx.users.residentA1))).html).toContain('href="/me/bookings"');
    expect((await page("/me/bookings")).location).toBe(
      `/login?redirectTo=${encodeURIComponent("/me/bookings")}`,
    );
  });

  it("cancels one date, then the rest of the series", async () => {
    const { cookie, rows } = await series();
    expect(rows).toHaveLength(3);
    const [first, second, third] = rows;
    if (!first || !second || !third) throw new Error("three dates expected");
    const one = await submit("/me/bookings", cookie, { intent: "cancel", bookingId: first.id });
    expect(one.status).toBe(302);
    expect(one.location).toBe("/me/bookings?cancelled=1");
    expect((await page(one.location ?? "", cookie)).html).toContain("预约已取消。");
    expect((await db().booking.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("CANCELLED");
    expect((await db().booking.findUniqueOrThrow({ where: { id: second.id } })).status).toBe("CONFIRMED");

    const rest = await submit("/me/bookings", cookie, { intent: "cancelRest", bookingId: second.id });
    expect(rest.status).toBe(302);
    const after = await page(rest.location ?? "", cookie);
    expect(after.html).toContain("已取消 2 次预约。");
    const statuses = await db().booking.findMany({
      where: { seriesId: first.seriesId },
      select: { status: true },
    });
    expect(statuses.every((b) => b.status === "CANCELLED")).toBe(true);
    expect(after.html).toContain("待进行的预约（0）");
    // The booker needs no reason for her own, and nobody is notified of what she did herself.
    expect(await db().notification.count({ where: { kind: "booking.cancelled" } })).toBe(0);
  });

  it("cancels nothing of someone else's, and answers garbage without a change", async () => {
    const { rows } = await series();
    const before = await db().booking.findMany({ select: { id: true, status: true, version: true } });
    const neighbour = await cookieOf(others.neighbour);
    const target = rows[0]?.id ?? "";
    expect((await submit("/me/bookings", neighbour, { intent: "cancel", bookingId: target })).status).toBe(
      403,
    );
    const forms: Record<string, string>[] = [
      { intent: "cancel", bookingId: "" },
      { intent: "cancel", bookingId: "nope" },
      { intent: "cancel", bookingId: "%00" },
      { intent: "explode", bookingId: target },
      {},
    ];
    for (const form of forms) {
      const answer = await submit("/me/bookings", neighbour, form);
      expect(answer.status, JSON.stringify(form)).toBeGreaterThanOrEqual(400);
      expect(answer.status, JSON.stringify(form)).toBeLessThan(500);
    }
    expect(await db().booking.findMany({ select: { id: true, status: true, version: true } })).toEqual(
      before,
    );
  });

  it("cancels from the booking's own page: its booker this date or the rest, nobody else anything", async () => {
    const { cookie, rows } = await series();
    const [first, second] = rows;
    if (!first || !second) throw new Error("dates expected");
    const own = await page(`/me/bookings/${first.id}`, cookie);
    expect(own.html).toContain("取消这次预约");
    expect(own.html).toContain("取消这次及以后的全部");
    expect(own.html).toContain(`/bookings/${first.id}.ics`);

    // A neighbour and the venue's own staff (who cancel on 阵地管理, with a reason) get 404 here;
    // garbage intents are refused; nothing changes.
    const before = await db().booking.findMany({ select: { id: true, status: true, version: true } });
    for (const user of [others.neighbour, fx.users.workerA1]) {
      const answer = await submit(`/me/bookings/${first.id}`, await cookieOf(user), { intent: "cancel" });
      expect(answer.status, user.id).toBe(404);
    }
    const garbage: Record<string, string>[] = [{ intent: "explode" }, {}];
    for (const form of garbage) {
      const answer = await submit(`/me/bookings/${first.id}`, cookie, form);
      expect(answer.status, JSON.stringify(form)).toBe(400);
    }
    expect((await submit("/me/bookings/nope", cookie, { intent: "cancel" })).status).toBe(404);
    expect(await db().booking.findMany({ select: { id: true, status: true, version: true } })).toEqual(
      before,
    );

    const one = await submit(`/me/bookings/${first.id}`, cookie, { intent: "cancel" });
    expect(one.location).toBe(`/me/bookings/${first.id}?cancelled=1`);
    const after = await page(one.location ?? "", cookie);
    expect(after.html).toContain("预约已取消。");
    expect(after.html).not.toContain("取消这次预约");
    expect((await db().booking.findUniqueOrThrow({ where: { id: second.id } })).status).toBe("CONFIRMED");
    const rest = await submit(`/me/bookings/${second.id}`, cookie, { intent: "cancelRest" });
    expect(rest.location).toBe(`/me/bookings/${second.id}?cancelled=${rows.length - 1}`);
    const statuses = await db().booking.findMany({
      where: { seriesId: first.seriesId },
      select: { status: true },
    });
    expect(statuses.every((b) => b.status === "CANCELLED")).toBe(true);
    // Cancelled already: a second post is a conflict said on the page, not an error page.
    const again = await submit(`/me/bookings/${first.id}`, cookie, { intent: "cancel" });
    expect(again.status).toBe(409);
    expect(again.html).toContain("不能取消");
  });
});

describe("/bookings/:id.ics", () => {
  it("is for the booker and the venue's staff only", async () => {
    const booking = await heldBooking(dayIn(3), "09:00", "10:30", fx.users.residentA1.id);
    const path = `/bookings/${booking.id}.ics`;
    const own = await server.request(path, { headers: { cookie: await cookieOf(fx.users.residentA1) } });
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toContain("text/calendar");
    expect(own.headers.get("cache-control")).toContain("no-store");
    const ics = await own.text();
    expect(ics).toContain(`UID:booking-${booking.id}@sanshe`);
    expect(ics).toContain("SUMMARY:红色记忆馆 · 保密科技公司党支部");
    expect(ics).toContain("STATUS:CONFIRMED");

    const as = async (user: { id: string }) =>
      (await server.request(path, { headers: { cookie: await cookieOf(user) } })).status;
    expect(await as(fx.users.workerA1)).toBe(200);
    expect(await as(fx.users.subdistrictAdminA)).toBe(200);
    expect(await as(fx.users.districtAdmin)).toBe(200);
    expect(await as(others.neighbour)).toBe(404);
    expect(await as(others.workerB1)).toBe(404);
    const anonymous = await server.request(path);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/login?redirectTo=");
    const cookie = await cookieOf(fx.users.residentA1);
    for (const id of ["nope", "cm0000000000000000000000", "%00"]) {
      expect((await server.request(`/bookings/${id}.ics`, { headers: { cookie } })).status, id).toBe(404);
    }
  });
});

describe("venues in search", () => {
  it("has a 阵地 tab that finds venues by name, address and menu", async () => {
    await reindex(searchEngine());
    const tab = await page(`/search?q=${encodeURIComponent("重温入党誓词")}&type=venue`);
    expect(tab.status).toBe(200);
    expect(tab.html).toContain(">阵地<");
    expect(tab.html).toContain(`href="/venues/${venueId}"`);
    const byAddress = await page(`/search?q=${encodeURIComponent("映月路")}&type=venue`);
    expect(byAddress.html).toContain(`href="/venues/${venueId}"`);
    // Bookings are nobody's search.
    await heldBooking(dayIn(3), "09:00", "10:00", fx.users.residentA1.id);
    await reindex(searchEngine());
    const secret = await page(`/search?q=${encodeURIComponent("保密科技公司党支部")}&type=venue`);
    expect(secret.html).not.toContain(`href="/venues/${venueId}"`);
  });

  it("indexes a venue created or renamed through the outbox", async () => {
    const token = await tokenFor(fx.users.workerA1.id);
    const created = await server.json("/api/v1/venues", {
      method: "POST",
      token,
      json: {
        name: "映月书香阅览室",
        territoryId: fx.communities.a1.id,
        address: "映月路20号",
        capacity: 20,
        description: "安静的阅览空间。",
        openingHours: [{ weekday: 1, opens: "09:00", closes: "17:00" }],
        menu: [{ title: "绘本共读", minutes: 60 }],
      },
    });
    expect(created.status).toBe(201);
    await drainOutbox(searchEngine());
    const found = await server.json(`/api/v1/search?type=venue&q=${encodeURIComponent("绘本共读")}`);
    expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.venue.id]);

    const renamed = await server.json(`/api/v1/venues/${created.body.venue.id}`, {
      method: "PATCH",
      token,
      json: { name: "映月亲子阅览室" },
    });
    expect(renamed.status).toBe(200);
    await drainOutbox(searchEngine());
    const again = await server.json(`/api/v1/search?type=venue&q=${encodeURIComponent("亲子阅览室")}`);
    expect(again.body.items.map((item: { title: string }) => item.title)).toEqual(["映月亲子阅览室"]);
  });
});
