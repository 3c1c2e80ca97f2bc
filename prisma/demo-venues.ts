import type { BookingChannel, BookingStatus, Prisma, PrismaClient } from "@prisma/client";
import { chinaClock } from "~/domain/venues/venues.schema";
import { CHINA_OFFSET_MS, chinaDay, chinaMidnight, DAY_MS } from "~/lib/china-time";
import { prng } from "./demo-marketplace";

// The demo venues (阵地, issue 19): each subdistrict's 党群服务中心 with two or three rooms, two
// 开放式组织生活基地 with their menus, a year of past bookings (most completed with attendance, some
// declined or cancelled) from every channel, and a few coming ones. Each venue books whole slots
// that never overlap, so the exclusion constraint holds without asking it; every row goes in with
// one createMany.

const HOUR_MIN = 60;
type Slot = { starts: number; ends: number };

const ROOMS = [
  {
    name: "多功能厅",
    capacity: 120,
    description: "可容纳百人的报告厅，配投影和音响，适合党课、讲座和居民议事会。",
  },
  { name: "党员活动室", capacity: 40, description: "圆桌会议布置，适合支部主题党日、三会一课。" },
  { name: "书画室", capacity: 25, description: "长桌和书画用具，适合老年兴趣小组和少儿课堂。" },
];
/** Monday to Saturday 08:30–21:00, in China time. */
const ROOM_HOURS = [1, 2, 3, 4, 5, 6].map((weekday) => ({
  weekday,
  opensMinute: 8 * HOUR_MIN + 30,
  closesMinute: 21 * HOUR_MIN,
}));
const ROOM_SLOTS: Slot[] = [
  { starts: 9 * HOUR_MIN, ends: 11 * HOUR_MIN },
  { starts: 14 * HOUR_MIN, ends: 16 * HOUR_MIN },
  { starts: 19 * HOUR_MIN, ends: 20 * HOUR_MIN + 30 },
];

const BASES = [
  {
    subdistrictIndex: 0,
    communityIndex: 2,
    name: "湖滨红色记忆馆",
    capacity: 60,
    description: "开放式组织生活基地：展出本地革命历史和社区变迁的照片与实物，讲解员可预约。",
  },
  {
    subdistrictIndex: 4,
    communityIndex: 3,
    name: "书院初心教育基地",
    capacity: 50,
    description: "开放式组织生活基地：老书院改建的党性教育阵地，有宣誓墙和红色图书角。",
  },
];
const BASE_MENU = [
  { title: "参观展馆", minutes: 60, maxGroupSize: 40 },
  { title: "重温入党誓词", minutes: 20, maxGroupSize: null },
  { title: "红色教育讲座", minutes: 90, maxGroupSize: 50 },
];
/** Tuesday to Sunday 09:00–17:00. */
const BASE_HOURS = [2, 3, 4, 5, 6, 7].map((weekday) => ({
  weekday,
  opensMinute: 9 * HOUR_MIN,
  closesMinute: 17 * HOUR_MIN,
}));
const BASE_SLOTS: Slot[] = [
  { starts: 9 * HOUR_MIN + 30, ends: 11 * HOUR_MIN + 30 },
  { starts: 14 * HOUR_MIN, ends: 16 * HOUR_MIN },
];

const GROUPS = [
  { name: "{c}第一党支部", purpose: "支部主题党日" },
  { name: "{c}退休党员支部", purpose: "三会一课" },
  { name: "{c}夕阳红合唱队", purpose: "合唱排练" },
  { name: "{c}书画兴趣小组", purpose: "书法交流" },
  { name: "{c}居民议事会", purpose: "小区加装电梯议事" },
  { name: "{c}青年志愿者队", purpose: "志愿服务培训" },
  { name: "明湖区实验小学少先队", purpose: "红领巾寻访" },
  { name: "明湖区税务局机关党支部", purpose: "党性教育" },
];
const CONTACTS = ["周老师", "吴书记", "郑队长", "孙老师", "何主任", "林阿姨"];
const CHANNELS: BookingChannel[] = ["WEB", "WEB", "MINI_PROGRAM", "MINI_PROGRAM", "PHONE", "PAPER"];

type VenuePlan = {
  id: string;
  subdistrictId: string;
  communityNames: string[];
  capacity: number;
  slots: Slot[];
  weekdays: number[];
  menuIds: string[];
  answererId: string;
  bookerIds: { id: string; name: string; phone: string }[];
};

/** Venues, their opening hours and menus, then their bookings. Call before the daily figures are
 * counted: completed bookings are part of them. */
