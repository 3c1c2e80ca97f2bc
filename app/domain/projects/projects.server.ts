import type { Prisma, ScopeType } from "@prisma/client";
import { chinaMidnight, DAY_MS, isoDay } from "~/lib/china-time";
import { db, type Tx } from "~/lib/db.server";
import { conflict, forbidden, notFound, validationError } from "~/lib/errors";
import type { Paging } from "~/lib/paging";
import { ID_PATTERN } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { authorize, can, type TerritoryPath } from "../policy";
import { getTerritoryTree } from "../territory/territory.server";
import { findNode, isWithin } from "../territory/tree";
import { countActuals, progressOf, targetsOf } from "./progress.server";
import {
  type CreateProjectInput,
  MAX_PROJECT_DAYS,
  PROJECT_STATUS_LABELS,
  type ProjectListQuery,
  type ProjectView,
  type TargetsInput,
  type UpdateProjectInput,
} from "./projects.schema";

// Government-purchased service projects (政府购买服务项目, ADR 0026): commands (create, edit while it
// runs, end early) and the public reads (list, one project with its progress). Staff in the
// purchaser's scope manage; everything here is audited; money is integer fen.

export const projectSelect = {
  id: true,
  title: true,
  description: true,
  purchaserId: true,
  purchaserLevel: true,
  subdistrictId: true,
  districtId: true,
  providerId: true,
  provider: { select: { name: true } },
  budgetFen: true,
  startsOn: true,
  endsOn: true,
  status: true,
  endReason: true,
  endedAt: true,
  targetActivitiesHeld: true,
  targetPersonTimes: true,
  targetUniquePersons: true,
  targetNeedsFulfilled: true,
  targetRatingX100: true,
  services: { select: { serviceId: true } },
  version: true,
} satisfies Prisma.ProjectSelect;
export type ProjectRow = Prisma.ProjectGetPayload<{ select: typeof projectSelect }>;

const LEVEL_OF = { district: "DISTRICT", subdistrict: "SUBDISTRICT", community: "COMMUNITY" } as const;

/** The purchaser: a district, subdistrict or community of the tree, with its path and name. */
export async function purchaserNode(purchaserId: string) {
  const node = findNode(await getTerritoryTree(), purchaserId);
  if (!node) return null;
  return { id: node.id, name: node.name, path: node.path, level: LEVEL_OF[node.level] satisfies ScopeType };
}

/** The purchaser's place as the policy reads it (a project row keeps its ancestors). */
export const purchaserPathOf = (row: {
  purchaserId: string;
  purchaserLevel: ScopeType;
  subdistrictId: string | null;
  districtId: string;
}): TerritoryPath => ({
  districtId: row.districtId,
  ...(row.subdistrictId ? { subdistrictId: row.subdistrictId } : {}),
  ...(row.purchaserLevel === "COMMUNITY" ? { communityId: row.purchaserId } : {}),
});

export async function loadProject(id: string, tx: Tx = db()): Promise<ProjectRow> {
  // An id that cannot be one is simply not found (and never reaches the database).
  if (!ID_PATTERN.test(id)) throw notFound("该项目不存在");
  const row = await tx.project.findUnique({ where: { id }, select: projectSelect });
  if (!row) throw notFound("该项目不存在");
  return row;
}

const targetColumns = (targets: TargetsInput) => ({
  targetActivitiesHeld: targets.activitiesHeld ?? null,
  targetPersonTimes: targets.personTimes ?? null,
  targetUniquePersons: targets.uniquePersons ?? null,
  targetNeedsFulfilled: targets.needsFulfilled ?? null,
  targetRatingX100: targets.averageRating ?? null,
});

