import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { countAgainstLimit, LIMITS } from "~/domain/accounts/throttle.server";
import { recountBookingDay } from "~/domain/venues/booking-figures.server";
import {
  bookingSchedule,
  lapseBooking,
  remindBooking,
  sweepBookings,
} from "~/domain/venues/booking-lifecycle.server";
import { chinaDate } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  DEFAULT_PASSWORD,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createBookingRow } from "../../prisma/factories/venues";
import { keptFixture } from "../setup/kept-fixtures";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// Venues and bookings through the API (issue 19): the exclusion constraint under real parallel HTTP
// requests, the venue's rules in China time, approval, series, closures, attendance and its figures,
// the jobs' stale-safety, and what each reader may see.

let server: TestServer;
let fx: TerritoryFixture;
let token: Record<string, string> = {};
let id: Record<string, string> = {};
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** What every test starts from: made once, put back from its rows for every later test. */
const world = keptFixture(async () => {
  fx = await createTerritoryFixture(db());
  const workerB1 = await createUser(db(), {
    roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }],
  });
  const neighbour = await createResident(db(), fx.communities.a1.id);
  for (const [key, user] of Object.entries({ ...fx.users, workerB1, neighbour })) {
    token[key] = await tokenFor(user.id);
    id[key] = user.id;
  }
  return { fx, token, id };
});
beforeEach(async () => {
  ({ fx, token, id } = await world());
});

const post = (path: string, who: string | undefined, json: unknown = {}) =>
  server.json(path, { method: "POST", json, token: who ? token[who] : undefined });
const get = (path: string, who?: string) => server.json(path, { token: who ? token[who] : undefined });

/** A China date `days` from now that falls on the given weekday (1 Monday … 7 Sunday) or later. */
function chinaDay(days: number) {
  return chinaDate(new Date(Date.now() + days * DAY));
}
const at = (day: string, clock: string) => `${day}T${clock}:00+08:00`;

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
  { weekday, opens: "09:00", closes: "12:00" },
  { weekday, opens: "14:00", closes: "17:30" },
]);

