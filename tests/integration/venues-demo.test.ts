import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { seedVenues } from "../../prisma/demo-venues";
import {
  createCommunity,
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";

// The venues' demo data (issue 19, ADR 0027), on a small territory: each subdistrict with an admin
// gets its 党群服务中心 rooms, the first subdistrict's third community an 开放式组织生活基地 with its
// menu, and a year of bookings from all four channels that the statistics and the report can count.

let fx: TerritoryFixture;
const NOW = new Date("2026-12-07T04:00:00Z");

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  for (const subdistrict of [fx.subdistricts.a, fx.subdistricts.b]) {
    // A third community in each, so whichever subdistrict comes first has the base's community.
    const third = await createCommunity(db(), { subdistrictId: subdistrict.id, kind: "URBAN" });
    await createResident(db(), third.id);
  }
  await createUser(db(), { roles: [{ role: "SUBDISTRICT_ADMIN", scopeId: fx.subdistricts.b.id }] });
});

describe("the venues' demo data", () => {
  it("opens rooms and a base, with a year of bookings from every channel and a few to come", async () => {
    const made = await seedVenues(db(), NOW);
    const venues = await db().venue.findMany({ include: { menu: { orderBy: { position: "asc" } } } });
    expect(made.venues).toBe(venues.length);
    for (const subdistrict of [fx.subdistricts.a, fx.subdistricts.b]) {
      const rooms = venues.filter((v) => v.subdistrictId === subdistrict.id && v.communityId === null);
      expect(rooms.length).toBeGreaterThanOrEqual(2);
      expect(rooms.length).toBeLessThanOrEqual(3);
      for (const room of rooms) expect(room.name).toContain("党群服务中心");
    }
    const bases = venues.filter((v) => v.menu.length > 0);
    expect(bases).toHaveLength(1);
    expect(bases[0]?.menu.map((item) => item.title)).toEqual(["参观展馆", "重温入党誓词", "红色教育讲座"]);

    const bookings = await db().booking.findMany();
    expect(new Set(bookings.map((b) => b.channel))).toEqual(
      new Set(["WEB", "MINI_PROGRAM", "PHONE", "PAPER"]),
    );
    // 代订 have no booker account; web and mini-program ones do.
    for (const b of bookings)
      expect(b.bookerId === null, `${b.channel}`).toBe(b.channel === "PHONE" || b.channel === "PAPER");
    const past = bookings.filter((b) => b.startsAt < NOW);
    const coming = bookings.filter((b) => b.startsAt >= NOW);
    expect([made.past, made.coming]).toEqual([past.length, coming.length]);
    const completed = past.filter((b) => b.status === "COMPLETED");
    expect(completed.length).toBeGreaterThan(past.length / 2);
    for (const b of completed) expect(b.attended).toBeGreaterThan(0);
    expect(past.some((b) => b.status === "DECLINED" || b.status === "CANCELLED")).toBe(true);
    expect(past.every((b) => b.status !== "REQUESTED" && b.status !== "CONFIRMED")).toBe(true);
    expect(coming.length).toBeGreaterThan(0);
    for (const b of coming) expect(["REQUESTED", "CONFIRMED"]).toContain(b.status);
  });
});