/** Services bought under a project: the provider's own, published and government-purchased. */
async function checkServices(providerId: string, serviceIds: readonly string[]) {
  if (serviceIds.length === 0) return;
  const services = await db().service.findMany({
    where: { id: { in: [...serviceIds] } },
    select: { providerId: true, funding: true, status: true },
  });
  if (services.length !== serviceIds.length) throw validationError({ serviceIds: "所选服务不存在" });
  if (services.some((s) => s.providerId !== providerId)) {
    throw validationError({ serviceIds: "只能关联承接机构自己的服务" });
  }
  if (services.some((s) => s.funding !== "GOVERNMENT_PURCHASED")) {
    throw validationError({ serviceIds: "只能关联“政府购买”类的服务" });
  }
}

export async function createProject(actor: Actor, input: CreateProjectInput) {
  const purchaser = await purchaserNode(input.purchaserId);
  if (!purchaser) throw validationError({ purchaserId: "所选购买方不存在" });
  authorize(actor, "project.manage", { purchaserPath: purchaser.path, providerId: input.providerId });
  const provider = await db().provider.findUnique({
    where: { id: input.providerId },
    select: { status: true, kind: true },
  });
  if (!provider) throw validationError({ providerId: "所选承接机构不存在" });
  if (provider.status !== "APPROVED") throw validationError({ providerId: "承接机构须已通过入驻审核" });
  if (provider.kind !== "SOCIAL_ORG")
    throw validationError({ providerId: "政府购买服务的承接方须为社会组织" });
  await checkServices(input.providerId, input.serviceIds ?? []);

  const id = await db().$transaction(async (tx) => {
    const created = await tx.project.create({
      data: {
        title: input.title,
        description: input.description,
        purchaserId: purchaser.id,
        purchaserLevel: purchaser.level,
        subdistrictId: purchaser.path.subdistrictId ?? null,
        districtId: purchaser.path.districtId,
        providerId: input.providerId,
        budgetFen: input.budgetFen,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        createdById: actor.userId,
        ...targetColumns(input.targets),
        services: { create: (input.serviceIds ?? []).map((serviceId) => ({ serviceId })) },
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "project.create",
      targetType: "Project",
      targetId: created.id,
      data: {
        purchaserId: purchaser.id,
        providerId: input.providerId,
        budgetFen: input.budgetFen,
        startsOn: isoDay(input.startsOn),
        endsOn: isoDay(input.endsOn),
        targets: input.targets,
        serviceIds: input.serviceIds ?? [],
      },
    });
    return created.id;
  });
  return getProject(actor, id);
}

/** Edit while it runs: any subset; the period stays valid and keeps the activities already counted
 * inside it (an activity outside a new period would silently stop counting). */
export async function updateProject(actor: Actor, id: string, patch: UpdateProjectInput) {
  const row = await loadProject(id);
  authorize(actor, "project.manage", { purchaserPath: purchaserPathOf(row), providerId: row.providerId });
  if (row.status !== "ACTIVE") throw conflict("项目已结项或终止，不能再修改");
  const startsOn = patch.startsOn ?? row.startsOn;
  const endsOn = patch.endsOn ?? row.endsOn;
  if (endsOn < startsOn) throw validationError({ endsOn: "结束日期不能早于开始日期" });
  if ((endsOn.getTime() - startsOn.getTime()) / DAY_MS >= MAX_PROJECT_DAYS) {
    throw validationError({ endsOn: "项目周期最长三年" });
  }
  const outside = await db().activity.count({
    where: {
      projectId: id,
      status: { not: "CANCELLED" },
      OR: [
        { startsAt: { lt: chinaMidnightOf(startsOn) } },
        { startsAt: { gte: chinaMidnightAfter(endsOn) } },
      ],
    },
  });
  if (outside > 0)
    throw validationError({ startsOn: `有${outside}场已关联的活动不在新的周期内，请先调整活动` });
  if (patch.serviceIds) await checkServices(row.providerId, patch.serviceIds);

  await db().$transaction(async (tx) => {
    const { count } = await tx.project.updateMany({
      where: { id, version: row.version, status: "ACTIVE" },
      data: {
        title: patch.title,
        description: patch.description,
        budgetFen: patch.budgetFen,
        startsOn: patch.startsOn,
        endsOn: patch.endsOn,
        ...(patch.targets ? targetColumns(patch.targets) : {}),
        version: { increment: 1 },
      },
    });
    if (count === 0) throw conflict("项目刚被其他人修改过，请刷新后再试");
    if (patch.serviceIds) {
      await tx.projectService.deleteMany({ where: { projectId: id } });
      await tx.projectService.createMany({
        data: patch.serviceIds.map((serviceId) => ({ projectId: id, serviceId })),
      });
    }
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "project.update",
      targetType: "Project",
      targetId: id,
      data: {
        before: {
          budgetFen: row.budgetFen,
          startsOn: isoDay(row.startsOn),
          endsOn: isoDay(row.endsOn),
          targets: targetsOf(row),
          // The services bought decide which fulfilled needs count: a change to them is a change
          // to the figures, so the trail keeps both lists.
          serviceIds: row.services.map((s) => s.serviceId),
        },
        changed: Object.keys(patch),
        ...(patch.budgetFen !== undefined ? { budgetFen: patch.budgetFen } : {}),
        ...(patch.startsOn ? { startsOn: isoDay(patch.startsOn) } : {}),
        ...(patch.endsOn ? { endsOn: isoDay(patch.endsOn) } : {}),
        ...(patch.targets ? { targets: patch.targets } : {}),
        ...(patch.serviceIds ? { serviceIds: patch.serviceIds } : {}),
      },
    });
  });
  return getProject(actor, id);
}

