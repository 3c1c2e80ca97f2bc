import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createProvider } from "../../prisma/factories/marketplace";
import { createBookingRow, createVenueRow } from "../../prisma/factories/venues";
import { keptFixture } from "../setup/kept-fixtures";
import { pagesOf, joinedText as textOf } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";

// The staff's venue pages (阵地, issue 19) as a browser without JavaScript sees them: 新建阵地 and
// 修改阵地 (opening hours as fixed rows, the menu as rows), 阵地管理 with 暂停开放, 代订 and
// 工作台 → 预约审核. Each with good input, bad input that changes nothing, and every role that may not.

let server: TestServer;
let fx: TerritoryFixture;
let venue: Awaited<ReturnType<typeof createVenueRow>>;
let workerB1: Awaited<ReturnType<typeof createUser>>;
let member: Awaited<ReturnType<typeof createUser>>;
let neighbour: Awaited<ReturnType<typeof createResident>>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const { cookieOf, page, submit } = pagesOf(() => server, { html: textOf });

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
/** A China-time day some days from now, as YYYY-MM-DD. */
const chinaDayIn = (days: number) => new Date(Date.now() + days * DAY + 8 * HOUR).toISOString().slice(0, 10);
const at = (day: string, clock: string) => new Date(`${day}T${clock}:00+08:00`);

/** What every test starts from: made once, put back from its rows for every later test. */
const world = keptFixture(async () => {
  fx = await createTerritoryFixture(db());
  workerB1 = await createUser(db(), { roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }] });
  member = await createUser(db(), { name: "陈志刚" });
  await createProvider(db(), {
    communityIds: [fx.communities.a1.id],
    status: "APPROVED",
    members: [{ userId: member.id }],
  });
  neighbour = await createResident(db(), fx.communities.a1.id);
  venue = await createVenueRow(db(), {
    subdistrictId: fx.subdistricts.a.id,
    communityId: fx.communities.a1.id,
    name: "映月社区活动室",
    menu: [
      { title: "重温入党誓词", minutes: 20, maxGroupSize: 30 },
      { title: "参观展馆", minutes: 40 },
    ],
  });
  return { fx, venue, workerB1, member, neighbour };
});
beforeEach(async () => {
  ({ fx, venue, workerB1, member, neighbour } = await world());
});

/** Everyone who may not work venue A1: a stranger is sent to sign in, the rest are refused. */
const outsiders = () => ({
  resident: fx.users.residentA1,
  "provider member": member,
  "worker outside the scope": workerB1,
});

const venueForm = (overrides: Record<string, string> = {}) => ({
  name: "映月社区党员活动室",
  territoryId: fx.communities.a1.id,
  address: "映月路8号二楼",
  capacity: "40",
  description: "可开展主题党日和居民议事。",
  "hours-1-0-opens": "09:00",
  "hours-1-0-closes": "12:00",
  "hours-1-1-opens": "14:00",
  "hours-1-1-closes": "17:30",
  "hours-3-0-opens": "",
  "hours-3-0-closes": "",
  maxLeadDays: "20",
  minLeadHours: "3",
  approval: "AUTO",
  answerHours: "24",
  menuRows: "3",
  "menu-0-title": "重温入党誓词",
  "menu-0-minutes": "20",
  "menu-0-maxGroupSize": "30",
  "menu-1-title": "",
  "menu-1-minutes": "",
  "menu-1-maxGroupSize": "",
  "menu-2-title": "红色教育讲座",
  "menu-2-minutes": "60",
  "menu-2-maxGroupSize": "",
  ...overrides,
});

