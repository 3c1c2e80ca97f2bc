import type { ActivityStatus, Prisma } from "@prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { conflict, forbidden, notFound, validationError } from "~/lib/errors";
import { formatTime } from "~/lib/format";
import type { Paging } from "~/lib/paging";
import { cachedPublicRead } from "~/lib/public-reads.server";
import { ID_PATTERN } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { CATEGORY_CODES, type CategoryCode, categoryName } from "../catalog/categories";
import { notify } from "../notifications/notifications.server";
import { recordEvent, recordOutbox } from "../outbox.server";
import { actsFor, authorize, can, type TerritoryPath } from "../policy";
import { communityPlaceSelect, placeOf } from "../territory/places";
import { findCommunityPath, getTerritoryTree } from "../territory/territory.server";
import {
  ACTIVITY_STATUS_LABELS,
  type ActivityCounts,
  type ActivityListQuery,
  type ActivityView,
  ATTENDANCE_WINDOW_MS,
  type CreateActivityInput,
  type UpdateActivityInput,
} from "./activities.schema";
import { inviteCoOrganisers } from "./co-organisers.server";
import {
  countsOf,
  lockSeats,
  promoteFromWaitlist,
  registrationOf,
  toRegistrationView,
} from "./registrations.server";

// Activities (活动, DESIGN §4): organised by staff in scope or by an approved provider for a community
// it serves; DRAFT → PUBLISHED → ONGOING → FINISHED (the last two by the scheduler), PUBLISHED →
// CANCELLED. Publishing schedules the life-cycle jobs through the outbox (`activity.scheduled`), so a
// write never needs Redis. Registrations, check-in and tallies live beside this module.

export const activitySelect = {
  id: true,
  title: true,
  description: true,
  category: true,
  communityId: true,
  venue: true,
  startsAt: true,
  endsAt: true,
  capacity: true,
  status: true,
  createdById: true,
  providerId: true,
  serviceId: true,
  walkIns: true,
  cancelReason: true,
  version: true,
  community: communityPlaceSelect,
  providers: { select: { provider: { select: { id: true, name: true } } } },
  needs: { select: { needId: true } },
  corrections: {
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      createdAt: true,
      reason: true,
      walkInsFrom: true,
      walkInsTo: true,
      checkInsAdded: true,
    },
  },
} satisfies Prisma.ActivitySelect;
export type ActivityRow = Prisma.ActivityGetPayload<{ select: typeof activitySelect }>;

export const organiserOf = (row: Pick<ActivityRow, "communityId" | "community" | "providerId">) => ({
  communityPath: placeOf(row),
  providerId: row.providerId,
});

const OPEN_FOR_REGISTRATION: ActivityStatus[] = ["PUBLISHED", "ONGOING"];
const EDITABLE: ActivityStatus[] = ["DRAFT", "PUBLISHED"];
const CANCELLABLE: ActivityStatus[] = ["DRAFT", "PUBLISHED"];

/** The organiser's desk takes check-ins and walk-ins until a day after the end (ADR 0018). */
export const attendanceLocksAt = (row: Pick<ActivityRow, "endsAt">) =>
  new Date(row.endsAt.getTime() + ATTENDANCE_WINDOW_MS);
export const attendanceLocked = (row: Pick<ActivityRow, "endsAt">) =>
  attendanceLocksAt(row).getTime() <= Date.now();

export async function loadActivity(id: string, tx: Tx = db()): Promise<ActivityRow> {
  const row = ID_PATTERN.test(id)
    ? await tx.activity.findUnique({ where: { id }, select: activitySelect })
    : null;
  if (!row) throw notFound("该活动不存在或已被删除");
  return row;
}

/** An activity as stored, the same for every viewer (what the viewer may do is worked out from it),
 * kept in memory between changes: its page is among the most visited. Seat counts are read live. */
export const publicActivity = cachedPublicRead(
  {
    tables: [
      "Activity",
      "ActivityProvider",
      "ActivityNeed",
      "AttendanceCorrection",
      "Provider",
      "Community",
      "Subdistrict",
    ],
    key: (id: string) => id,
    maxEntries: 500,
  },
  (id: string) => loadActivity(id),
);