/** End early with a reason (ENDED): its figures stop where it ended. */
export async function endProject(actor: Actor, id: string, reason: string) {
  const row = await loadProject(id);
  authorize(actor, "project.manage", { purchaserPath: purchaserPathOf(row), providerId: row.providerId });
  await db().$transaction(async (tx) => {
    const { count } = await tx.project.updateMany({
      where: { id, status: "ACTIVE" },
      data: { status: "ENDED", endReason: reason, endedAt: new Date(), version: { increment: 1 } },
    });
    if (count === 0) throw conflict("项目已结项或终止");
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "project.end",
      targetType: "Project",
      targetId: id,
      data: { reason },
    });
  });
  return getProject(actor, id);
}

const chinaMidnightOf = chinaMidnight;
const chinaMidnightAfter = (day: Date) => chinaMidnight(new Date(day.getTime() + DAY_MS));

/** Whether a moment lies inside the project's period (China days, inclusive). */
export const withinPeriod = (row: { startsOn: Date; endsOn: Date }, moment: Date) =>
  moment >= chinaMidnightOf(row.startsOn) && moment < chinaMidnightAfter(row.endsOn);

export async function toProjectView(row: ProjectRow): Promise<ProjectView> {
  const purchaser = await purchaserNode(row.purchaserId);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    purchaserId: row.purchaserId,
    purchaserName: purchaser?.name ?? "",
    purchaserLevel: row.purchaserLevel,
    providerId: row.providerId,
    providerName: row.provider.name,
    budgetFen: row.budgetFen,
    startsOn: isoDay(row.startsOn),
    endsOn: isoDay(row.endsOn),
    status: row.status,
    statusLabel: PROJECT_STATUS_LABELS[row.status],
    endReason: row.endReason,
    targets: targetsOf(row),
    serviceIds: row.services.map((s) => s.serviceId),
    version: row.version,
  };
}

/** Anyone: the public part (title, purchaser, provider, budget, period, targets, progress). */
export async function getProject(_actor: Actor | null, id: string, now = new Date()) {
  const row = await loadProject(id);
  const actuals = await countActuals([row.id]);
  const progress = progressOf(row, actuals.get(row.id) ?? emptyActuals(), now);
  return { project: await toProjectView(row), progress };
}

const emptyActuals = () => ({
  activitiesHeld: 0,
  personTimes: 0,
  uniquePersons: 0,
  needsFulfilled: 0,
  ratingX100: null,
});

