import { db, type Tx } from "~/lib/db.server";
import { conflict, forbidden, validationError } from "~/lib/errors";
import { formatTime } from "~/lib/format";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { CATEGORY_CODES, type CategoryCode } from "../catalog/categories";
import { namedNeed } from "../needs/needs.schema";
import { notify } from "../notifications/notifications.server";
import { recordEvent, recordOutbox } from "../outbox.server";
import { actsFor, authorize, can, type TerritoryPath } from "../policy";
import { checkProjectLink, checkProjectPeriod } from "../projects/projects.server";
import { communityPlaceSelect, placeOf } from "../territory/places";
import { findCommunityPath } from "../territory/territory.server";
import {
  ACTIVITY_STATUS_LABELS,
  CANCELLABLE,
  type CreateActivityInput,
  EDITABLE,
  type UpdateActivityInput,
} from "./activities.schema";
import { loadActivity, organiserOf } from "./activity-rows.server";
import { assertVisible, getActivity } from "./activity-views.server";
import { inviteCoOrganisers } from "./co-organisers.server";
import { lockSeats, promoteFromWaitlist } from "./waitlist.server";

// Activities (活动, DESIGN §4): organised by staff in scope or by an approved provider for a community
// it serves; DRAFT → PUBLISHED → ONGOING → FINISHED (the last two by the scheduler), PUBLISHED →
// CANCELLED. Publishing schedules the life-cycle jobs through the outbox (`activity.scheduled`), so a
// write never needs Redis. This module holds the commands (create, publish, cancel, update); beside it:
// the rows and their lock (activity-rows), how they are shown (activity-views), the 新建活动 form
// (activity-form), registration and the waitlist (registrations, seat-claims, waitlist), the desk
// (check-in) and the tallies.

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
  const projectId = input.projectId
    ? await checkProjectLink(actor, input.projectId, {
        communityPath: path,
        startsAt: input.startsAt,
        organiserId: organiserProviderId,
      })
    : null;

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
        projectId,
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
        projectId,
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
    select: { id: true, version: true, requesterId: true, title: true, caseNumber: true },
  });
  const activity =
    to === "SCHEDULED" && needs.length > 0
      ? await tx.activity.findUniqueOrThrow({
          where: { id: activityId },
          select: { title: true, startsAt: true, venue: true },
        })
      : null;
  for (const need of needs) {
    await tx.need.update({ where: { id: need.id }, data: { status: to, version: need.version + 1 } });
    await recordOutbox(tx, "Need", need.id, need.version + 1);
    if (activity) {
      // 已安排: which activity, when and where, so she is not left to guess.
      await notify(tx, {
        userIds: [need.requesterId],
        kind: "need.scheduled",
        title: "您的需求已安排",
        body: `为您的需求${namedNeed(need.title, need.caseNumber)}安排了“${activity.title}”：${formatTime(activity.startsAt)}，地点：${activity.venue}。`,
        link: `/needs/${need.id}`,
        dedupeKey: `need.scheduled:${need.id}:${activityId}`,
      });
    }
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
  // A new link is checked like one made on creation; a linked activity moved in time must stay in
  // its project's period, or it would silently stop counting.
  const relinked = input.projectId !== undefined && input.projectId !== row.projectId;
  const projectId = relinked ? input.projectId : row.projectId;
  if (relinked && projectId) {
    await checkProjectLink(actor, projectId, {
      communityPath: placeOf(row),
      startsAt,
      organiserId: row.providerId,
    });
  } else if (retimed && projectId) {
    await checkProjectPeriod(projectId, startsAt);
  }

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
        projectId,
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