/** A draft is seen by its organisers only; for anyone else it does not exist. */
function assertVisible(actor: Actor | null, row: ActivityRow) {
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

/** The organising provider, when a provider member creates for it: approved and serving the community. */
async function organisingProvider(providerId: string | undefined, communityId: string) {
  if (!providerId) return null;
  const provider = await db().provider.findUnique({
    where: { id: providerId },
    select: {
      id: true,
      status: true,
      communities: { where: { communityId }, select: { communityId: true } },
    },
  });
  if (!provider) throw validationError({ organiserProviderId: "该机构不存在" });
  if (provider.status !== "APPROVED") throw conflict("该机构尚未通过审核或已暂停服务，不能组织活动");
  if (!provider.communities.length) throw validationError({ communityId: "该机构不服务这个社区" });
  return provider.id;
}

/** The service and needs an activity answers must be within its reach (ADR 0011). A provider named
 * on it takes part only with its consent (ADR 0017): the organiser acts for it, or it accepted a match
 * for one of the activity's needs; any other is invited to co-organise, and its service cannot be
 * linked. */
async function checkLinks(
  actor: Actor,
  input: CreateActivityInput,
  path: Required<TerritoryPath>,
  named: string[],
) {
  let category: CategoryCode | undefined = input.category;
  const consenting = new Set(named.filter((providerId) => actsFor(actor, providerId)));
  for (const needId of input.needIds ?? []) {
    const need = await db().need.findUnique({
      where: { id: needId },
      select: {
        status: true,
        category: true,
        communityId: true,
        requesterId: true,
        community: communityPlaceSelect,
        matches: { where: { status: "ACCEPTED" }, select: { providerId: true } },
      },
    });
    if (!need) throw validationError({ needIds: "所选需求不存在" });
    const needPath = placeOf(need);
    const matchedTo = need.matches.map((m) => m.providerId);
    const reachable =
      // Staff who handle the need (those who may close it), or the provider it was matched to.
      can(actor, "need.close", { communityPath: needPath }) ||
      matchedTo.some((providerId) => actsFor(actor, providerId));
    if (!reachable) throw forbidden("所选需求不在您的服务范围内");
    if (need.community.subdistrictId !== path.subdistrictId) {
      throw validationError({ needIds: "所选需求不在活动所在的街道" });
    }
    if (need.status !== "MATCHED") throw conflict("只有“已对接”的需求可以安排到活动中");
    category ??= CATEGORY_CODES.find((code) => code === need.category);
    for (const providerId of matchedTo) if (named.includes(providerId)) consenting.add(providerId);
  }
  if (input.serviceId) {
    const service = await db().service.findUnique({
      where: { id: input.serviceId },
      select: { providerId: true, category: true, status: true },
    });
    if (service?.status !== "PUBLISHED") throw validationError({ serviceId: "该服务不存在或未发布" });
    if (!named.includes(service.providerId)) {
      throw validationError({ serviceId: "该服务不属于参与活动的机构" });
    }
    if (!consenting.has(service.providerId)) {
      throw validationError({ serviceId: "只能关联本机构的服务，或已接受对接的机构的服务" });
    }
    category ??= CATEGORY_CODES.find((code) => code === service.category);
  }
  return {
    category: category ?? "other",
    providerIds: named.filter((providerId) => consenting.has(providerId)),
    invitedProviderIds: named.filter((providerId) => !consenting.has(providerId)),
  };
}

export async function createActivity(actor: Actor, input: CreateActivityInput) {
  const path = await findCommunityPath(input.communityId);
  if (!path) throw validationError({ communityId: "该社区不存在" });
  const organiserProviderId = await organisingProvider(input.organiserProviderId, path.communityId);
  authorize(actor, "activity.create", { communityPath: path, providerId: organiserProviderId });
  const named = [
    ...new Set([...(organiserProviderId ? [organiserProviderId] : []), ...(input.providerIds ?? [])]),
  ];
  const approved = await db().provider.count({ where: { id: { in: named }, status: "APPROVED" } });
  if (approved !== named.length) throw validationError({ providerIds: "参与机构须为已入驻的机构" });
  const { category, providerIds, invitedProviderIds } = await checkLinks(actor, input, path, named);
  if (input.publish) assertPublishable(input.startsAt);

  const id = await db().$transaction(async (tx) => {
    const created = await tx.activity.create({
      data: {
        title: input.title,
        description: input.description,
        category,
        communityId: path.communityId,
        venue: input.venue,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        capacity: input.capacity,
        createdById: actor.userId,
        providerId: organiserProviderId,
        serviceId: input.serviceId ?? null,
        providers: { create: providerIds.map((providerId) => ({ providerId })) },
        needs: { create: (input.needIds ?? []).map((needId) => ({ needId })) },
      },
      select: { id: true, version: true },
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "activity.create",
      targetType: "Activity",
      targetId: created.id,
      data: {
        communityId: path.communityId,
        providerIds,
        invitedProviderIds,
        serviceId: input.serviceId ?? null,
        needIds: input.needIds ?? [],
      },
    });
    await inviteCoOrganisers(tx, { id: created.id, title: input.title }, invitedProviderIds, actor);
    if (input.publish) await publishInTx(tx, actor, created.id);
    else await recordOutbox(tx, "Activity", created.id, created.version);
    return created.id;
  });
  return getActivity(actor, id);
}

function assertPublishable(startsAt: Date) {
  if (startsAt.getTime() <= Date.now()) {
    throw validationError({ startsAt: "开始时间已过，请改为将来的时间再发布" });
  }
}

/** Bumps the version and announces the change (index) and, when asked, the schedule (jobs). */
async function announce(tx: Tx, id: string, schedule: boolean) {
  const { version } = await tx.activity.update({
    where: { id },
    data: { version: { increment: 1 } },
    select: { version: true },
  });
  await recordOutbox(tx, "Activity", id, version);
  if (schedule) await recordEvent(tx, "activity.scheduled", "Activity", id, version);
}

/** Needs the activity answers move between MATCHED and SCHEDULED with it. */
async function moveNeeds(
  tx: Tx,
  activityId: string,
  from: "MATCHED" | "SCHEDULED",
  to: "MATCHED" | "SCHEDULED",
) {
  const needs = await tx.need.findMany({
    where: { activities: { some: { activityId } }, status: from },
    select: { id: true, version: true },
  });
  for (const need of needs) {
    await tx.need.update({ where: { id: need.id }, data: { status: to, version: need.version + 1 } });
    await recordOutbox(tx, "Need", need.id, need.version + 1);
  }
}

async function publishInTx(tx: Tx, actor: Actor, id: string) {
  const { count } = await tx.activity.updateMany({
    where: { id, status: "DRAFT" },
    data: { status: "PUBLISHED", publishedAt: new Date() },
  });
  if (count === 0) throw conflict("只有草稿状态的活动可以发布");
  await moveNeeds(tx, id, "MATCHED", "SCHEDULED");
  await recordAudit(tx, {
    actorId: actor.userId,
    action: "activity.publish",
    targetType: "Activity",
    targetId: id,
  });
  await announce(tx, id, true);
}

export async function publishActivity(actor: Actor, id: string) {
  const row = await loadActivity(id);
  assertVisible(actor, row);
  authorize(actor, "activity.manage", organiserOf(row));
  if (row.status !== "DRAFT") throw conflict(`该活动${ACTIVITY_STATUS_LABELS[row.status]}，不能再发布`);
  assertPublishable(row.startsAt);
  await db().$transaction((tx) => publishInTx(tx, actor, id));
  return getActivity(actor, id);
}

/** Registrants are told (seats and waitlist); the needs it answered go back to MATCHED. */
export async function cancelActivity(actor: Actor, id: string, values: { reason?: string }) {
  const row = await loadActivity(id);
  assertVisible(actor, row);
  authorize(actor, "activity.manage", organiserOf(row));
  if (!CANCELLABLE.includes(row.status))
    throw conflict(`该活动${ACTIVITY_STATUS_LABELS[row.status]}，不能取消`);
  await db().$transaction(async (tx) => {
    const { count } = await tx.activity.updateMany({
      where: { id, status: { in: CANCELLABLE } },
      data: { status: "CANCELLED", cancelledAt: new Date(), cancelReason: values.reason ?? null },
    });
    if (count === 0) throw conflict("该活动刚刚开始或已被取消，请刷新后重试");
    await moveNeeds(tx, id, "SCHEDULED", "MATCHED");
    const registrants = await tx.registration.findMany({
      where: { activityId: id, status: { in: ["REGISTERED", "WAITLISTED"] } },
      select: { userId: true },
    });
    await notify(tx, {
      userIds: registrants.map((r) => r.userId),
      kind: "activity.cancelled",
      title: "活动已取消",
      body: `您报名的“${row.title}”已取消${values.reason ? `：${values.reason}` : "。"}给您带来不便，敬请谅解。`,
      link: `/activities/${id}`,
      dedupeKey: `activity.cancelled:${id}`,
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "activity.cancel",
      targetType: "Activity",
      targetId: id,
      data: { notified: registrants.length },
    });
    await announce(tx, id, false);
  });
  return getActivity(actor, id);
}

export async function updateActivity(actor: Actor, id: string, input: UpdateActivityInput) {
  const row = await loadActivity(id);
  assertVisible(actor, row);
  authorize(actor, "activity.manage", organiserOf(row));
  if (!EDITABLE.includes(row.status))
    throw conflict(`该活动${ACTIVITY_STATUS_LABELS[row.status]}，不能再修改`);
  const startsAt = input.startsAt ?? row.startsAt;
  const endsAt = input.endsAt ?? row.endsAt;
  if (endsAt <= startsAt) throw validationError({ endsAt: "结束时间应晚于开始时间" });
  const retimed = startsAt.getTime() !== row.startsAt.getTime() || endsAt.getTime() !== row.endsAt.getTime();
  if (retimed && row.status === "PUBLISHED") assertPublishable(startsAt);

  await db().$transaction(async (tx) => {
    // NO KEY UPDATE, like lockActivity: registrations take KEY SHARE on the activity while they hold
    // the seat counter.
    await tx.$queryRaw`SELECT id FROM "Activity" WHERE id = ${id} FOR NO KEY UPDATE`;
    // The seat counter too: no registration claims a seat between this check and the new capacity.
    const { taken: registered } = await lockSeats(tx, id);
    if (input.capacity !== undefined && input.capacity < registered) {
      throw validationError({ capacity: `已有 ${registered} 人报名，名额不能少于 ${registered}` });
    }
    await tx.activity.update({
      where: { id },
      data: {
        title: input.title,
        description: input.description,
        category: input.category,
        venue: input.venue,
        startsAt,
        endsAt,
        capacity: input.capacity,
      },
    });
    if (input.capacity !== undefined && input.capacity > row.capacity) {
      await promoteFromWaitlist(tx, id, row.title);
    }
    if (retimed && row.status === "PUBLISHED") {
      const registrants = await tx.registration.findMany({
        where: { activityId: id, status: { in: ["REGISTERED", "WAITLISTED"] } },
        select: { userId: true },
      });
      await notify(tx, {
        userIds: registrants.map((r) => r.userId),
        kind: "activity.retimed",
        title: "活动时间有变",
        body: `您报名的“${row.title}”时间改为 ${formatTime(startsAt)}，请留意。`,
        link: `/activities/${id}`,
        dedupeKey: `activity.retimed:${id}:${startsAt.getTime()}:${endsAt.getTime()}`,
      });
    }
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "activity.update",
      targetType: "Activity",
      targetId: id,
      data: { fields: Object.keys(input) },
    });
    await announce(tx, id, retimed && row.status === "PUBLISHED");
  });
  return getActivity(actor, id);
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

