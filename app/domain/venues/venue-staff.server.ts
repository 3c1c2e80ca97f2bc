import { db } from "~/lib/db.server";
import { forbidden } from "~/lib/errors";
import type { Actor } from "../accounts/actor";
import { authorize, can } from "../policy";
import { getTerritoryTree } from "../territory/territory.server";
import { territoryNodes } from "../territory/tree";
import { bookingSelect, reviewableVenueFilter, toBookingView } from "./booking-rows.server";
import { loadVenue, toVenueView, venuePath } from "./venues.server";

// The staff's side of venues (issue 19) for the web: where they may open a venue, a venue they
// manage with its coming closures, and the 预约审核 queue.

/** The places the actor may open a venue at, under one heading per subdistrict: the subdistrict
 * itself (its own 党群服务中心) where they manage it, and each community they manage. */
export async function venuePlaceChoices(actor: Actor) {
  const groups: { id: string; name: string; places: { id: string; name: string }[] }[] = [];
  let district = "";
  for (const node of territoryNodes(await getTerritoryTree())) {
    if (node.level === "district") district = node.name;
    if (node.level === "subdistrict")
      groups.push({ id: node.id, name: `${district} · ${node.name}`, places: [] });
    if (node.level === "district" || !can(actor, "venue.manage", node.path)) continue;
    groups.at(-1)?.places.push({
      id: node.id,
      name: node.level === "subdistrict" ? `${node.name}（街道直属）` : node.name,
    });
  }
  const choices = groups.filter((group) => group.places.length > 0);
  if (choices.length === 0) throw forbidden("只有街道和社区的工作人员可以新建阵地");
  return choices;
}

/** A venue for a staff page: 403 unless the actor may manage it (or enter bookings for it). */
export async function venueForStaff(
  actor: Actor,
  id: string,
  action: "venue.manage" | "booking.enterOnBehalf" = "venue.manage",
) {
  const venue = await loadVenue(id);
  authorize(actor, action, venuePath(venue));
  return toVenueView(venue);
}

/** Whether the actor manages this venue: the public page then links to its staff view. */
export async function managesVenue(actor: Actor | null, venueId: string) {
  if (!actor || !can(actor, "workbench.open", null)) return false;
  return can(actor, "venue.manage", venuePath(await loadVenue(venueId)));
}

/** The closures of a venue not yet over, soonest first: for the staff who manage it. */
export async function comingClosures(actor: Actor, venueId: string, now = new Date()) {
  const venue = await loadVenue(venueId);
  authorize(actor, "venue.manage", venuePath(venue));
  const rows = await db().booking.findMany({
    where: { venueId, kind: "CLOSURE", status: "CONFIRMED", endsAt: { gt: now } },
    orderBy: { startsAt: "asc" },
    take: 50,
    select: { id: true, startsAt: true, endsAt: true, reason: true },
  });
  return rows.map((row) => ({
    id: row.id,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    reason: row.reason ?? "",
  }));
}

const QUEUE_SIZE = 50;

/** 预约审核: the requests waiting in the actor's scope, oldest first, and the confirmed bookings that
 * have begun and wait for their 到场人数, earliest first. Staff only; each list at most 50 long,
 * with its full count. */
export async function bookingQueue(actor: Actor, now = new Date()) {
  const venues = await reviewableVenueFilter(actor);
  if (!venues) throw forbidden("只有街道和社区的工作人员可以审核预约");
  const requested = { kind: "BOOKING", status: "REQUESTED", venue: venues } as const;
  const begun = { kind: "BOOKING", status: "CONFIRMED", startsAt: { lte: now }, venue: venues } as const;
  const [requestCount, requests, attendanceCount, attendance] = await Promise.all([
    db().booking.count({ where: requested }),
    db().booking.findMany({
      where: requested,
      select: bookingSelect,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: QUEUE_SIZE,
    }),
    db().booking.count({ where: begun }),
    db().booking.findMany({
      where: begun,
      select: bookingSelect,
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      take: QUEUE_SIZE,
    }),
  ]);
  return {
    requests: { total: requestCount, items: requests.map((row) => toBookingView(actor, row)) },
    attendance: { total: attendanceCount, items: attendance.map((row) => toBookingView(actor, row)) },
  };
}