describe("/venues/new", () => {
  it("lets a community worker open a venue in their community, with hours in rows and a menu", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const form = await page("/venues/new", cookie);
    expect(form.status).toBe(200);
    expect(form.html).toContain(`value="${fx.communities.a1.id}"`);
    expect(form.html).not.toContain(`value="${fx.communities.a2.id}"`);
    expect(form.html).not.toContain("（街道直属）");
    expect(form.html).toContain('name="hours-7-2-closes"');

    const answer = await submit("/venues/new", cookie, venueForm());
    expect(answer.status).toBe(302);
    const created = await db().venue.findFirstOrThrow({
      where: { name: "映月社区党员活动室" },
      include: { openingHours: { orderBy: { opensMinute: "asc" } }, menu: { orderBy: { position: "asc" } } },
    });
    expect(answer.location).toBe(`/venues/${created.id}/manage?done=created`);
    expect(created).toMatchObject({
      communityId: fx.communities.a1.id,
      subdistrictId: fx.subdistricts.a.id,
      capacity: 40,
      approval: "AUTO",
      minLeadMinutes: 180,
      maxLeadDays: 20,
      answerHours: 24,
    });
    expect(created.openingHours.map((r) => [r.weekday, r.opensMinute, r.closesMinute])).toEqual([
      [1, 540, 720],
      [1, 840, 1050],
    ]);
    // The blank row in the middle is ignored.
    expect(created.menu.map((m) => [m.title, m.minutes, m.maxGroupSize])).toEqual([
      ["重温入党誓词", 20, 30],
      ["红色教育讲座", 60, null],
    ]);
    const audit = await db().auditLog.findFirst({ where: { action: "venue.create", targetId: created.id } });
    expect(audit?.actorId).toBe(fx.users.workerA1.id);

    const managed = await page(answer.location ?? "", cookie);
    expect(managed.html).toContain("阵地已新建。");
  });

  it("offers a subdistrict admin the subdistrict's own venue and its communities", async () => {
    const { html } = await page("/venues/new", await cookieOf(fx.users.subdistrictAdminA));
    expect(html).toContain(`value="${fx.subdistricts.a.id}"`);
    expect(html).toContain("（街道直属）");
    expect(html).toContain(`value="${fx.communities.a2.id}"`);
    expect(html).not.toContain(`value="${fx.communities.b1.id}"`);
  });

  it("answers bad input with Chinese errors on the rows they belong to, and saves nothing", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const before = await db().venue.count();
    const answer = await submit(
      "/venues/new",
      cookie,
      venueForm({
        capacity: "四十",
        "hours-1-1-closes": "13:00",
        "hours-3-0-opens": "08:00",
        "menu-2-minutes": "",
        minLeadHours: "-1",
        "menu-0-maxGroupSize": "300",
      }),
    );
    expect(answer.status).toBe(400);
    expect(answer.html).toContain('href="#capacity"');
    expect(answer.html).toContain("关门时间应晚于开门时间");
    expect(answer.html).toContain('id="hours-1-1-closes-error"');
    expect(answer.html).toContain('id="hours-3-0-closes-error"');
    expect(answer.html).toContain('id="menu-2-minutes-error"');
    expect(answer.html).toContain('id="minLeadHours-error"');
    // What was typed stays in the form.
    expect(answer.html).toContain('value="红色教育讲座"');
    expect(await db().venue.count()).toBe(before);
  });

  it("adds a menu row on 再加一行 and keeps what was typed, saving nothing", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const answer = await submit("/venues/new", cookie, venueForm({ intent: "more-menu" }));
    expect(answer.status).toBe(200);
    expect(answer.html).toContain('name="menu-3-title"');
    expect(answer.html).toContain('value="映月社区党员活动室"');
    expect(await db().venue.count({ where: { name: "映月社区党员活动室" } })).toBe(0);
  });

  it("is refused to everyone outside the place's staff", async () => {
    expect((await page("/venues/new")).location).toMatch(/^\/login/);
    expect((await submit("/venues/new", "", venueForm())).location).toMatch(/^\/login/);
    for (const [who, user] of Object.entries(outsiders())) {
      const cookie = await cookieOf(user);
      const expected = user === workerB1 ? 200 : 403;
      expect((await page("/venues/new", cookie)).status, who).toBe(expected);
      expect((await submit("/venues/new", cookie, venueForm())).status, who).toBe(403);
    }
    expect(await db().venue.count({ where: { name: "映月社区党员活动室" } })).toBe(0);
  });
});

