import type { Prisma } from "@prisma/client";
import { chinaDay, chinaDayMoments } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { notFound } from "~/lib/errors";
import type { Paging } from "~/lib/paging";
import type { Actor } from "../accounts/actor";
import { categoryName } from "../catalog/categories";
import { can } from "../policy";
import { placeOf } from "../territory/places";
import {
  ACTIVITY_STATUS_LABELS,
  type ActivityCounts,
  type ActivityListQuery,
  type ActivityView,
  CANCELLABLE,
  OPEN_FOR_REGISTRATION,
  type OrganisedShow,
} from "./activities.schema";
import {
  type ActivityRow,
  activitySelect,
  attendanceLocked,
  attendanceLocksAt,
  organiserOf,
  publicActivity,
} from "./activity-rows.server";
import { countsOf, registrationOf, toRegistrationView } from "./waitlist.server";

// Activities as the API and the pages show them: one with its live counts and the caller's
// registration, the public list and the organiser's list, and what the viewer may do with each.

/** A draft is seen by its organisers only; for anyone else it does not exist. */
export function assertVisible(actor: Actor | null, row: ActivityRow) {
  if (row.status === "DRAFT" && !can(actor, "activity.manage", organiserOf(row))) {
    throw notFound("该活动不存在或已被删除");
  }
}

export function toActivityView(
  actor: Actor | null,
  row: ActivityRow,
  counts: ActivityCounts,
  mine: ActivityView["myRegistration"],
): ActivityView {
  const manage = can(actor, "activity.manage", organiserOf(row));
  const open = OPEN_FOR_REGISTRATION.includes(row.status);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    category: row.category,
    categoryName: categoryName(row.category),
    communityId: row.communityId,
    communityName: row.community.name,
    subdistrictId: row.community.subdistrictId,
    venue: row.venue,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    capacity: row.capacity,
    seatsLeft: Math.max(0, row.capacity - counts.registered),
    status: row.status,
    statusLabel: ACTIVITY_STATUS_LABELS[row.status],
    organiserProviderId: row.providerId,
    providers: row.providers.map((p) => p.provider),
    serviceId: row.serviceId,
    projectId: row.projectId,
    needIds: row.needs.map((n) => n.needId),
    cancelReason: row.cancelReason,
    version: row.version,
    actions: {
      manage,
      publish: manage && row.status === "DRAFT",
      cancel: manage && CANCELLABLE.includes(row.status),
      register: actor !== null && open && (mine === null || mine.status === "CANCELLED"),
      registerOnBehalf: open && can(actor, "activity.registerOnBehalf", { communityPath: placeOf(row) }),
      checkIn: manage && ["PUBLISHED", "ONGOING", "FINISHED"].includes(row.status) && !attendanceLocked(row),
      correctAttendance:
        row.status === "FINISHED" &&
        can(actor, "activity.correctAttendance", { communityPath: placeOf(row) }),
    },
    attendanceLocksAt: attendanceLocksAt(row).toISOString(),
    corrections: row.corrections.map(({ createdAt, ...correction }) => ({
      ...correction,
      correctedAt: createdAt.toISOString(),
    })),
    myRegistration: mine,
  };
}

/** The activity as the API and the pages show it, with live counts and the caller's registration. */
export async function getActivity(actor: Actor | null, id: string) {
  const row = await publicActivity(id);
  assertVisible(actor, row);
  const [counts, mine] = await Promise.all([
    countsOf(row.id, row.walkIns),
    actor ? registrationOf(row.id, actor.userId) : null,
  ]);
  return {
    activity: toActivityView(actor, row, counts, mine ? await toRegistrationView(mine) : null),
    counts,
  };
}

/** The public list (no drafts): upcoming soonest first, past latest first. */
export async function listActivities(actor: Actor | null, query: ActivityListQuery & Paging) {
  const where: Prisma.ActivityWhereInput = {
    status: query.status ? query.status : { not: "DRAFT" },
    ...(query.communityId ? { communityId: query.communityId } : {}),
    ...(query.subdistrictId ? { community: { subdistrictId: query.subdistrictId } } : {}),
    ...(query.category ? { category: query.category } : {}),
    ...(query.from || query.to
      ? { startsAt: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } }
      : {}),
    ...(query.when === "upcoming"
      ? { endsAt: { gt: new Date() }, status: { in: ["PUBLISHED", "ONGOING"] } }
      : {}),
    ...(query.when === "past" ? { status: "FINISHED" } : {}),
  };
  // Drafts are never listed publicly, even when asked for.
  if (query.status === "DRAFT") where.status = { in: [] };
  const newestFirst = query.when === "past";
  return pageOfActivities(actor, where, newestFirst, query);
}

/** One page of activities as the caller sees them, ordered by start. */
async function pageOfActivities(
  actor: Actor | null,
  where: Prisma.ActivityWhereInput,
  newestFirst: boolean,
  query: Paging,
) {
  const [total, rows] = await db().$transaction([
    db().activity.count({ where }),
    db().activity.findMany({
      where,
      orderBy: [{ startsAt: newestFirst ? "desc" : "asc" }, { id: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: activitySelect,
    }),
  ]);
  const items = await Promise.all(
    rows.map(async (row) => toActivityView(actor, row, await countsOf(row.id, row.walkIns), null)),
  );
  return { items, total, page: query.page, pageSize: query.pageSize };
}

/** The activities an actor organises (drafts included): staff in reach and their providers' own,
 * narrowed by a workbench filter. The workbench's counts read the same rule as its list. */
export function organisedActivitiesWhere(
  actor: Actor,
  communityIds: readonly string[],
  show: OrganisedShow | undefined,
  now = new Date(),
): Prisma.ActivityWhereInput {
  const providerIds = actor.memberships.map((m) => m.providerId);
  const organised: Prisma.ActivityWhereInput = {
    OR: [{ communityId: { in: [...communityIds] } }, { providerId: { in: providerIds } }],
  };
  if (show === "today") {
    const today = chinaDay(now);
    return {
      ...organised,
      startsAt: chinaDayMoments({ from: today, to: today }),
      status: { in: ["PUBLISHED", "ONGOING", "FINISHED"] },
    };
  }
  if (show === "waitlisted") {
    return {
      ...organised,
      startsAt: { gt: now },
      status: "PUBLISHED",
      registrations: { some: { status: "WAITLISTED" } },
    };
  }
  return organised;
}

/** The workbench's list: most recent first, except the day's and the waitlisted, soonest first. */
export async function listOrganisedActivities(
  actor: Actor,
  communityIds: readonly string[],
  query: Paging & { show?: OrganisedShow },
) {
  return pageOfActivities(
    actor,
    organisedActivitiesWhere(actor, communityIds, query.show),
    !query.show,
    query,
  );
}
