import type { Prisma } from "@prisma/client";
import { db } from "~/lib/db.server";
import { notFound } from "~/lib/errors";
import type { Paging } from "~/lib/paging";
import { z } from "~/lib/zod";
import { type Actor, isStaff } from "../accounts/actor";
import { authorize, can } from "../policy";
import { reachableTerritory } from "../territory/territory.server";
import {
  type DirectoryQuery,
  type MyProvider,
  PROVIDER_STATUSES,
  type ProviderDetail,
  type ProviderHistoryEntry,
  type ProviderListQuery,
} from "./providers.schema";

import {
  addedPathsOf,
  findProvider,
  isMember,
  isOnlyOwner,
  pathsOf,
  storedChangeOf,
  summarySelect,
  toDetail,
  toSummary,
} from "./rows.server";
// What pages and the API read about providers: one provider, the staff list (the review queue),
// the public directory, a person's own providers and the workspace with its history.

/** Approved providers are public; any other status only for its members and staff in scope. */
export async function getProvider(actor: Actor | null, id: string): Promise<ProviderDetail> {
  const row = await findProvider(id);
  const isPrivate = can(actor, "provider.viewPrivate", { providerId: row.id, paths: pathsOf(row) });
  if (row.status !== "APPROVED" && !isPrivate) throw notFound("该机构不存在");
  return toDetail(row, isPrivate);
}

async function pageOfProviders(
  where: Prisma.ProviderWhereInput,
  orderBy: Prisma.ProviderOrderByWithRelationInput[],
  paging: Paging,
) {
  const [rows, total] = await Promise.all([
    db().provider.findMany({
      where,
      orderBy,
      skip: (paging.page - 1) * paging.pageSize,
      take: paging.pageSize,
      select: summarySelect,
    }),
    db().provider.count({ where }),
  ]);
  return { items: rows.map(toSummary), total, page: paging.page, pageSize: paging.pageSize };
}

/** Staff see the providers serving a community in their reach, newest application first: this is
 * also the review queue (status=PENDING). */
export async function listProviders(actor: Actor, query: ProviderListQuery) {
  authorize(actor, "workbench.open", null);
  const reach = await reachableTerritory(actor);
  const communityIds = query.communityId
    ? reach.communityIds.filter((communityId) => communityId === query.communityId)
    : reach.communityIds;
  return pageOfProviders(
    {
      // A pending change is also for the staff of the communities it would add (ADR 0017).
      OR: [
        { communities: { some: { communityId: { in: communityIds } } } },
        { pendingCommunityIds: { hasSome: communityIds } },
      ],
      ...(query.changePending ? { pendingChangeAt: { not: null } } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
    },
    [{ submittedAt: "desc" }, { id: "desc" }],
    query,
  );
}

/** The public directory (组织): approved providers only, most recently approved first. */
export function listDirectory(query: DirectoryQuery) {
  const place = {
    ...(query.communityId ? { communityId: query.communityId } : {}),
    ...(query.subdistrictId ? { community: { subdistrictId: query.subdistrictId } } : {}),
  };
  return pageOfProviders(
    {
      status: "APPROVED",
      ...(query.kind ? { kind: query.kind } : {}),
      ...(Object.keys(place).length > 0 ? { communities: { some: place } } : {}),
    },
    [{ reviewedAt: "desc" }, { id: "asc" }],
    query,
  );
}

/** The providers the actor belongs to, whatever their status, with the reviewer's latest reason. */
export async function listMyProviders(actor: Actor): Promise<MyProvider[]> {
  const rows = await db().providerMember.findMany({
    where: { userId: actor.userId },
    orderBy: { createdAt: "desc" },
    select: { role: true, provider: { select: summarySelect } },
  });
  return rows.map((row) => ({ ...toSummary(row.provider), myRole: row.role }));
}

const auditDataSchema = z.object({
  role: z.string().nullable().optional(),
  to: z.enum(PROVIDER_STATUSES).nullable().optional(),
  conflictOfInterest: z.boolean().optional(),
});

/** Everything its members and the staff in scope may do with a provider, with its audit history:
 * what the dashboard and the review page show. */
export async function getProviderWorkspace(actor: Actor, id: string) {
  const row = await findProvider(id);
  const paths = pathsOf(row);
  authorize(actor, "provider.viewPrivate", { providerId: row.id, paths });
  const entries = await db().auditLog.findMany({
    where: { targetType: "Provider", targetId: row.id },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, action: true, createdAt: true, data: true },
  });
  const history: ProviderHistoryEntry[] = entries.map((entry) => {
    const data = auditDataSchema.safeParse(entry.data);
    return {
      id: entry.id,
      action: entry.action,
      at: entry.createdAt.toISOString(),
      role: data.success ? (data.data.role ?? null) : null,
      to: data.success ? (data.data.to ?? null) : null,
      conflictOfInterest: data.success && data.data.conflictOfInterest === true,
    };
  });
  const conflictOfInterest = isMember(actor, row);
  const change = storedChangeOf(row);
  const addedPaths = await addedPathsOf(change);
  return {
    provider: toDetail(row, true),
    history,
    conflictOfInterest: conflictOfInterest && isStaff(actor),
    can: {
      edit: can(actor, "provider.edit", { providerId: row.id }),
      manageServices: can(actor, "service.manage", { providerId: row.id }),
      invite: can(actor, "provider.invite", { providerId: row.id }) && row.status === "APPROVED",
      leave: can(actor, "provider.leave", { providerId: row.id }) && !isOnlyOwner(actor, row),
      review: can(actor, "provider.review", { paths, conflictOfInterest }),
      suspend: can(actor, "provider.suspend", { paths }),
      reviewChange:
        change !== null && can(actor, "provider.reviewChange", { paths, addedPaths, conflictOfInterest }),
    },
  };
}