describe("/venues/:id/edit", () => {
  const editForm = (overrides: Record<string, string> = {}) => {
    const { territoryId: _, ...form } = venueForm({
      "menu-0-title": "重温入党誓词",
      "menu-0-minutes": "25",
      "menu-0-maxGroupSize": "30",
      "menu-1-title": "参观展馆",
      "menu-1-minutes": "40",
      "menu-1-remove": "on",
      "menu-2-title": "",
      "menu-2-minutes": "",
      ...overrides,
    });
    return form;
  };

  it("shows the venue's values and saves the changes, keeping the ids of items kept", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const form = await page(`/venues/${venue.id}/edit`, cookie);
    expect(form.status).toBe(200);
    expect(form.html).toContain('value="映月社区活动室"');
    expect(form.html).toMatch(/name="hours-7-0-opens"[^>]*value="08:00"/);
    expect(form.html).toContain('value="参观展馆"');

    const kept = venue.menu.find((item) => item.title === "重温入党誓词");
    const answer = await submit(`/venues/${venue.id}/edit`, cookie, editForm());
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`/venues/${venue.id}/manage?done=saved`);
    const saved = await db().venue.findUniqueOrThrow({
      where: { id: venue.id },
      include: { openingHours: true, menu: true },
    });
    expect(saved.name).toBe("映月社区党员活动室");
    expect(saved.openingHours).toHaveLength(2);
    expect(saved.menu.map((m) => [m.id, m.title, m.minutes])).toEqual([[kept?.id, "重温入党誓词", 25]]);
    expect(await db().auditLog.count({ where: { action: "venue.update", targetId: venue.id } })).toBe(1);
  });

  it("refuses a capacity below a menu item's largest group on that row, and changes nothing", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const answer = await submit(`/venues/${venue.id}/edit`, cookie, editForm({ capacity: "10" }));
    expect(answer.status).toBe(400);
    expect(answer.html).toContain('id="menu-0-maxGroupSize-error"');
    expect(answer.html).toContain("最多人数不能超过阵地容纳人数10");
    const unchanged = await db().venue.findUniqueOrThrow({
      where: { id: venue.id },
      include: { menu: true },
    });
    expect(unchanged).toMatchObject({ name: "映月社区活动室", capacity: 60, version: venue.version });
    expect(unchanged.menu).toHaveLength(2);
  });

  it("is refused to everyone outside the venue's staff, and 404 for ids that name nothing", async () => {
    expect((await page(`/venues/${venue.id}/edit`)).location).toMatch(/^\/login/);
    for (const [who, user] of Object.entries(outsiders())) {
      const cookie = await cookieOf(user);
      expect((await page(`/venues/${venue.id}/edit`, cookie)).status, who).toBe(403);
      expect((await submit(`/venues/${venue.id}/edit`, cookie, editForm())).status, who).toBe(403);
    }
    expect((await db().venue.findUniqueOrThrow({ where: { id: venue.id } })).name).toBe("映月社区活动室");
    const cookie = await cookieOf(fx.users.workerA1);
    expect((await page("/venues/nope/edit", cookie)).status).toBe(404);
  });
});

