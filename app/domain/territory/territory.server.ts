import type { z } from "zod";
import { db } from "~/lib/db.server";
import { conflict, validationError } from "~/lib/errors";
import { cachedPublicRead } from "~/lib/public-reads.server";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { authorize, can, coveredScope, type TerritoryPath } from "../policy";
import type {
  createCommunitySchema,
  createSubdistrictSchema,
  renameSubdistrictSchema,
  TerritoryTree,
  updateCommunitySchema,
} from "./territory.schema";
import { findNode, nodesUnder } from "./tree";

/** The whole tree, ordered by name; public (it is what the sign-up community picker shows). Most
 * pages show it, so it is kept in memory between changes. */
export const getTerritoryTree = cachedPublicRead(
  { tables: ["District", "Subdistrict", "Community"] },
  async (): Promise<TerritoryTree> => {
    const districts = await db().district.findMany({
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        name: true,
        subdistricts: {
          orderBy: { name: "asc" },
          select: {
            id: true,
            name: true,
            communities: {
              orderBy: { name: "asc" },
              select: { id: true, name: true, kind: true, servicePhone: true },
            },
          },
        },
      },
    });
    return { districts };
  },
);

/** A community's place in the tree, or null when there is no such community. */
export async function findCommunityPath(communityId: string): Promise<Required<TerritoryPath> | null> {
  const node = findNode(await getTerritoryTree(), communityId);
  return node?.level === "community" ? node.path : null;
}

export async function findSubdistrictPath(subdistrictId: string): Promise<TerritoryPath | null> {
  const node = findNode(await getTerritoryTree(), subdistrictId);
  return node?.level === "subdistrict" ? node.path : null;
}

/** Path of any territory node: a community, a subdistrict or a district id. */
export async function findTerritoryPath(scopeId: string): Promise<TerritoryPath | null> {
  return findNode(await getTerritoryTree(), scopeId)?.path ?? null;
}

export async function createSubdistrict(actor: Actor, values: z.output<typeof createSubdistrictSchema>) {
  const district = await db().district.findUnique({ where: { id: values.districtId }, select: { id: true } });
  if (!district) throw validationError({ districtId: "所选的区不存在" });
  authorize(actor, "territory.manageSubdistricts", { districtId: district.id });
  await assertSubdistrictNameFree(district.id, values.name);
  return db().$transaction(async (tx) => {
    const subdistrict = await tx.subdistrict.create({ data: { districtId: district.id, name: values.name } });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "territory.subdistrict.create",
      targetType: "Subdistrict",
      targetId: subdistrict.id,
    });
    return subdistrict;
  });
}

export async function renameSubdistrict(actor: Actor, values: z.output<typeof renameSubdistrictSchema>) {
  const path = await findSubdistrictPath(values.subdistrictId);
  if (!path) throw validationError({ subdistrictId: "所选街道不存在" });
  authorize(actor, "territory.manageSubdistricts", path);
  await assertSubdistrictNameFree(path.districtId, values.name, values.subdistrictId);
  return db().$transaction(async (tx) => {
    const subdistrict = await tx.subdistrict.update({
      where: { id: values.subdistrictId },
      data: { name: values.name },
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "territory.subdistrict.rename",
      targetType: "Subdistrict",
      targetId: subdistrict.id,
    });
    return subdistrict;
  });
}

export async function createCommunity(actor: Actor, values: z.output<typeof createCommunitySchema>) {
  const path = await findSubdistrictPath(values.subdistrictId);
  if (!path) throw validationError({ subdistrictId: "所选街道不存在" });
  authorize(actor, "territory.manageCommunities", path);
  await assertCommunityNameFree(values.subdistrictId, values.name);
  return db().$transaction(async (tx) => {
    const community = await tx.community.create({
      data: { subdistrictId: values.subdistrictId, name: values.name, kind: values.kind },
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "territory.community.create",
      targetType: "Community",
      targetId: community.id,
      data: { kind: community.kind },
    });
    return community;
  });
}

export async function updateCommunity(actor: Actor, values: z.output<typeof updateCommunitySchema>) {
  const path = await findCommunityPath(values.communityId);
  if (!path) throw validationError({ communityId: "所选社区不存在" });
  authorize(actor, "territory.manageCommunities", path);
  await assertCommunityNameFree(path.subdistrictId, values.name, values.communityId);
  return db().$transaction(async (tx) => {
    const community = await tx.community.update({
      where: { id: values.communityId },
      data: { name: values.name, kind: values.kind },
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "territory.community.update",
      targetType: "Community",
      targetId: community.id,
      data: { kind: community.kind },
    });
    return community;
  });
}

