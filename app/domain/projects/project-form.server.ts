import type { Prisma } from "@prisma/client";
import { isoDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { conflict, forbidden } from "~/lib/errors";
import type { Actor } from "../accounts/actor";
import { can } from "../policy";
import { getTerritoryTree } from "../territory/territory.server";
import { territoryNodes } from "../territory/tree";
import { evaluationsOf } from "./evaluations.server";
import { defaultIndicatorsOf } from "./indicators.server";
import { EVALUATION_STAGES } from "./projects.schema";
import { getProject, loadProject, projectActions, purchaserPathOf, toProjectView } from "./projects.server";

// What the project forms offer (ADR 0026): the purchasers the actor may buy for, the approved social
// organizations that may provide, their government-purchased services, and for the activity form the
// projects the actor may link an activity to. The domain checks every choice again on submit.

const INDENT = { district: 0, subdistrict: 1, community: 2 } as const;

/** The government-purchased services each provider may have bought under a project. */
const boughtServices = (where: Prisma.ServiceWhereInput) =>
  db().service.findMany({
    where: { ...where, funding: "GOVERNMENT_PURCHASED", status: { not: "ARCHIVED" } },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    select: { id: true, title: true, providerId: true },
  });

const purchasersFor = async (actor: Actor) =>
  [...territoryNodes(await getTerritoryTree())]
    .filter((node) => can(actor, "project.manage", { purchaserPath: node.path, providerId: null }))
    .map((node) => ({ id: node.id, name: node.name, depth: INDENT[node.level] }));

/** Whether the actor may buy for some place (the list shows 新建项目 then). */
export const mayCreateProjects = async (actor: Actor | null) =>
  actor !== null && (await purchasersFor(actor)).length > 0;

/** 新建项目: purchasers are the territory nodes in the actor's scope (a community worker's community,
 * a subdistrict admin's subdistrict and its communities, …); providers the approved social
 * organizations, less the actor's own (nobody buys from their own organisation). Nobody else gets
 * the form. */
export async function newProjectOptions(actor: Actor) {
  const purchasers = await purchasersFor(actor);
  if (purchasers.length === 0) throw forbidden("只有区、街道和社区的工作人员可以新建政府购买服务项目");
  const providers = await db().provider.findMany({
    where: {
      status: "APPROVED",
      kind: "SOCIAL_ORG",
      id: { notIn: actor.memberships.map((membership) => membership.providerId) },
    },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true },
  });
  const services = await boughtServices({ providerId: { in: providers.map((p) => p.id) } });
  return {
    purchasers,
    providers: providers.map((provider) => ({
      ...provider,
      services: services.filter((s) => s.providerId === provider.id).map(({ id, title }) => ({ id, title })),
    })),
  };
}

/** 编辑项目 and 提前结束: the project for staff who manage it, while it runs, with its provider's
 * government-purchased services. */
export async function projectToManage(actor: Actor, id: string) {
  const row = await loadProject(id);
  if (!projectActions(actor, row).manage) {
    if (row.status !== "ACTIVE") throw conflict("项目已结项或终止，不能再修改");
    throw forbidden("只有购买方辖区的工作人员可以修改项目，承接机构的人不能修改自己的项目");
  }
  const [project, services] = await Promise.all([
    toProjectView(row),
    boughtServices({ providerId: row.providerId }),
  ]);
  return { project, services: services.map(({ id: serviceId, title }) => ({ id: serviceId, title })) };
}

/** 评估: the project for staff who may evaluate it (never the provider's own people), with the
 * stages not yet recorded and the district's default indicators to start from. */
export async function projectToEvaluate(actor: Actor, id: string) {
  const row = await loadProject(id);
  if (!projectActions(actor, row).evaluate) {
    if (row.status !== "ACTIVE") throw conflict("项目已结项或终止，不能再评估");
    throw forbidden("只有购买方辖区的工作人员可以评估项目，承接机构不能评估自己");
  }
  // The figures scored against come with the form: an evaluator on a phone should not have to
  // go back and forth to the project page.
  const [{ project, progress }, done, indicators] = await Promise.all([
    getProject(actor, id),
    evaluationsOf(id),
    defaultIndicatorsOf(row.districtId),
  ]);
  const recorded = new Set(done.map((evaluation) => evaluation.stage));
  return {
    project,
    progress,
    stagesLeft: EVALUATION_STAGES.filter((stage) => !recorded.has(stage)),
    indicators,
  };
}

/** The projects an activity may count toward, for the 新建活动 form's 项目 select: running ones the
 * actor may link (the provider's people, staff in the purchaser's scope). The form says where and
 * when each runs; the domain checks the activity's place and time on submit. */
export async function linkableProjects(actor: Actor, linked: string | null = null) {
  const providerIds = actor.memberships
    .filter((m) => m.providerStatus === "APPROVED")
    .map((m) => m.providerId);
  const scopeIds = actor.roles.filter((grant) => grant.role !== "RESIDENT").map((grant) => grant.scopeId);
  if (providerIds.length === 0 && scopeIds.length === 0 && linked === null) return [];
  const rows = await db().project.findMany({
    where: {
      OR: [
        {
          status: "ACTIVE",
          OR: [
            { providerId: { in: providerIds } },
            { purchaserId: { in: scopeIds } },
            { subdistrictId: { in: scopeIds } },
            { districtId: { in: scopeIds } },
          ],
        },
        // An edit keeps offering the project the activity counts toward (even one that has closed,
        // or that this organiser could not link), so saving the form does not silently unlink it.
        ...(linked ? [{ id: linked }] : []),
      ],
    },
    orderBy: [{ startsOn: "desc" }, { id: "asc" }],
    take: 200,
    select: {
      id: true,
      title: true,
      providerId: true,
      purchaserId: true,
      purchaserLevel: true,
      subdistrictId: true,
      districtId: true,
      startsOn: true,
      endsOn: true,
    },
  });
  return rows
    .filter(
      (row) =>
        row.id === linked ||
        can(actor, "project.linkActivity", {
          purchaserPath: purchaserPathOf(row),
          providerId: row.providerId,
        }),
    )
    .map((row) => ({
      id: row.id,
      label: `${row.title}（${isoDay(row.startsOn)} 至 ${isoDay(row.endsOn)}）`,
    }));
}