describe("/venues/:id/manage: 暂停开放", () => {
  const tomorrow = chinaDayIn(1);
  const closeForm = (overrides: Record<string, string> = {}) => ({
    intent: "close",
    startsAt: `${tomorrow}T08:00`,
    endsAt: `${tomorrow}T12:00`,
    reason: "消防检查",
    ...overrides,
  });

  it("closes the venue, cancels the bookings it overlaps and tells their holders", async () => {
    const held = await createBookingRow(db(), {
      venueId: venue.id,
      status: "CONFIRMED",
      startsAt: at(tomorrow, "10:00"),
      createdById: neighbour.id,
    });
    const later = await createBookingRow(db(), {
      venueId: venue.id,
      startsAt: at(tomorrow, "14:00"),
      createdById: neighbour.id,
      groupName: "下午的读书会",
    });
    const cookie = await cookieOf(fx.users.workerA1);
    const view = await page(`/venues/${venue.id}/manage`, cookie);
    expect(view.status).toBe(200);
    expect(view.html).toContain("映月科技公司党支部");
    expect(view.html).toContain("13987654321");

    const answer = await submit(`/venues/${venue.id}/manage`, cookie, closeForm());
    // POST-redirect-GET: the page it leads to says what was done, and a reload repeats nothing.
    expect(answer.status).toBe(302);
    const closure = await db().booking.findFirstOrThrow({ where: { kind: "CLOSURE" } });
    expect(answer.location).toBe(`/venues/${venue.id}/manage?done=closed&closure=${closure.id}&cancelled=1`);
    const after = await page(answer.location ?? "", cookie);
    expect(after.html).toContain("已暂停开放：");
    expect(after.html).toContain("取消了 1 条预约，已通知预约人");
    await page(answer.location ?? "", cookie);
    expect(await db().booking.count({ where: { kind: "CLOSURE" } })).toBe(1);
    expect((await db().booking.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("CANCELLED");
    expect((await db().booking.findUniqueOrThrow({ where: { id: later.id } })).status).toBe("REQUESTED");
    const told = await db().notification.findFirst({
      where: { userId: neighbour.id, kind: "booking.closure" },
    });
    expect(told?.body).toContain("消防检查");
    expect((await page(`/venues/${venue.id}/manage`, cookie)).html).toContain("：消防检查");
  });

  it("answers bad input beside the fields and closes nothing", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const answer = await submit(
      `/venues/${venue.id}/manage`,
      cookie,
      closeForm({ endsAt: `${tomorrow}T07:00`, reason: "" }),
    );
    expect(answer.status).toBe(400);
    expect(answer.html).toContain("结束时间应晚于开始时间");
    expect(answer.html).toContain('id="reason-error"');
    const garbage = await submit(`/venues/${venue.id}/manage`, cookie, closeForm({ startsAt: "明天" }));
    expect(garbage.status).toBe(400);
    expect(await db().booking.count({ where: { kind: "CLOSURE" } })).toBe(0);
  });

  it("is refused to everyone outside the venue's staff", async () => {
    expect((await page(`/venues/${venue.id}/manage`)).location).toMatch(/^\/login/);
    for (const [who, user] of Object.entries(outsiders())) {
      const cookie = await cookieOf(user);
      expect((await page(`/venues/${venue.id}/manage`, cookie)).status, who).toBe(403);
      expect((await submit(`/venues/${venue.id}/manage`, cookie, closeForm())).status, who).toBe(403);
    }
    expect(await db().booking.count({ where: { kind: "CLOSURE" } })).toBe(0);
  });

  it("is linked from the venue's public page for its staff only", async () => {
    const link = `href="/venues/${venue.id}/manage"`;
    expect((await page(`/venues/${venue.id}`, await cookieOf(fx.users.workerA1))).html).toContain(link);
    expect((await page(`/venues/${venue.id}`, await cookieOf(workerB1))).html).not.toContain(link);
    expect((await page(`/venues/${venue.id}`, await cookieOf(fx.users.residentA1))).html).not.toContain(link);
    expect((await page(`/venues/${venue.id}`)).html).not.toContain(link);
  });
});

describe("/venues/:id/manage: 取消 one booking", () => {
  const day = chinaDayIn(2);
  const cancelForm = (bookingId: string, reason = "场地临时维修") => ({
    intent: "cancel",
    bookingId,
    reason,
  });
  let web: { id: string };
  let paper: { id: string };

  beforeEach(async () => {
    web = await createBookingRow(db(), {
      venueId: venue.id,
      status: "CONFIRMED",
      startsAt: at(day, "09:00"),
      createdById: neighbour.id,
      groupName: "映月读书会",
    });
    paper = await createBookingRow(db(), {
      venueId: venue.id,
      status: "CONFIRMED",
      channel: "PAPER",
      startsAt: at(day, "14:00"),
      createdById: fx.users.workerA1.id,
      bookerId: null,
      groupName: "老干部党支部",
    });
  });

  const snapshot = () =>
    db().booking.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, version: true } });

  it("lets staff in scope cancel one booking with a reason: the holder is told, and it is audited", async () => {
    for (const staff of [fx.users.workerA1, fx.users.subdistrictAdminA, fx.users.districtAdmin]) {
      const cookie = await cookieOf(staff);
      const view = await page(`/venues/${venue.id}/manage`, cookie);
      expect(view.html, staff.id).toContain(`id="${web.id}-reason"`);
    }
    const cookie = await cookieOf(fx.users.subdistrictAdminA);
    const answer = await submit(`/venues/${venue.id}/manage`, cookie, cancelForm(web.id));
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`/venues/${venue.id}/manage?done=cancelled&booking=${web.id}`);
    const after = await page(answer.location ?? "", cookie);
    expect(after.html).toContain("已取消“映月读书会”");
    expect(after.html).toContain("已通知预约人");
    expect(after.html).not.toContain(`id="${web.id}-reason"`);
    expect(await db().booking.findUniqueOrThrow({ where: { id: web.id } })).toMatchObject({
      status: "CANCELLED",
      reason: "场地临时维修",
    });
    const told = await db().notification.findFirstOrThrow({
      where: { userId: neighbour.id, kind: "booking.cancelled" },
    });
    expect(told.body).toContain("原因：场地临时维修");
    expect(
      await db().auditLog.findFirstOrThrow({ where: { action: "booking.cancel", targetId: web.id } }),
    ).toMatchObject({ actorId: fx.users.subdistrictAdminA.id, data: { by: "staff" } });
    // The other booking is untouched, and a reload of the page cancels nothing more.
    await page(answer.location ?? "", cookie);
    expect((await db().booking.findUniqueOrThrow({ where: { id: paper.id } })).status).toBe("CONFIRMED");
    expect(await db().auditLog.count({ where: { action: "booking.cancel" } })).toBe(1);
  });

  it("tells the worker to phone the contact of a 代订, which has no account to notify", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const answer = await submit(`/venues/${venue.id}/manage`, cookie, cancelForm(paper.id));
    expect(answer.status).toBe(302);
    const after = await page(answer.location ?? "", cookie);
    expect(after.html).toContain("请电话告知联系人欧阳明");
    expect((await db().booking.findUniqueOrThrow({ where: { id: paper.id } })).status).toBe("CANCELLED");
  });

  it("needs a reason, refuses time already begun, and changes nothing then", async () => {
    const begun = await createBookingRow(db(), {
      venueId: venue.id,
      status: "CONFIRMED",
      startsAt: new Date(Date.now() - HOUR),
      createdById: neighbour.id,
    });
    const before = await snapshot();
    const cookie = await cookieOf(fx.users.workerA1);
    const bare = await submit(`/venues/${venue.id}/manage`, cookie, cancelForm(web.id, " "));
    expect(bare.status).toBe(400);
    expect(bare.html).toContain(`id="${web.id}-reason-error"`);
    expect(bare.html).toContain("请填写取消原因，预约人会看到");
    const started = await submit(`/venues/${venue.id}/manage`, cookie, cancelForm(begun.id));
    expect(started.status).toBe(409);
    expect(started.html).toContain("预约已开始，不能取消");
    for (const form of [cancelForm(""), cancelForm("nope"), { intent: "cancel" }]) {
      const answer = await submit(`/venues/${venue.id}/manage`, cookie, form);
      expect(answer.status, JSON.stringify(form)).toBeGreaterThanOrEqual(400);
      expect(answer.status, JSON.stringify(form)).toBeLessThan(500);
    }
    expect(await snapshot()).toEqual(before);
    expect(await db().notification.count({ where: { kind: "booking.cancelled" } })).toBe(0);
  });

  it("is refused to a stranger, the residents (the holder included) and staff of another scope", async () => {
    const before = await snapshot();
    const stranger = await submit(`/venues/${venue.id}/manage`, "", cancelForm(web.id));
    expect(stranger.status).toBe(302);
    expect(stranger.location).toMatch(/^\/login/);
    // The holder cancels her own on 我的预约; this page is the staff's.
    for (const [who, user] of Object.entries({ ...outsiders(), holder: neighbour })) {
      const answer = await submit(`/venues/${venue.id}/manage`, await cookieOf(user), cancelForm(web.id));
      expect(answer.status, who).toBe(403);
    }
    // Nor through another venue's page: the domain asks about the booking's own venue.
    const elsewhere = await createVenueRow(db(), {
      subdistrictId: fx.subdistricts.b.id,
      communityId: fx.communities.b1.id,
    });
    const viaTheirs = await submit(
      `/venues/${elsewhere.id}/manage`,
      await cookieOf(workerB1),
      cancelForm(web.id),
    );
    expect(viaTheirs.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});

describe("/venues/:id/on-behalf: 代订", () => {
  const oath = () => venue.menu.find((item) => item.title === "重温入党誓词");
  const day = chinaDayIn(3);
  const bookingForm = (overrides: Record<string, string> = {}) => ({
    channel: "PAPER",
    date: day,
    startTime: "09:00",
    endTime: "10:30",
    groupName: "映月街道老干部党支部",
    expectedPersons: "25",
    contactName: "王建华",
    contactPhone: "139 1234 5678",
    purpose: "重温入党誓词",
    [`menuItem_${oath()?.id}`]: "on",
    ...overrides,
  });

  it("enters a paper-form booking for a group without an account, confirmed at once", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const form = await page(`/venues/${venue.id}/on-behalf`, cookie);
    expect(form.status).toBe(200);
    expect(form.html).toContain("纸质登记");
    const answer = await submit(`/venues/${venue.id}/on-behalf`, cookie, bookingForm());
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`/venues/${venue.id}/manage?done=booked`);
    const booking = await db().booking.findFirstOrThrow({ where: { venueId: venue.id } });
    expect(booking).toMatchObject({
      channel: "PAPER",
      status: "CONFIRMED",
      bookerId: null,
      createdById: fx.users.workerA1.id,
      contactPhone: "13912345678",
      menuItemIds: [oath()?.id],
    });
  });

  it("answers bad input beside the fields and books nothing", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const answer = await submit(
      `/venues/${venue.id}/on-behalf`,
      cookie,
      bookingForm({ expectedPersons: "35", contactPhone: "12345", endTime: "08:00" }),
    );
    expect(answer.status).toBe(400);
    expect(answer.html).toContain('id="contactPhone-error"');
    expect(answer.html).toContain('id="endTime-error"');
    const tooMany = await submit(
      `/venues/${venue.id}/on-behalf`,
      cookie,
      bookingForm({ expectedPersons: "35" }),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.html).toContain("“重温入党誓词”每批最多30人");
    const web = await submit(`/venues/${venue.id}/on-behalf`, cookie, bookingForm({ channel: "WEB" }));
    expect(web.status).toBe(400);
    expect(web.html).toContain("请选择电话代订或纸质登记");
    expect(await db().booking.count()).toBe(0);
  });

  it("lets no resident, provider member or outside worker claim the phone and paper channels", async () => {
    expect((await page(`/venues/${venue.id}/on-behalf`)).location).toMatch(/^\/login/);
    for (const [who, user] of Object.entries(outsiders())) {
      const cookie = await cookieOf(user);
      expect((await page(`/venues/${venue.id}/on-behalf`, cookie)).status, who).toBe(403);
      for (const channel of ["PHONE", "PAPER"]) {
        const answer = await submit(`/venues/${venue.id}/on-behalf`, cookie, bookingForm({ channel }));
        expect(answer.status, `${who} ${channel}`).toBe(403);
      }
    }
    expect(await db().booking.count()).toBe(0);
  });
});

