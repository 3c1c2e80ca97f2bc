import type { Prisma } from "@prisma/client";
import { chinaMidnight, DAY_MS, isoDay } from "~/lib/china-time";
import { db, type Tx } from "~/lib/db.server";
import { notFound, validationError } from "~/lib/errors";
import { ID_PATTERN } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { recordOutbox } from "../outbox.server";
import { authorize, type TerritoryPath } from "../policy";
import { findCommunityPath, findSubdistrictPath, getTerritoryTree } from "../territory/territory.server";
import { findNode, nodesUnder } from "../territory/tree";
import {
  type CreateVenueInput,
  chinaClock,
  clockOfMinute,
  HELD_STATUSES,
  minuteOfClock,
  type UpdateVenueInput,
  type VenueRules,
} from "./venues.schema";

// Venues (阵地, issue 19): places a subdistrict or community opens to groups. Staff whose scope covers
// the venue create and edit it; anyone reads it and its free and taken time (never who holds it).

export const venueSelect = {
  id: true,
  name: true,
  subdistrictId: true,
  communityId: true,
  address: true,
  capacity: true,
  description: true,
  approval: true,
  minLeadMinutes: true,
  maxLeadDays: true,
  answerHours: true,
  subdistrict: { select: { name: true, districtId: true } },
  community: { select: { name: true } },
  openingHours: {
    select: { weekday: true, opensMinute: true, closesMinute: true },
    orderBy: [{ weekday: "asc" }, { opensMinute: "asc" }],
  },
  menu: {
    select: { id: true, title: true, minutes: true, maxGroupSize: true },
    orderBy: { position: "asc" },
  },
} satisfies Prisma.VenueSelect;
export type VenueRow = Prisma.VenueGetPayload<{ select: typeof venueSelect }>;

/** Where a venue sits: its subdistrict, and its community when it has one. */
export const venuePath = (venue: {
  subdistrictId: string;
  communityId: string | null;
  subdistrict: { districtId: string };
}): TerritoryPath => ({
  districtId: venue.subdistrict.districtId,
  subdistrictId: venue.subdistrictId,
  ...(venue.communityId ? { communityId: venue.communityId } : {}),
});

export const rulesOf = (venue: VenueRow): VenueRules => ({
  capacity: venue.capacity,
  minLeadMinutes: venue.minLeadMinutes,
  maxLeadDays: venue.maxLeadDays,
  openingHours: venue.openingHours,
  menu: venue.menu,
});

export const toVenueView = (venue: VenueRow) => ({
  id: venue.id,
  name: venue.name,
  territoryId: venue.communityId ?? venue.subdistrictId,
  subdistrictId: venue.subdistrictId,
  subdistrictName: venue.subdistrict.name,
  communityId: venue.communityId,
  communityName: venue.community?.name ?? null,
  address: venue.address,
  capacity: venue.capacity,
  description: venue.description,
  approval: venue.approval,
  minLeadMinutes: venue.minLeadMinutes,
  maxLeadDays: venue.maxLeadDays,
  answerHours: venue.answerHours,
  openingHours: venue.openingHours.map((range) => ({
    weekday: range.weekday,
    opens: clockOfMinute(range.opensMinute),
    closes: clockOfMinute(range.closesMinute),
  })),
  menu: venue.menu,
});
export type VenueView = ReturnType<typeof toVenueView>;

export async function loadVenue(id: string) {
  // A path id with NUL bytes or lone surrogates would make PostgreSQL fail: it names nothing.
  if (!ID_PATTERN.test(id)) throw notFound("该阵地不存在");
  const venue = await db().venue.findUnique({ where: { id }, select: venueSelect });
  if (!venue) throw notFound("该阵地不存在");
  return venue;
}

export async function getVenue(id: string) {
  return { venue: toVenueView(await loadVenue(id)) };
}

/** A territory id (subdistrict or community) as the venue's place. */
async function placeOf(territoryId: string) {
  const community = await findCommunityPath(territoryId);
  if (community)
    return {
      path: community as TerritoryPath,
      subdistrictId: community.subdistrictId,
      communityId: community.communityId,
    };
  const subdistrict = await findSubdistrictPath(territoryId);
  if (subdistrict?.subdistrictId) {
    return { path: subdistrict, subdistrictId: subdistrict.subdistrictId, communityId: null };
  }
  throw validationError({ territoryId: "所选街道或社区不存在" });
}

const hoursRows = (ranges: { weekday: number; opens: string; closes: string }[]) =>
  ranges.map((range) => ({
    weekday: range.weekday,
    opensMinute: minuteOfClock(range.opens),
    closesMinute: minuteOfClock(range.closes),
  }));
const menuRows = (menu: { title: string; minutes: number; maxGroupSize?: number }[]) =>
  menu.map((item, position) => ({
    position,
    title: item.title,
    minutes: item.minutes,
    maxGroupSize: item.maxGroupSize ?? null,
  }));

export async function createVenue(actor: Actor, input: CreateVenueInput) {
  const place = await placeOf(input.territoryId);
  authorize(actor, "venue.manage", place.path);
  const id = await db().$transaction(async (tx) => {
    const venue = await tx.venue.create({
      data: {
        name: input.name,
        subdistrictId: place.subdistrictId,
        communityId: place.communityId,
        address: input.address,
        capacity: input.capacity,
        description: input.description,
        approval: input.approval,
        minLeadMinutes: input.minLeadMinutes,
        maxLeadDays: input.maxLeadDays,
        answerHours: input.answerHours,
        openingHours: { create: hoursRows(input.openingHours) },
        menu: { create: menuRows(input.menu) },
      },
      select: { id: true, version: true },
    });
    await recordOutbox(tx, "Venue", venue.id, venue.version);
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "venue.create",
      targetType: "Venue",
      targetId: venue.id,
      data: { territoryId: input.territoryId },
    });
    return venue.id;
  });
  return getVenue(id);
}