export async function seedVenues(prisma: PrismaClient, now = new Date()) {
  const random = prng(19);
  const subdistricts = await prisma.subdistrict.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      name: true,
      communities: { orderBy: { createdAt: "asc" }, select: { id: true, name: true } },
    },
  });
  const admins = new Map(
    (await prisma.roleAssignment.findMany({ where: { role: "SUBDISTRICT_ADMIN" } })).map((a) => [
      a.scopeId,
      a.userId,
    ]),
  );
  const residents = await prisma.user.findMany({
    where: { roles: { some: { role: "RESIDENT" } } },
    orderBy: { phone: "asc" },
    select: { id: true, name: true, phone: true, community: { select: { subdistrictId: true } } },
  });
  const plans: VenuePlan[] = [];
  for (const [index, subdistrict] of subdistricts.entries()) {
    const answererId = admins.get(subdistrict.id);
    if (!answererId) continue;
    const bookerIds = residents.filter((r) => r.community?.subdistrictId === subdistrict.id);
    const communityNames = subdistrict.communities.map((c) => c.name);
    const rooms = ROOMS.slice(0, index % 2 === 0 ? 3 : 2);
    for (const room of rooms) {
      const venue = await prisma.venue.create({
        data: {
          name: `${subdistrict.name}党群服务中心${room.name}`,
          subdistrictId: subdistrict.id,
          address: `明湖区${subdistrict.name}党群服务中心${room.capacity > 100 ? "一楼" : "二楼"}`,
          capacity: room.capacity,
          description: room.description,
          approval: room.capacity > 100 ? "STAFF" : "AUTO",
          openingHours: { create: ROOM_HOURS },
        },
        select: { id: true },
      });
      plans.push({
        id: venue.id,
        subdistrictId: subdistrict.id,
        communityNames,
        capacity: room.capacity,
        slots: ROOM_SLOTS,
        weekdays: ROOM_HOURS.map((h) => h.weekday),
        menuIds: [],
        answererId,
        bookerIds,
      });
    }
    for (const base of BASES.filter((b) => b.subdistrictIndex === index)) {
      const community = subdistrict.communities[base.communityIndex];
      if (!community) continue;
      const venue = await prisma.venue.create({
        data: {
          name: base.name,
          subdistrictId: subdistrict.id,
          communityId: community.id,
          address: `明湖区${subdistrict.name}${community.name}${random.int(10, 99)}号`,
          capacity: base.capacity,
          description: base.description,
          approval: "STAFF",
          maxLeadDays: 60,
          openingHours: { create: BASE_HOURS },
          menu: { create: BASE_MENU.map((item, position) => ({ ...item, position })) },
        },
        select: { id: true, menu: { select: { id: true }, orderBy: { position: "asc" } } },
      });
      plans.push({
        id: venue.id,
        subdistrictId: subdistrict.id,
        communityNames: [community.name],
        capacity: base.capacity,
        slots: BASE_SLOTS,
        weekdays: BASE_HOURS.map((h) => h.weekday),
        menuIds: venue.menu.map((m) => m.id),
        answererId,
        bookerIds,
      });
    }
  }
  const rows = plans.flatMap((plan) => bookingsOf(plan, random, now));
  await prisma.booking.createMany({ data: rows });
  return {
    venues: plans.length,
    past: rows.filter((r) => r.startsAt < now).length,
    coming: rows.filter((r) => r.startsAt >= now).length,
  };
}

/** A year of one venue's bookings on distinct (day, slot) pairs, and a few in the coming weeks. */
function bookingsOf(plan: VenuePlan, random: ReturnType<typeof prng>, now: Date) {
  const today = chinaDay(now);
  const taken = new Set<string>();
  const rows: Prisma.BookingCreateManyInput[] = [];
  const count = random.int(40, 70);
  for (let n = 0; n < count + 4; n += 1) {
    const coming = n >= count;
    const dayOffset = coming ? random.int(1, 20) : -random.int(1, 364);
    const day = new Date(today.getTime() + dayOffset * DAY_MS);
    const slot = random.pick(plan.slots);
    const key = `${dayOffset}:${slot.starts}`;
    // A closed weekday or a slot already given out: this draw books nothing.
    if (!plan.weekdays.includes(chinaClock(new Date(day.getTime() - CHINA_OFFSET_MS)).weekday)) continue;
    if (taken.has(key)) continue;
    taken.add(key);
    const startsAt = new Date(chinaMidnight(day).getTime() + slot.starts * 60_000);
    const endsAt = new Date(chinaMidnight(day).getTime() + slot.ends * 60_000);
    const channel = random.pick(CHANNELS);
    const onBehalf = channel === "PHONE" || channel === "PAPER";
    const booker = onBehalf || plan.bookerIds.length === 0 ? null : random.pick(plan.bookerIds);
    const group = random.pick(GROUPS);
    const expectedPersons = random.int(8, Math.min(plan.capacity, 50));
    const roll = random.next();
    const status: BookingStatus = coming
      ? roll < 0.6
        ? "CONFIRMED"
        : "REQUESTED"
      : roll < 0.08
        ? "DECLINED"
        : roll < 0.16
          ? "CANCELLED"
          : "COMPLETED";
    const createdAt = new Date(startsAt.getTime() - random.int(2, 20) * DAY_MS);
    const decided = status === "CONFIRMED" || status === "COMPLETED" || status === "DECLINED";
    rows.push({
      venueId: plan.id,
      kind: "BOOKING",
      status,
      channel,
      startsAt,
      endsAt,
      bookerId: booker?.id ?? null,
      createdById: booker?.id ?? plan.answererId,
      groupName: group.name.replace("{c}", random.pick(plan.communityNames)),
      expectedPersons,
      contactName: booker?.name ?? random.pick(CONTACTS),
      contactPhone: booker?.phone ?? `1390000${String(random.int(0, 9999)).padStart(4, "0")}`,
      purpose: plan.menuIds.length ? "开放式组织生活" : group.purpose,
      menuItemIds: plan.menuIds.filter((_, i) => i === 0 || random.next() < 0.6),
      answerBy:
        status === "REQUESTED" ? new Date(Math.min(now.getTime() + DAY_MS, startsAt.getTime())) : null,
      decidedById: decided ? plan.answererId : null,
      decidedAt: decided
        ? new Date(Math.min(createdAt.getTime() + random.int(1, 30) * 3600_000, now.getTime()))
        : null,
      reason:
        status === "DECLINED"
          ? "当天已安排街道会议，请改约其他时段"
          : status === "CANCELLED"
            ? "活动改期"
            : null,
      // Most of those expected come; a few bring friends.
      attended:
        status === "COMPLETED"
          ? Math.min(plan.capacity, Math.max(1, Math.round(expectedPersons * (0.7 + random.next() * 0.4))))
          : null,
      createdAt: createdAt < now ? createdAt : now,
    });
  }
  return rows;
}