/** Anyone: projects by purchaser (that node and every node under it), provider and status, newest
 * first, each with its progress. */
export async function listProjects(_actor: Actor | null, query: ProjectListQuery & Paging, now = new Date()) {
  const where: Prisma.ProjectWhereInput = {
    ...(query.providerId ? { providerId: query.providerId } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.purchaserId
      ? {
          OR: [
            { purchaserId: query.purchaserId },
            { subdistrictId: query.purchaserId },
            { districtId: query.purchaserId },
          ],
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db().project.findMany({
      where,
      select: projectSelect,
      orderBy: [{ startsOn: "desc" }, { id: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
    db().project.count({ where }),
  ]);
  const actuals = await countActuals(rows.map((r) => r.id));
  const items = await Promise.all(
    rows.map(async (row) => ({
      project: await toProjectView(row),
      progress: progressOf(row, actuals.get(row.id) ?? emptyActuals(), now),
    })),
  );
  return { items, total, page: query.page, pageSize: query.pageSize };
}

/** What the caller may do with a project (pages show the matching links). */
export function projectActions(actor: Actor | null, row: ProjectRow) {
  const purchaserPath = purchaserPathOf(row);
  const resource = { purchaserPath, providerId: row.providerId };
  return {
    manage: row.status === "ACTIVE" && can(actor, "project.manage", resource),
    evaluate: row.status === "ACTIVE" && can(actor, "project.evaluate", resource),
    viewPrivate: can(actor, "project.viewPrivate", resource),
    declare: row.status === "ACTIVE" && can(actor, "project.declare", resource),
    linkActivity: row.status === "ACTIVE" && can(actor, "project.linkActivity", resource),
  };
}

/** A linked activity moved in time (PATCH /api/v1/activities/:id) still starts inside the period. */
export async function checkProjectPeriod(projectId: string, startsAt: Date) {
  const row = await db().project.findUnique({
    where: { id: projectId },
    select: { startsOn: true, endsOn: true },
  });
  if (row && !withinPeriod(row, startsAt)) {
    throw validationError({
      startsAt: `活动已计入政府购买服务项目，时间须在项目周期（${isoDay(row.startsOn)} 至 ${isoDay(row.endsOn)}）内`,
    });
  }
}

/** An activity linked to a project (POST /api/v1/activities with projectId, the form): the project
 * runs, the actor is its provider or staff in the purchaser's scope, and the activity lies inside
 * the purchaser's territory and the period. An activity another provider organises never counts
 * toward this one's contract (nobody pads a project with someone else's work); one the staff
 * organise themselves (no organising provider) may, run with the provider. */
export async function checkProjectLink(
  actor: Actor,
  projectId: string,
  activity: { communityPath: Required<TerritoryPath>; startsAt: Date; organiserId: string | null },
) {
  if (!ID_PATTERN.test(projectId)) throw validationError({ projectId: "所选项目不存在" });
  const row = await db().project.findUnique({ where: { id: projectId }, select: projectSelect });
  if (!row) throw validationError({ projectId: "所选项目不存在" });
  const purchaserPath = purchaserPathOf(row);
  if (!can(actor, "project.linkActivity", { purchaserPath, providerId: row.providerId })) {
    throw forbidden("只有项目的承接机构或购买方辖区的工作人员可以关联活动");
  }
  if (row.status !== "ACTIVE") throw validationError({ projectId: "该项目已结项或终止" });
  if (activity.organiserId !== null && activity.organiserId !== row.providerId) {
    throw validationError({ projectId: "其他机构组织的活动不能计入该项目" });
  }
  const { communityPath } = activity;
  if (!isWithin(communityPath, purchaserPath))
    throw validationError({ projectId: "活动所在社区不在项目购买方的辖区内" });
  if (!withinPeriod(row, activity.startsAt)) {
    throw validationError({
      projectId: `活动时间不在项目周期（${isoDay(row.startsOn)} 至 ${isoDay(row.endsOn)}）内`,
    });
  }
  return row.id;
}