/** The activities an actor organises (drafts included), for the workbench: staff in reach and their
 * providers' own. */
export async function listOrganisedActivities(actor: Actor, communityIds: readonly string[], query: Paging) {
  const providerIds = actor.memberships.map((m) => m.providerId);
  const where: Prisma.ActivityWhereInput = {
    OR: [{ communityId: { in: [...communityIds] } }, { providerId: { in: providerIds } }],
  };
  return pageOfActivities(actor, where, true, query);
}

// The 新建活动 form: where the actor may organise, and the suggestions taken from an accepted match.

/** Communities under one heading per "district · subdistrict", for the community picker. */
export type CommunityGroup = { id: string; name: string; communities: { id: string; name: string }[] };

/** What the 新建活动 form offers: the communities the actor may organise in (staff: their reach; a
 * provider's people: the communities of the approved providers they act for) and those providers. */
export async function activityFormOptions(actor: Actor) {
  const [tree, providers] = await Promise.all([
    getTerritoryTree(),
    db().provider.findMany({
      where: { status: "APPROVED", members: { some: { userId: actor.userId } } },
      orderBy: { name: "asc" },
      select: { id: true, name: true, communities: { select: { communityId: true } } },
    }),
  ]);
  const served = new Set(providers.flatMap((p) => p.communities.map((c) => c.communityId)));
  let asStaff = false;
  const groups: CommunityGroup[] = tree.districts.flatMap((district) =>
    district.subdistricts
      .map((subdistrict) => ({
        id: subdistrict.id,
        name: `${district.name} · ${subdistrict.name}`,
        communities: subdistrict.communities
          .filter((community) => {
            const communityPath = {
              districtId: district.id,
              subdistrictId: subdistrict.id,
              communityId: community.id,
            };
            const staff = can(actor, "activity.create", { communityPath, providerId: null });
            asStaff ||= staff;
            return staff || served.has(community.id);
          })
          .map((community) => ({ id: community.id, name: community.name })),
      }))
      .filter((group) => group.communities.length > 0),
  );
  if (groups.length === 0) throw forbidden("只有社区工作人员和已入驻机构的人员可以发布活动");
  return { groups, asStaff, providers: providers.map((p) => ({ id: p.id, name: p.name })) };
}