export async function updateVenue(actor: Actor, id: string, input: UpdateVenueInput) {
  const venue = await loadVenue(id);
  authorize(actor, "venue.manage", venuePath(venue));
  const capacity = input.capacity ?? venue.capacity;
  const menu =
    input.menu ?? venue.menu.map((item) => ({ ...item, maxGroupSize: item.maxGroupSize ?? undefined }));
  const tooLarge = menu.findIndex((item) => item.maxGroupSize !== undefined && item.maxGroupSize > capacity);
  if (tooLarge >= 0) {
    throw validationError({ [`menu.${tooLarge}.maxGroupSize`]: `最多人数不能超过阵地容纳人数${capacity}` });
  }
  await db().$transaction(async (tx) => {
    const updated = await tx.venue.update({
      where: { id },
      data: {
        name: input.name,
        address: input.address,
        capacity: input.capacity,
        description: input.description,
        approval: input.approval,
        minLeadMinutes: input.minLeadMinutes,
        maxLeadDays: input.maxLeadDays,
        answerHours: input.answerHours,
        version: { increment: 1 },
      },
      select: { version: true },
    });
    if (input.openingHours) {
      await tx.venueOpeningHours.deleteMany({ where: { venueId: id } });
      await tx.venueOpeningHours.createMany({
        data: hoursRows(input.openingHours).map((row) => ({ ...row, venueId: id })),
      });
    }
    // A booking names its menu items by id: items keep their ids where the title stays.
    if (input.menu) await replaceMenu(tx, id, venue.menu, input.menu);
    // Name, address, description and menu are what search finds a venue by.
    await recordOutbox(tx, "Venue", id, updated.version);
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "venue.update",
      targetType: "Venue",
      targetId: id,
      data: { fields: Object.keys(input) },
    });
  });
  return getVenue(id);
}

async function replaceMenu(
  tx: Tx,
  venueId: string,
  old: { id: string; title: string }[],
  menu: { title: string; minutes: number; maxGroupSize?: number }[],
) {
  const rows = menuRows(menu);
  const kept = new Set<string>();
  for (const row of rows) {
    const same = old.find((item) => item.title === row.title && !kept.has(item.id));
    if (same) {
      kept.add(same.id);
      await tx.venueMenuItem.update({ where: { id: same.id }, data: row });
    } else {
      const created = await tx.venueMenuItem.create({ data: { ...row, venueId }, select: { id: true } });
      kept.add(created.id);
    }
  }
  await tx.venueMenuItem.deleteMany({ where: { venueId, id: { notIn: [...kept] } } });
}

/** Anyone: venues by subdistrict or community (a subdistrict's list includes its communities'). */
export async function listVenues(query: {
  territoryId?: string;
  q?: string;
  page: number;
  pageSize: number;
}) {
  const where: Prisma.VenueWhereInput = {};
  if (query.territoryId) {
    const node = findNode(await getTerritoryTree(), query.territoryId);
    if (!node) throw validationError({ territoryId: "所选街道或社区不存在" });
    const under = nodesUnder(await getTerritoryTree(), [query.territoryId]);
    where.subdistrictId = { in: under.subdistrictIds };
    if (node.level === "community") where.communityId = query.territoryId;
  }
  if (query.q) {
    where.OR = [
      { name: { contains: query.q } },
      { address: { contains: query.q } },
      { description: { contains: query.q } },
    ];
  }
  const [total, rows] = await Promise.all([
    db().venue.count({ where }),
    db().venue.findMany({
      where,
      select: venueSelect,
      orderBy: [{ subdistrictId: "asc" }, { communityId: { sort: "asc", nulls: "first" } }, { name: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return { items: rows.map(toVenueView), total, page: query.page, pageSize: query.pageSize };
}

/** A venue's open and taken time per China day: taken ranges are held bookings and closures, with
 * nothing about who holds them. */
export async function venueAvailability(id: string, query: { from: Date; to: Date }) {
  const venue = await loadVenue(id);
  const start = chinaMidnight(query.from);
  const end = chinaMidnight(new Date(query.to.getTime() + DAY_MS));
  const held = await db().booking.findMany({
    where: { venueId: id, status: { in: [...HELD_STATUSES] }, startsAt: { lt: end }, endsAt: { gt: start } },
    select: { startsAt: true, endsAt: true },
    orderBy: { startsAt: "asc" },
  });
  const days = [];
  for (let day = query.from.getTime(); day <= query.to.getTime(); day += DAY_MS) {
    const midnight = chinaMidnight(new Date(day));
    const next = new Date(midnight.getTime() + DAY_MS);
    const { weekday } = chinaClock(midnight);
    const at = (minute: number) => new Date(midnight.getTime() + minute * 60_000).toISOString();
    days.push({
      date: isoDay(new Date(day)),
      open: venue.openingHours
        .filter((range) => range.weekday === weekday)
        .map((range) => ({ startsAt: at(range.opensMinute), endsAt: at(range.closesMinute) })),
      taken: held
        .filter((row) => row.startsAt < next && row.endsAt > midnight)
        .map((row) => ({ startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString() })),
    });
  }
  return { days };
}