describe("/workbench/bookings: 预约审核", () => {
  const day = chinaDayIn(2);
  let first: { id: string };
  let second: { id: string };

  beforeEach(async () => {
    // Submitted in the opposite order of their times: the queue goes by when they were asked.
    second = await createBookingRow(db(), {
      venueId: venue.id,
      startsAt: at(day, "09:00"),
      createdById: neighbour.id,
      groupName: "后提交的读书会",
      createdAt: new Date(Date.now() - HOUR),
    });
    first = await createBookingRow(db(), {
      venueId: venue.id,
      startsAt: at(day, "14:00"),
      createdById: neighbour.id,
      groupName: "先提交的党支部",
      createdAt: new Date(Date.now() - 5 * HOUR),
    });
  });

  it("says when the queue lists only its oldest 50 requests", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    expect(textOf((await page("/workbench/bookings", cookie)).html)).not.toContain("先列出最早的");
    // 49 more 90-minute requests, two hours apart over the following days (never overlapping).
    for (let n = 0; n < 49; n += 1) {
      await createBookingRow(db(), {
        venueId: venue.id,
        startsAt: at(chinaDayIn(3 + Math.floor(n / 7)), `${String(8 + 2 * (n % 7)).padStart(2, "0")}:00`),
        createdById: neighbour.id,
        groupName: `第${n + 3}个团体`,
      });
    }
    const { html } = await page("/workbench/bookings", cookie);
    expect(html).toContain("待审核（51）");
    expect(textOf(html)).toContain("先列出最早的50条，处理后会列出其余的1条。");
    expect(html).toContain("先提交的党支部");
  });

  it("lists the requests in scope oldest first, and confirms and declines them", async () => {
    const elsewhere = await createVenueRow(db(), {
      subdistrictId: fx.subdistricts.b.id,
      communityId: fx.communities.b1.id,
    });
    await createBookingRow(db(), {
      venueId: elsewhere.id,
      startsAt: at(day, "09:00"),
      createdById: neighbour.id,
      groupName: "别的社区的团体",
    });
    const cookie = await cookieOf(fx.users.workerA1);
    const queue = await page("/workbench/bookings", cookie);
    expect(queue.status).toBe(200);
    expect(queue.html).toContain("待审核（2）");
    expect(queue.html.indexOf("先提交的党支部")).toBeLessThan(queue.html.indexOf("后提交的读书会"));
    expect(queue.html).not.toContain("别的社区的团体");
    expect(queue.html).toContain("13987654321");

    const confirmed = await submit("/workbench/bookings", cookie, { intent: "confirm", bookingId: first.id });
    expect(confirmed.status).toBe(302);
    expect(confirmed.location).toBe(`/workbench/bookings?done=confirmed&booking=${first.id}`);
    expect((await page(confirmed.location ?? "", cookie)).html).toContain("已确认“先提交的党支部”");
    expect((await db().booking.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("CONFIRMED");
    expect(
      await db().notification.count({ where: { userId: neighbour.id, kind: "booking.confirmed" } }),
    ).toBe(1);

    const declined = await submit("/workbench/bookings", cookie, {
      intent: "decline",
      bookingId: second.id,
      reason: "当天另有安排",
    });
    expect(declined.status).toBe(302);
    expect((await page(declined.location ?? "", cookie)).html).toContain("已不通过“后提交的读书会”");
    expect(await db().booking.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      status: "DECLINED",
      reason: "当天另有安排",
    });
    expect((await page("/workbench/bookings", cookie)).html).toContain("没有待审核的预约");
  });

  it("needs a reason to decline, and changes nothing on bad input", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const answer = await submit("/workbench/bookings", cookie, {
      intent: "decline",
      bookingId: second.id,
      reason: " ",
    });
    expect(answer.status).toBe(400);
    expect(answer.html).toContain(`id="${second.id}-reason-error"`);
    expect(answer.html).toContain("请填写不通过的原因");
    const garbage: Record<string, string>[] = [
      { intent: "confirm", bookingId: "" },
      { intent: "confirm" },
      { intent: "attendance", bookingId: first.id, attended: "十" },
      { intent: "nonsense", bookingId: first.id },
    ];
    for (const form of garbage) {
      expect((await submit("/workbench/bookings", cookie, form)).status, JSON.stringify(form)).toBe(400);
    }
    expect(
      (await submit("/workbench/bookings", cookie, { intent: "confirm", bookingId: "nope" })).status,
    ).toBe(404);
    const rows = await db().booking.findMany({ where: { id: { in: [first.id, second.id] } } });
    expect(rows.map((row) => row.status)).toEqual(["REQUESTED", "REQUESTED"]);
  });

  it("records 到场人数 after the start, which completes the booking", async () => {
    const begun = await createBookingRow(db(), {
      venueId: venue.id,
      status: "CONFIRMED",
      startsAt: new Date(Date.now() - 2 * HOUR),
      createdById: neighbour.id,
      groupName: "已经开始的主题党日",
    });
    const cookie = await cookieOf(fx.users.workerA1);
    const queue = await page("/workbench/bookings", cookie);
    expect(queue.html).toContain("待登记到场人数（1）");
    expect(queue.html).toContain("已经开始的主题党日");
    const bad = await submit("/workbench/bookings", cookie, {
      intent: "attendance",
      bookingId: begun.id,
      attended: "-3",
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain(`id="${begun.id}-attended-error"`);
    // A booking still to come cannot be counted.
    const early = await submit("/workbench/bookings", cookie, {
      intent: "attendance",
      bookingId: first.id,
      attended: "18",
    });
    expect(early.status).toBe(400);
    expect((await db().booking.findUniqueOrThrow({ where: { id: begun.id } })).status).toBe("CONFIRMED");

    const done = await submit("/workbench/bookings", cookie, {
      intent: "attendance",
      bookingId: begun.id,
      attended: "18",
    });
    expect(done.status).toBe(302);
    expect((await page(done.location ?? "", cookie)).html).toContain("到场 18 人，预约已完成");
    expect(await db().booking.findUniqueOrThrow({ where: { id: begun.id } })).toMatchObject({
      status: "COMPLETED",
      attended: 18,
    });
    expect((await page("/workbench/bookings", cookie)).html).toContain("待登记到场人数（0）");
  });

  it("is in the workbench menu, and refused to everyone outside the venue's staff", async () => {
    expect((await page("/workbench", await cookieOf(fx.users.workerA1))).html).toContain(
      'href="/workbench/bookings"',
    );
    expect((await page("/workbench/bookings")).location).toMatch(/^\/login/);
    for (const who of ["resident", "provider member"] as const) {
      const cookie = await cookieOf(outsiders()[who]);
      expect((await page("/workbench/bookings", cookie)).status, who).toBe(403);
      expect(
        (await submit("/workbench/bookings", cookie, { intent: "confirm", bookingId: first.id })).status,
      ).toBe(403);
    }
    const outside = await cookieOf(workerB1);
    const theirs = await page("/workbench/bookings", outside);
    expect(theirs.status).toBe(200);
    expect(theirs.html).not.toContain("先提交的党支部");
    const theirs403: Record<string, string>[] = [
      { intent: "confirm", bookingId: first.id },
      { intent: "decline", bookingId: first.id, reason: "不是我的辖区" },
    ];
    for (const form of theirs403) {
      expect((await submit("/workbench/bookings", outside, form)).status).toBe(403);
    }
    expect((await db().booking.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("REQUESTED");
  });
});