export type ActivityDraft = {
  needId: string;
  needTitle: string;
  title: string;
  category: CategoryCode;
  communityId: string;
  /** The accepted match's service, when it is still published (createActivity requires that). */
  serviceId: string | null;
  providerIds: string[];
  /** The matched provider, when the actor acts for it rather than as staff in scope. */
  organiserProviderId: string | null;
};

/** 安排活动 from a MATCHED need: suggested values for the 新建活动 form, for staff in scope of the need
 * and the people of the provider whose match was accepted. */
export async function activityDraftFromNeed(actor: Actor, needId: string): Promise<ActivityDraft> {
  const need = ID_PATTERN.test(needId)
    ? await db().need.findUnique({
        where: { id: needId },
        select: {
          id: true,
          title: true,
          category: true,
          status: true,
          communityId: true,
          community: communityPlaceSelect,
          matches: {
            where: { status: "ACCEPTED" },
            orderBy: [{ decidedAt: "desc" }, { id: "asc" }],
            take: 1,
            select: { serviceId: true, providerId: true, service: { select: { status: true } } },
          },
        },
      })
    : null;
  if (!need) throw notFound("该需求不存在或已被删除");
  const communityPath = placeOf(need);
  const match = need.matches[0];
  const asStaff = can(actor, "activity.create", { communityPath, providerId: null });
  const asProvider =
    match !== undefined && can(actor, "activity.create", { communityPath, providerId: match.providerId });
  if (!asStaff && !asProvider) throw forbidden("只有辖区工作人员和承接机构可以为这条需求安排活动");
  if (need.status !== "MATCHED") throw conflict("只有“已对接”的需求可以安排活动");
  return {
    needId: need.id,
    needTitle: need.title,
    title: need.title,
    category: CATEGORY_CODES.find((code) => code === need.category) ?? "other",
    communityId: need.communityId,
    serviceId: match?.service.status === "PUBLISHED" ? match.serviceId : null,
    providerIds: match ? [match.providerId] : [],
    organiserProviderId: !asStaff && match ? match.providerId : null,
  };
}
