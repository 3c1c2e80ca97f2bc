import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { venueWeek } from "~/domain/venues/venue-week.server";
import { chinaDate } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { pagesOf, joinedText as textOf, visibleText as visible } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";

// The public venue pages (阵地, issue 19) as a browser without JavaScript sees them: the list by
// subdistrict, a venue with its menu and a week of free and taken time, and never who booked.

let server: TestServer;
let fx: TerritoryFixture;
let venueId: string;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const { page } = pagesOf(() => server, { html: textOf });
const tomorrow = () => chinaDate(new Date(Date.now() + 24 * 3600 * 1000));

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  const venue = await db().venue.create({
    data: {
      name: "红色记忆馆",
      subdistrictId: fx.subdistricts.a.id,
      communityId: fx.communities.a1.id,
      address: "映月路12号",
      capacity: 60,
      description: "开放式组织生活基地",
      openingHours: {
        create: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensMinute: 540, closesMinute: 1020 })),
      },
      menu: { create: [{ position: 0, title: "重温入党誓词", minutes: 20, maxGroupSize: 30 }] },
    },
  });
  venueId = venue.id;
  await db().booking.create({
    data: {
      venueId,
      status: "CONFIRMED",
      channel: "WEB",
      startsAt: new Date(`${tomorrow()}T10:00:00+08:00`),
      endsAt: new Date(`${tomorrow()}T11:30:00+08:00`),
      bookerId: fx.users.residentA1.id,
      createdById: fx.users.residentA1.id,
      groupName: "保密科技公司党支部",
      expectedPersons: 20,
      contactName: "欧阳保密",
      contactPhone: "13987654321",
      purpose: "不公开的主题党日",
    },
  });
});

const BOOKER_DATA = ["保密科技公司党支部", "欧阳保密", "13987654321", "不公开的主题党日"];

describe("/venues", () => {
  it("lists the venues under their subdistrict", async () => {
    const { status, html } = await page("/venues");
    expect(status).toBe(200);
    expect(html).toContain(fx.subdistricts.a.name);
    expect(html).toContain("红色记忆馆");
    expect(html).toContain(`href="/venues/${venueId}"`);
    for (const text of BOOKER_DATA) expect(html).not.toContain(text);
  });

  it("is in the main menu", async () => {
    const { html } = await page("/");
    expect(html).toContain('href="/venues"');
  });
});

describe("/venues/:id", () => {
  it("shows the menu and the week's free and taken time without the booker", async () => {
    const { status, html } = await page(`/venues/${venueId}`);
    expect(status).toBe(200);
    expect(html).toContain("重温入党誓词");
    expect(html).toContain(tomorrow());
    expect(visible(html)).toContain("空闲：09:00–10:00、11:30–17:00");
    expect(visible(html)).toContain("已被预约：10:00–11:30");
    for (const text of BOOKER_DATA) expect(html).not.toContain(text);
  });

  it("takes another week, and ignores a ?from= that is not a date", async () => {
    const later = await page(`/venues/${venueId}?from=2030-01-07`);
    expect(later.status).toBe(200);
    expect(later.html).toContain("2030-01-13");
    expect((await page(`/venues/${venueId}?from=garbage`)).status).toBe(200);
  });

  it("shows no free time that has gone or is too soon to book, and says a day has passed", async () => {
    // 09:00–17:00 every day, at least two hours' notice; it is 11:05 on the first day.
    await db().venue.update({ where: { id: venueId }, data: { minLeadMinutes: 120 } });
    const day = "2030-01-07";
    const week = await venueWeek(venueId, new Date(`${day}T00:00:00Z`), new Date(`${day}T11:05:00+08:00`));
    expect(week.days[0]).toMatchObject({ relative: "今天", past: false, free: ["13:10–17:00"] });
    expect(week.days[1]).toMatchObject({ relative: "明天", free: ["09:00–17:00"] });
    const evening = await venueWeek(venueId, new Date(`${day}T00:00:00Z`), new Date(`${day}T15:30:00+08:00`));
    expect(evening.days[0]).toMatchObject({ past: true, free: [] });
    expect(evening.days[1]).toMatchObject({ past: false, free: ["09:00–17:00"] });
  });

  it("answers 404, not 500, for ids that name nothing", async () => {
    for (const id of ["nope", "cm0000000000000000000000", "%00", "%F0%9F%98%80", "a".repeat(300)]) {
      expect((await page(`/venues/${id}`)).status, id).toBe(404);
    }
  });
});