async function createVenue(overrides: Record<string, unknown> = {}, who = "workerA1") {
  const response = await post("/api/v1/venues", who, {
    name: "映月社区党群服务中心 · 多功能厅",
    territoryId: fx.communities.a1.id,
    address: "映月路12号二楼",
    capacity: 40,
    description: "可开展党日活动、讲座和培训。",
    openingHours: EVERY_DAY,
    approval: "AUTO",
    menu: [
      { title: "重温入党誓词", minutes: 20, maxGroupSize: 30 },
      { title: "参观展馆", minutes: 40 },
    ],
    ...overrides,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.venue;
}

const bookingInput = (venueId: string, day: string, from = "09:30", to = "11:00", extra = {}) => ({
  venueId,
  startsAt: at(day, from),
  endsAt: at(day, to),
  groupName: "映月科技公司党支部",
  expectedPersons: 20,
  contactName: "王书记",
  contactPhone: "13812345678",
  purpose: "主题党日：参观学习",
  ...extra,
});

describe("the exclusion constraint", () => {
  it("exists in the database, over venue and time, for held statuses", async () => {
    const rows = await db().$queryRaw<{ def: string }[]>`
      SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conname = 'Booking_no_overlap' AND contype = 'x'`;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.def).toContain('EXCLUDE USING gist ("venueId" WITH =, during WITH &&)');
    expect(rows[0]?.def).toContain("REQUESTED");
    expect(rows[0]?.def).toContain("CONFIRMED");
  });

  it("gives exactly one 201 and eleven 409 SLOT_TAKEN for 12 parallel requests for one slot", async () => {
    const venue = await createVenue();
    const day = chinaDay(3);
    const people = await Promise.all(
      Array.from({ length: 12 }, async () => tokenFor((await createResident(db(), fx.communities.a1.id)).id)),
    );
    const results = await Promise.all(
      people.map((personToken) =>
        server.json("/api/v1/bookings", {
          method: "POST",
          json: bookingInput(venue.id, day),
          token: personToken,
        }),
      ),
    );
    const outcomes = JSON.stringify(results.map((r) => [r.status, r.body?.error?.code]));
    expect(
      results.filter((r) => r.status === 201),
      outcomes,
    ).toHaveLength(1);
    const refused = results.filter((r) => r.status === 409);
    expect(refused, outcomes).toHaveLength(11);
    for (const r of refused) expect(r.body.error.code).toBe("SLOT_TAKEN");
    expect(await db().booking.count({ where: { venueId: venue.id } })).toBe(1);
  });

  it("allows back-to-back bookings and refuses any overlap, requests included", async () => {
    const venue = await createVenue({ approval: "STAFF" });
    const day = chinaDay(3);
    const first = await post("/api/v1/bookings", "residentA1", bookingInput(venue.id, day, "09:00", "10:00"));
    expect(first.status).toBe(201);
    expect(first.body.booking.status).toBe("REQUESTED");
    const next = await post("/api/v1/bookings", "neighbour", bookingInput(venue.id, day, "10:00", "11:00"));
    expect(next.status).toBe(201);
    const overlap = await post(
      "/api/v1/bookings",
      "neighbour",
      bookingInput(venue.id, day, "09:30", "10:30"),
    );
    expect(overlap.status).toBe(409);
    expect(overlap.body.error.code).toBe("SLOT_TAKEN");
    // A declined request frees its time.
    const declined = await post(`/api/v1/bookings/${first.body.booking.id}/decline`, "workerA1", {
      reason: "当天有内部会议",
    });
    expect(declined.status).toBe(200);
    expect(declined.body.booking.status).toBe("DECLINED");
    const again = await post("/api/v1/bookings", "neighbour", bookingInput(venue.id, day, "09:00", "10:00"));
    expect(again.status).toBe(201);
  });
});

describe("venues", () => {
  it("are created by staff in scope only, with field-level errors in Chinese", async () => {
    expect((await post("/api/v1/venues", "residentA1", {})).status).toBe(400);
    const valid = {
      name: "阵地",
      territoryId: fx.communities.a1.id,
      address: "某路1号",
      capacity: 10,
      description: "介绍",
      openingHours: EVERY_DAY,
      approval: "AUTO",
    };
    expect((await post("/api/v1/venues", "residentA1", valid)).status).toBe(403);
    expect((await post("/api/v1/venues", "workerB1", valid)).status).toBe(403);
    expect((await post("/api/v1/venues", undefined, valid)).status).toBe(401);
    const bad = await post("/api/v1/venues", "workerA1", {
      ...valid,
      openingHours: [
        { weekday: 1, opens: "10:00", closes: "09:00" },
        { weekday: 8, opens: "25:00", closes: "12:00" },
      ],
      menu: [{ title: "参观", minutes: 30, maxGroupSize: 11 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toMatchObject({
      "openingHours.0.closes": "关门时间应晚于开门时间",
      "openingHours.1.weekday": expect.stringContaining("星期"),
      "openingHours.1.opens": "开门时间格式应为 09:00",
      "menu.0.maxGroupSize": "最多人数不能超过阵地容纳人数10",
    });
    expect(await db().venue.count()).toBe(0);
    // A subdistrict's own venue: its admin yes, a community worker under it no.
    expect(
      (await post("/api/v1/venues", "workerA1", { ...valid, territoryId: fx.subdistricts.a.id })).status,
    ).toBe(403);
    expect(
      (await post("/api/v1/venues", "subdistrictAdminA", { ...valid, territoryId: fx.subdistricts.a.id }))
        .status,
    ).toBe(201);
  });

  it("are listed and read by anyone, and edited by staff in scope", async () => {
    const venue = await createVenue();
    const list = await get(`/api/v1/venues?territoryId=${fx.subdistricts.a.id}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((v: { id: string }) => v.id)).toEqual([venue.id]);
    expect((await get(`/api/v1/venues?territoryId=${fx.subdistricts.b.id}`)).body.items).toEqual([]);
    const one = await get(`/api/v1/venues/${venue.id}`);
    expect(one.body.venue.menu.map((m: { title: string }) => m.title)).toEqual(["重温入党誓词", "参观展馆"]);
    expect(one.body.venue.openingHours[0]).toEqual({ weekday: 1, opens: "09:00", closes: "12:00" });
    const patched = await server.json(`/api/v1/venues/${venue.id}`, {
      method: "PATCH",
      json: { capacity: 50 },
      token: token.workerA1,
    });
    expect(patched.status).toBe(200);
    expect(patched.body.venue.capacity).toBe(50);
    const foreign = await server.json(`/api/v1/venues/${venue.id}`, {
      method: "PATCH",
      json: { capacity: 60 },
      token: token.workerB1,
    });
    expect(foreign.status).toBe(403);
    expect((await get("/api/v1/venues/nope")).status).toBe(404);
  });
});

describe("booking rules", () => {
  it("checks opening hours in China time, the window, capacity and the menu's largest group", async () => {
    const venue = await createVenue({ minLeadMinutes: 120, maxLeadDays: 30 });
    const day = chinaDay(3);
    const spansGap = await post(
      "/api/v1/bookings",
      "residentA1",
      bookingInput(venue.id, day, "11:00", "14:30"),
    );
    expect(spansGap.status).toBe(400);
    expect(spansGap.body.error.fields.startsAt).toContain("不在开放时间内");
    const early = await post("/api/v1/bookings", "residentA1", bookingInput(venue.id, day, "08:00", "09:30"));
    expect(early.body.error.fields.startsAt).toContain("不在开放时间内");
    const far = await post("/api/v1/bookings", "residentA1", bookingInput(venue.id, chinaDay(40)));
    expect(far.body.error.fields.startsAt).toBe("最多可提前30天预约");
    const past = await post("/api/v1/bookings", "residentA1", bookingInput(venue.id, chinaDay(-2)));
    expect(past.body.error.fields.startsAt).toBe("开始时间已过，请选择将来的时间");
    const crowd = await post(
      "/api/v1/bookings",
      "residentA1",
      bookingInput(venue.id, day, "09:30", "11:00", { expectedPersons: 41 }),
    );
    expect(crowd.body.error.fields.expectedPersons).toBe("预计人数超过阵地容纳人数40");
    const oath = venue.menu[0].id;
    const tooMany = await post(
      "/api/v1/bookings",
      "residentA1",
      bookingInput(venue.id, day, "09:30", "11:00", { expectedPersons: 35, menuItemIds: [oath] }),
    );
    expect(tooMany.body.error.fields.expectedPersons).toBe("“重温入党誓词”每批最多30人");
    const reversed = await post(
      "/api/v1/bookings",
      "residentA1",
      bookingInput(venue.id, day, "11:00", "10:00"),
    );
    expect(reversed.body.error.fields.endsAt).toBe("结束时间应晚于开始时间");
    expect(await db().booking.count()).toBe(0);
  });

  it("keeps the staff channels for staff in scope; their 代订 holds at once and has no booker", async () => {
    const venue = await createVenue({ approval: "STAFF" });
    const day = chinaDay(4);
    const claimed = await post(
      "/api/v1/bookings",
      "residentA1",
      bookingInput(venue.id, day, "09:30", "11:00", { channel: "PHONE" }),
    );
    expect(claimed.status).toBe(403);
    const foreign = await post(
      "/api/v1/bookings",
      "workerB1",
      bookingInput(venue.id, day, "09:30", "11:00", { channel: "PAPER" }),
    );
    expect(foreign.status).toBe(403);
    const entered = await post(
      "/api/v1/bookings",
      "workerA1",
      bookingInput(venue.id, day, "09:30", "11:00", { channel: "PAPER" }),
    );
    expect(entered.status).toBe(201);
    expect(entered.body.booking).toMatchObject({ status: "CONFIRMED", channel: "PAPER", mine: false });
    const row = await db().booking.findUniqueOrThrow({ where: { id: entered.body.booking.id } });
    expect(row.bookerId).toBeNull();
    const mini = await post(
      "/api/v1/bookings",
      "residentA1",
      bookingInput(venue.id, day, "14:00", "15:00", { channel: "MINI_PROGRAM" }),
    );
    expect(mini.status).toBe(201);
    expect(mini.body.booking).toMatchObject({ status: "REQUESTED", channel: "MINI_PROGRAM", mine: true });
  });

  it("limits the requests one account makes an hour, but not the front desk's 代订", async () => {
    const venue = await createVenue({ approval: "STAFF" });
    const day = chinaDay(4);
    for (let n = 0; n < LIMITS.bookingPerUser.max - 1; n += 1) {
      await countAgainstLimit(LIMITS.bookingPerUser, id.residentA1 ?? "");
    }
    const last = await post("/api/v1/bookings", "residentA1", bookingInput(venue.id, day, "09:00", "10:00"));
    expect(last.status).toBe(201);
    const refused = await post(
      "/api/v1/bookings",
      "residentA1",
      bookingInput(venue.id, day, "14:00", "15:00"),
    );
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/^预约提交太频繁，请在\d+分钟后再试$/);
    for (let n = 0; n < LIMITS.bookingPerUser.max; n += 1) {
      await countAgainstLimit(LIMITS.bookingPerUser, id.workerA1 ?? "");
    }
    const desk = await post(
      "/api/v1/bookings",
      "workerA1",
      bookingInput(venue.id, day, "14:00", "15:00", { channel: "PHONE" }),
    );
    expect(desk.status).toBe(201);
    expect(await db().booking.count({ where: { venueId: venue.id } })).toBe(2);
  });

  it("ties a booking to its booker, never to whoever's phone is typed as its contact", async () => {
    // A contact phone is free text: a 代订 or a neighbour's booking naming residentA1's number neither
    // reaches residentA1 nor says whether the number has an account (the answers are the same).
    const venue = await createVenue({ approval: "STAFF" });
    const day = chinaDay(4);
    const phones = { known: fx.users.residentA1.phone, unknown: "13900001111" };
    const answers = [];
    for (const [who, phone, from, to] of [
      ["workerA1", phones.known, "09:00", "10:00"],
      ["workerA1", phones.unknown, "10:00", "11:00"],
      ["neighbour", phones.known, "14:00", "15:00"],
      ["neighbour", phones.unknown, "15:00", "16:00"],
    ] as const) {
      const channel = who === "workerA1" ? "PHONE" : "WEB";
      const made = await post(
        "/api/v1/bookings",
        who,
        bookingInput(venue.id, day, from, to, { contactPhone: phone, channel }),
      );
      expect(made.status).toBe(201);
      const {
        id: _id,
        startsAt: _s,
        endsAt: _e,
        createdAt: _c,
        answerBy: _a,
        contactPhone,
        ...rest
      } = made.body.booking;
      expect(contactPhone).toBe(phone);
      answers.push(rest);
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[3]).toEqual(answers[2]);
    expect((await get("/api/v1/bookings", "residentA1")).body.items).toEqual([]);
    expect(await db().notification.count({ where: { userId: id.residentA1 } })).toBe(0);
  });
});

describe("approval, lists and privacy", () => {
  it("queues requests oldest first for staff in scope, who confirm; the booker is told", async () => {
    const venue = await createVenue({ approval: "STAFF" });
    const first = await post("/api/v1/bookings", "residentA1", bookingInput(venue.id, chinaDay(5)));
    const second = await post("/api/v1/bookings", "neighbour", bookingInput(venue.id, chinaDay(4)));
    const queue = await get("/api/v1/bookings?status=REQUESTED", "workerA1");
    expect(queue.body.items.map((b: { id: string }) => b.id)).toEqual([
      first.body.booking.id,
      second.body.booking.id,
    ]);
    expect(queue.body.items[0].contactPhone).toBe("13812345678");
    expect((await get("/api/v1/bookings?status=REQUESTED", "workerB1")).body.items).toEqual([]);
    // A resident sees only their own.
    const own = await get("/api/v1/bookings", "neighbour");
    expect(own.body.items.map((b: { id: string }) => b.id)).toEqual([second.body.booking.id]);

    expect((await post(`/api/v1/bookings/${first.body.booking.id}/confirm`, "workerB1")).status).toBe(403);
    expect((await post(`/api/v1/bookings/${first.body.booking.id}/confirm`, "residentA1")).status).toBe(403);
    const noReason = await post(`/api/v1/bookings/${first.body.booking.id}/decline`, "workerA1", {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.reason).toBe("请填写不通过的原因");
    const confirmed = await post(`/api/v1/bookings/${first.body.booking.id}/confirm`, "workerA1");
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.booking.status).toBe("CONFIRMED");
    expect((await post(`/api/v1/bookings/${first.body.booking.id}/confirm`, "workerA1")).status).toBe(409);
    const told = await db().notification.findMany({
      where: { userId: id.residentA1, kind: "booking.confirmed" },
    });
    expect(told).toHaveLength(1);
    // Staff were told of each request.
    expect(await db().notification.count({ where: { userId: id.workerA1, kind: "booking.requested" } })).toBe(
      2,
    );
  });

  it("shows no booker data in availability, and masks the phone for other readers", async () => {
    const venue = await createVenue();
    const day = chinaDay(3);
    const made = await post("/api/v1/bookings", "residentA1", bookingInput(venue.id, day));
    const availability = await get(`/api/v1/venues/${venue.id}/availability?from=${day}&to=${day}`);
    expect(availability.status).toBe(200);
    const [today] = availability.body.days;
    expect(today.open).toEqual([
      {
        startsAt: new Date(at(day, "09:00")).toISOString(),
        endsAt: new Date(at(day, "12:00")).toISOString(),
      },
      {
        startsAt: new Date(at(day, "14:00")).toISOString(),
        endsAt: new Date(at(day, "17:30")).toISOString(),
      },
    ]);
    expect(today.taken).toEqual([
      {
        startsAt: new Date(at(day, "09:30")).toISOString(),
        endsAt: new Date(at(day, "11:00")).toISOString(),
      },
    ]);
    const text = JSON.stringify(availability.body);
    for (const secret of ["王书记", "13812345678", "党支部", id.residentA1])
      expect(text).not.toContain(secret);
    expect((await get(`/api/v1/bookings/${made.body.booking.id}`, "neighbour")).status).toBe(404);
    expect(
      (await get(`/api/v1/bookings/${made.body.booking.id}`, "residentA1")).body.booking.contactPhone,
    ).toBe("13812345678");
    const bad = await get(`/api/v1/venues/${venue.id}/availability?from=${day}&to=2020-01-01`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.to).toBe("结束日期不能早于开始日期");
  });
});

describe("series, cancelling and closures", () => {
  it("books a weekly series' free dates and lists the conflicts; cancels one date or the rest", async () => {
    const venue = await createVenue({ maxLeadDays: 30 });
    const firstDay = chinaDay(3);
    const thirdDay = chinaDate(new Date(new Date(at(firstDay, "09:30")).getTime() + 14 * DAY));
    await post("/api/v1/bookings", "neighbour", bookingInput(venue.id, thirdDay, "10:00", "10:30"));
    const lastDay = chinaDate(new Date(new Date(at(firstDay, "09:30")).getTime() + 6 * 7 * DAY));
    const series = await post(
      "/api/v1/bookings",
      "residentA1",
      bookingInput(venue.id, firstDay, "09:30", "11:00", { repeat: "WEEKLY", repeatUntil: lastDay }),
    );
    expect(series.status).toBe(201);
    // Seven dates: the third is taken, the rest booked even beyond the 30-day window.
    expect(series.body.series.booked).toHaveLength(6);
    expect(series.body.series.conflicts).toEqual([
      {
        startsAt: new Date(at(thirdDay, "09:30")).toISOString(),
        endsAt: new Date(at(thirdDay, "11:00")).toISOString(),
        reason: "该时段已被预约或暂停开放",
      },
    ]);
    const [one, two, three] = series.body.series.booked;
    const single = await post(`/api/v1/bookings/${two.id}/cancel`, "residentA1", {});
    expect(single.status).toBe(200);
    expect(single.body.cancelled).toBe(1);
    const rest = await post(`/api/v1/bookings/${three.id}/cancel`, "residentA1", { rest: true });
    expect(rest.body.cancelled).toBe(4);
    const statuses = await db().booking.findMany({
      where: { seriesId: series.body.series.seriesId },
      orderBy: { startsAt: "asc" },
      select: { status: true },
    });
    expect(statuses.map((s) => s.status)).toEqual(["CONFIRMED", "CANCELLED", ...Array(4).fill("CANCELLED")]);
    expect((await post(`/api/v1/bookings/${one.id}/cancel`, "neighbour", {})).status).toBe(403);
    // Staff in scope cancel with no body, as API.md's contract has it: the holder is told, the cancel audited.
    const byStaff = await post(`/api/v1/bookings/${one.id}/cancel`, "workerA1");
    expect(byStaff.status).toBe(200);
    expect(byStaff.body.booking.status).toBe("CANCELLED");
    const told = await db().notification.findFirstOrThrow({
      where: { kind: "booking.cancelled", userId: fx.users.residentA1.id },
    });
    expect(told.body).toContain("已被工作人员取消");
    expect(told.body).not.toContain("原因");
    expect(
      await db().auditLog.findFirstOrThrow({ where: { action: "booking.cancel", targetId: one.id } }),
    ).toMatchObject({ data: { by: "staff", reason: null } });
  });

  it("books every other week up to six months, and refuses a longer series instead of cutting it", async () => {
    const venue = await createVenue();
    const firstDay = chinaDay(3);
    const first = new Date(`${firstDay}T00:00:00Z`).getTime();
    const dayAfter = (days: number) => new Date(first + days * DAY).toISOString().slice(0, 10);
    const series = (repeatUntil: string, from = "09:30") =>
      post(
        "/api/v1/bookings",
        "residentA1",
        bookingInput(venue.id, firstDay, from, "11:00", { repeat: "BIWEEKLY", repeatUntil }),
      );
    const tooLong = await series(dayAfter(184));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.fields.repeatUntil).toBe("重复预约最长6个月（183天），请把截止日期提前");
    const backwards = await series(dayAfter(-1));
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.fields.repeatUntil).toBe("重复截止日期不能早于第一次的日期");
    expect(await db().booking.count({ where: { venueId: venue.id } })).toBe(0);

    // Six months every two weeks: days 0, 14, … 182, fourteen dates, each two weeks after the last.
    const booked = await series(dayAfter(183));
    expect(booked.status).toBe(201);
    const starts = booked.body.series.booked.map((b: { startsAt: string }) => Date.parse(b.startsAt));
    expect(starts).toHaveLength(14);
    expect(booked.body.series.conflicts).toEqual([]);
    for (const [k, start] of starts.entries()) expect(start - (starts[0] ?? 0)).toBe(k * 14 * DAY);
  });

  it("closes a venue: overlapping bookings are cancelled and their holders told", async () => {
    const venue = await createVenue();
    const day = chinaDay(3);
    const made = await post("/api/v1/bookings", "residentA1", bookingInput(venue.id, day));
    const other = await post("/api/v1/bookings", "neighbour", bookingInput(venue.id, day, "14:00", "15:00"));
    expect(
      (
        await post(`/api/v1/venues/${venue.id}/closures`, "residentA1", {
          startsAt: at(day, "08:00"),
          endsAt: at(day, "12:00"),
          reason: "消防检查",
        })
      ).status,
    ).toBe(403);
    const closed = await post(`/api/v1/venues/${venue.id}/closures`, "workerA1", {
      startsAt: at(day, "08:00"),
      endsAt: at(day, "12:00"),
      reason: "消防检查",
    });
    expect(closed.status).toBe(201);
    expect(closed.body.cancelled).toBe(1);
    expect((await db().booking.findUniqueOrThrow({ where: { id: made.body.booking.id } })).status).toBe(
      "CANCELLED",
    );
    expect((await db().booking.findUniqueOrThrow({ where: { id: other.body.booking.id } })).status).toBe(
      "CONFIRMED",
    );
    const note = await db().notification.findFirstOrThrow({
      where: { userId: id.residentA1, kind: "booking.closure" },
    });
    expect(note.body).toContain("消防检查");
    const blocked = await post(
      "/api/v1/bookings",
      "neighbour",
      bookingInput(venue.id, day, "10:00", "11:00"),
    );
    expect(blocked.body.error.code).toBe("SLOT_TAKEN");
    // The closure is taken time in the week view, without its reason.
    const week = await get(`/api/v1/venues/${venue.id}/availability?from=${day}&to=${day}`);
    expect(week.body.days[0].taken).toHaveLength(2);
    expect(JSON.stringify(week.body)).not.toContain("消防检查");
  });
});

describe("attendance, figures and jobs", () => {
  /** A confirmed booking that started an hour ago (written directly: the API refuses the past). */
  async function startedBooking(venueId: string, status: "CONFIRMED" | "REQUESTED" = "CONFIRMED") {
    return db().booking.create({
      data: {
        venueId,
        status,
        channel: "WEB",
        startsAt: new Date(Date.now() - 3600_000),
        endsAt: new Date(Date.now() + 1800_000),
        bookerId: id.residentA1,
        createdById: id.residentA1 ?? "",
        groupName: "老年大学合唱团",
        expectedPersons: 25,
        contactName: "李老师",
        contactPhone: "13912345678",
        purpose: "排练",
        answerBy: status === "REQUESTED" ? new Date(Date.now() - 60_000) : null,
      },
    });
  }

  it("records attendance after the start, completes the booking and counts it in the figures", async () => {
    const venue = await createVenue();
    const future = await post("/api/v1/bookings", "residentA1", bookingInput(venue.id, chinaDay(3)));
    const tooEarly = await post(`/api/v1/bookings/${future.body.booking.id}/attendance`, "workerA1", {
      attended: 5,
    });
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.body.error.fields.attended).toBe("预约开始后才能登记到场人数");
    const started = await startedBooking(venue.id);
    expect(
      (await post(`/api/v1/bookings/${started.id}/attendance`, "residentA1", { attended: 23 })).status,
    ).toBe(403);
    expect(
      (await post(`/api/v1/bookings/${started.id}/attendance`, "workerA1", { attended: -1 })).status,
    ).toBe(400);
    const done = await post(`/api/v1/bookings/${started.id}/attendance`, "workerA1", { attended: 23 });
    expect(done.status).toBe(200);
    expect(done.body.booking).toMatchObject({ status: "COMPLETED", attended: 23 });
    expect(
      await db().outboxEvent.count({ where: { topic: "booking.attendance", aggregateId: started.id } }),
    ).toBe(1);
    await recountBookingDay(started.id);
    const figures = await db().territoryDailyStat.findMany({
      where: { venueBookings: { gt: 0 } },
      select: { territoryId: true, level: true, venueBookings: true, venuePersons: true },
      orderBy: { level: "asc" },
    });
    expect(figures).toEqual([
      { territoryId: fx.district.id, level: "DISTRICT", venueBookings: 1, venuePersons: 23 },
      { territoryId: fx.subdistricts.a.id, level: "SUBDISTRICT", venueBookings: 1, venuePersons: 23 },
      { territoryId: fx.communities.a1.id, level: "COMMUNITY", venueBookings: 1, venuePersons: 23 },
    ]);
    // The same figures in the statistics, the report paragraph and the export.
    const today = chinaDate(new Date());
    const period = `from=${today.slice(0, 4)}-01-01&to=${today}`;
    const stats = await get(`/api/v1/stats?scope=community&id=${fx.communities.a1.id}&${period}`, "workerA1");
    expect(stats.status).toBe(200);
    expect(stats.body.venues).toEqual({ bookings: 1, persons: 23 });
    const report = await get(`/api/v1/stats/report?scope=district&id=${fx.district.id}&${period}`);
    expect(JSON.stringify(report.body)).toContain("先后有1批23名群众到阵地开展活动");
    const exported = await server.request(
      `/api/v1/stats/export?format=csv&scope=community&id=${fx.communities.a1.id}&${period}`,
      { token: token.workerA1 },
    );
    const csv = await exported.text();
    expect(csv).toContain("阵地接待(批),1");
    expect(csv).toContain("阵地到场(人),23");
  });

  it("lapses unanswered requests by job (stale-safe) and by the sweep, telling the booker", async () => {
    const venue = await createVenue({ approval: "STAFF" });
    const made = await post("/api/v1/bookings", "residentA1", bookingInput(venue.id, chinaDay(3)));
    // Staff have the venue's answer time (48 hours here), but never beyond the start.
    const soon = await post("/api/v1/bookings", "residentA1", bookingInput(venue.id, chinaDay(1)));
    expect(soon.body.booking.answerBy).toBe(soon.body.booking.startsAt);
    expect(Date.parse(made.body.booking.answerBy)).toBeLessThan(Date.parse(made.body.booking.startsAt));
    const jobs = await bookingSchedule(made.body.booking.id);
    expect(jobs.map((j) => j.name).sort()).toEqual(["lapseBooking", "remindBooking"]);
    for (const job of jobs) expect(Object.keys(job.data).sort()).toEqual(["at", "bookingId"]);
    const lapse = jobs.find((j) => j.name === "lapseBooking");
    if (!lapse) throw new Error("no lapse job");
    // Not yet due, then confirmed meanwhile: the job does nothing.
    expect(await lapseBooking(made.body.booking.id, lapse.runAt)).toBe(false);
    await post(`/api/v1/bookings/${made.body.booking.id}/confirm`, "workerA1");
    expect(
      await lapseBooking(made.body.booking.id, lapse.runAt, new Date(lapse.runAt.getTime() + 1000)),
    ).toBe(false);
    expect((await db().booking.findUniqueOrThrow({ where: { id: made.body.booking.id } })).status).toBe(
      "CONFIRMED",
    );

    const overdue = await startedBooking(venue.id, "REQUESTED");
    expect((await sweepBookings()).lapsed).toBe(1);
    expect((await db().booking.findUniqueOrThrow({ where: { id: overdue.id } })).status).toBe("LAPSED");
    expect(await db().notification.count({ where: { userId: id.residentA1, kind: "booking.lapsed" } })).toBe(
      1,
    );
    expect((await sweepBookings()).lapsed).toBe(0);
  });

  it("reminds the booker the day before by job (stale-safe) and by the sweep, once", async () => {
    const venue = await createVenue();
    const made = await post("/api/v1/bookings", "residentA1", bookingInput(venue.id, chinaDay(3)));
    const bookingId: string = made.body.booking.id;
    const remind = (await bookingSchedule(bookingId)).find((j) => j.name === "remindBooking");
    if (!remind) throw new Error("no reminder job");
    const startsAt = new Date(made.body.booking.startsAt);
    expect(remind.runAt.getTime()).toBe(startsAt.getTime() - DAY);
    const reminders = () =>
      db().notification.findMany({ where: { userId: id.residentA1, kind: "booking.reminder" } });

    // A job for another start (the booking was moved since) or run after the start does nothing.
    expect(await remindBooking(bookingId, new Date(startsAt.getTime() + 3600_000))).toBe(false);
    expect(await remindBooking(bookingId, startsAt, new Date(startsAt.getTime() + 60_000))).toBe(false);
    expect(await reminders()).toHaveLength(0);
    // Due: the booker is told where and when, once, however often the job and the sweep run.
    expect(await remindBooking(bookingId, startsAt, remind.runAt)).toBe(true);
    expect(await remindBooking(bookingId, startsAt, remind.runAt)).toBe(true);
    await sweepBookings(new Date(remind.runAt.getTime() + 60_000));
    const told = await reminders();
    expect(told).toHaveLength(1);
    expect(told[0]?.body).toContain(venue.address);
    expect(told[0]?.link).toContain(bookingId);

    // The sweep repairs a lost job; a cancelled booking is not reminded.
    const other = await post(
      "/api/v1/bookings",
      "residentA1",
      bookingInput(venue.id, chinaDay(3), "14:00", "15:00"),
    );
    const cancelled = await post(
      "/api/v1/bookings",
      "residentA1",
      bookingInput(venue.id, chinaDay(3), "16:00", "17:00"),
    );
    await post(`/api/v1/bookings/${cancelled.body.booking.id}/cancel`, "residentA1");
    const sweepAt = new Date(new Date(other.body.booking.startsAt).getTime() - DAY + 60_000);
    expect((await sweepBookings(sweepAt)).reminded).toBe(2);
    const links = (await reminders()).map((n) => n.link ?? "");
    expect(links).toHaveLength(2);
    expect(links.some((link) => link.includes(other.body.booking.id))).toBe(true);
    expect(
      await remindBooking(cancelled.body.booking.id, new Date(cancelled.body.booking.startsAt), sweepAt),
    ).toBe(false);
  });
});

describe("privacy", () => {
  it("exports the person's bookings, and deletion cancels the coming ones and erases contacts", async () => {
    const venue = await createVenue();
    const made = await post("/api/v1/bookings", "residentA1", bookingInput(venue.id, chinaDay(3)));
    // A batch that came last month: it stays counted, without its contact.
    const past = await createBookingRow(db(), {
      venueId: venue.id,
      startsAt: new Date(Date.now() - 30 * DAY),
      status: "COMPLETED",
      attended: 18,
      createdById: id.residentA1 ?? "",
    });
    const exported = await server.json("/api/v1/me/export", { token: token.residentA1 });
    expect(exported.status).toBe(200);
    expect(exported.body.bookings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: made.body.booking.id, contactPhone: "13812345678" }),
        expect.objectContaining({ id: past.id, contactPhone: "13987654321", attended: 18 }),
      ]),
    );
    const deleted = await server.request("/api/v1/me", {
      method: "DELETE",
      json: { password: DEFAULT_PASSWORD },
      token: token.residentA1,
    });
    expect(deleted.status).toBeLessThan(300);
    const row = await db().booking.findUniqueOrThrow({ where: { id: made.body.booking.id } });
    expect(row).toMatchObject({ status: "CANCELLED", contactName: "（已注销）", purpose: "（已注销）" });
    expect(row.contactPhone).not.toContain("138");
    const kept = await db().booking.findUniqueOrThrow({ where: { id: past.id } });
    expect(kept).toMatchObject({ status: "COMPLETED", attended: 18, contactName: "（已注销）" });
    expect(kept.contactPhone).not.toContain("987");
    // The freed time can be booked again.
    expect((await post("/api/v1/bookings", "neighbour", bookingInput(venue.id, chinaDay(3)))).status).toBe(
      201,
    );
  });
});