// Checked before writing so the user gets a field error; the unique index still guards races.
async function assertSubdistrictNameFree(districtId: string, name: string, exceptId?: string) {
  const clash = await db().subdistrict.findFirst({
    where: { districtId, name, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw conflict("该区已有同名街道", { name: "该区已有同名街道" });
}

async function assertCommunityNameFree(subdistrictId: string, name: string, exceptId?: string) {
  const clash = await db().community.findFirst({
    where: { subdistrictId, name, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw conflict("该街道已有同名社区", { name: "该街道已有同名社区" });
}

/** Every territory node an actor's staff roles reach, expanded down the tree (for scoping lists). */
export async function reachableTerritory(actor: Actor) {
  const scope = coveredScope(actor);
  const under = nodesUnder(await getTerritoryTree(), [
    ...scope.districtIds,
    ...scope.subdistrictIds,
    ...scope.communityIds,
  ]);
  return { ...under, districtIds: scope.districtIds };
}

/** Readable names for scope ids ("明湖区 · 东湖街道 · 映月社区"), for showing where a role is held. */
export async function describeScopes(scopeIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(scopeIds)];
  const [communities, subdistricts, districts] = await Promise.all([
    db().community.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        name: true,
        subdistrict: { select: { name: true, district: { select: { name: true } } } },
      },
    }),
    db().subdistrict.findMany({
      where: { id: { in: ids } },
      select: { id: true, name: true, district: { select: { name: true } } },
    }),
    db().district.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
  ]);
  const names = new Map<string, string>();
  for (const c of communities)
    names.set(c.id, `${c.subdistrict.district.name} · ${c.subdistrict.name} · ${c.name}`);
  for (const s of subdistricts) names.set(s.id, `${s.district.name} · ${s.name}`);
  for (const d of districts) names.set(d.id, d.name);
  return names;
}

/** Public headline counts of the territory, for the home page. */
/** The home page's counts, kept in memory between changes. */
export const territoryOverview = cachedPublicRead(
  { tables: ["District", "Subdistrict", "Community", "RoleAssignment"] },
  async () => {
    const [district, subdistricts, byKind, residents] = await Promise.all([
      db().district.findFirst({ orderBy: { createdAt: "asc" }, select: { name: true } }),
      db().subdistrict.count(),
      db().community.groupBy({ by: ["kind"], _count: { _all: true } }),
      db().roleAssignment.count({ where: { role: "RESIDENT" } }),
    ]);
    const count = (kind: "URBAN" | "VILLAGE_CONVERTED") =>
      byKind.find((row) => row.kind === kind)?._count._all ?? 0;
    return {
      districtName: district?.name ?? null,
      subdistricts,
      urbanCommunities: count("URBAN"),
      villageConvertedCommunities: count("VILLAGE_CONVERTED"),
      residents,
    };
  },
);

/** The part of the tree a staff member works in, with what they may change at each node. */
export async function getManagedTerritory(actor: Actor) {
  authorize(actor, "workbench.open", null);
  const tree = await getTerritoryTree();
  return tree.districts
    .map((district) => {
      const districtPath = { districtId: district.id };
      const subdistricts = district.subdistricts
        .map((subdistrict) => {
          const path = { districtId: district.id, subdistrictId: subdistrict.id };
          return {
            ...subdistrict,
            canManage: can(actor, "territory.manageCommunities", path),
            canRename: can(actor, "territory.manageSubdistricts", path),
            canAddAdmin: can(actor, "staff.create", { role: "SUBDISTRICT_ADMIN", at: path }),
            communities: subdistrict.communities
              .filter((community) => can(actor, "territory.view", { ...path, communityId: community.id }))
              .map((community) => ({
                ...community,
                canAddWorker: can(actor, "staff.create", {
                  role: "COMMUNITY_WORKER",
                  at: { ...path, communityId: community.id },
                }),
                canEditServicePhone: can(actor, "community.editServicePhone", {
                  ...path,
                  communityId: community.id,
                }),
              })),
          };
        })
        .filter((subdistrict) => subdistrict.canManage || subdistrict.communities.length > 0);
      return {
        ...district,
        canManage: can(actor, "territory.manageSubdistricts", districtPath),
        subdistricts,
      };
    })
    .filter((district) => district.canManage || district.subdistricts.length > 0);
}
