import { Prisma, type ProviderStatus } from "@prisma/client";
import type { Tx } from "~/lib/db.server";
import { conflict, forbidden } from "~/lib/errors";
import type { Actor } from "../accounts/actor";
import { namedNeed } from "../needs/needs.schema";
import { communityStaffIds, notify } from "../notifications/notifications.server";
import { authorize, can } from "../policy";
import { PROVIDER_STATUS_LABELS, type ProviderDetail } from "./providers.schema";

import {
  addedPathsOf,
  assertUsccFree,
  type Change,
  findProvider,
  isMember,
  pathsOf,
  staffRoleAt,
  storedChangeOf,
  writeChange,
} from "./rows.server";
// Staff decisions about a provider: review an application or a pending change, suspend and
// restore. A member of the provider decides only from an admin's scope, and the audit says so.

/** Staff approve or reject a pending change. Added communities are reviewed by staff whose scope
 * covers every one of them (ADR 0017); a change without additions by staff covering the provider. */
export async function reviewProviderChange(
  actor: Actor,
  id: string,
  values: { decision: "APPROVE" | "REJECT"; reason?: string },
): Promise<ProviderDetail> {
  const row = await findProvider(id);
  const change = storedChangeOf(row);
  const paths = pathsOf(row);
  const addedPaths = await addedPathsOf(change);
  const conflictOfInterest = isMember(actor, row);
  authorizeDespiteConflict(actor, "provider.reviewChange", { paths, addedPaths, conflictOfInterest });
  if (!change) throw conflict("该机构没有待审核的变更");
  const approve = values.decision === "APPROVE";
  if (approve && change.uscc !== undefined) await assertUsccFree(change.uscc, row.id);
  const owners = row.members.filter((member) => member.role === "OWNER").map((member) => member.userId);
  return writeChange(actor, row, {
    action: approve ? "provider.change.approve" : "provider.change.reject",
    role: staffRoleAt(actor, [...paths, ...addedPaths]),
    to: row.status,
    data: {
      ...(approve ? { kind: change.kind, name: change.name, uscc: change.uscc } : {}),
      pendingChange: Prisma.DbNull,
      pendingChangeAt: null,
      pendingCommunityIds: [],
    },
    communityIds: approve ? change.communityIds : undefined,
    conflictOfInterest,
    alsoInTx: async (tx) => {
      await notify(tx, {
        userIds: owners,
        kind: approve ? "provider.change.approved" : "provider.change.rejected",
        title: approve ? "机构信息变更已通过审核" : "机构信息变更未通过审核",
        body: approve
          ? `“${change.name ?? row.name}”的变更已生效。`
          : `“${row.name}”的变更未通过${values.reason ? `：${values.reason}` : "。"}机构仍按原信息服务。`,
        link: `/me/providers/${row.id}`,
        dedupeKey: `provider.change.${approve ? "approved" : "rejected"}:${row.id}:${row.version}`,
      });
      return {};
    },
  });
}

const CONFLICT_REFUSED = "您是该机构的成员，不能审核或处理自己所在的机构，请由街道或区管理员处理";

/** A member of the provider who would otherwise be allowed is told why not (the policy's conflict
 * rule), rather than getting a bare refusal. */
function authorizeDespiteConflict<A extends "provider.review" | "provider.reviewChange">(
  actor: Actor,
  action: A,
  resource: Parameters<typeof authorize<A>>[2],
) {
  if (resource.conflictOfInterest && !can(actor, action, resource)) {
    if (can(actor, action, { ...resource, conflictOfInterest: false })) throw forbidden(CONFLICT_REFUSED);
  }
  authorize(actor, action, resource);
}

/** What a decision needs the provider's status to be, and what it says when it is not. */
const WRONG_STATUS = {
  PENDING: "只能审核待审核的申请",
  APPROVED: "只能暂停已通过的机构",
  SUSPENDED: "只能恢复已暂停的机构",
} satisfies Partial<Record<ProviderStatus, string>>;

type Decision = {
  action: string;
  /** The only status the decision applies to. */
  from: keyof typeof WRONG_STATUS;
  to: ProviderStatus;
  reason: string | null;
  alsoInTx?: Change["alsoInTx"];
};

async function decide(
  actor: Actor,
  id: string,
  permission: "provider.review" | "provider.suspend",
  decision: Decision,
) {
  const row = await findProvider(id);
  const paths = pathsOf(row);
  const conflictOfInterest = isMember(actor, row);
  if (permission === "provider.review") {
    authorizeDespiteConflict(actor, permission, { paths, conflictOfInterest });
  } else authorize(actor, permission, { paths });
  if (row.status !== decision.from) {
    throw conflict(`${WRONG_STATUS[decision.from]}（当前状态：${PROVIDER_STATUS_LABELS[row.status]}）`);
  }
  return writeChange(actor, row, {
    action: decision.action,
    role: staffRoleAt(actor, paths),
    to: decision.to,
    data: {
      statusReason: decision.reason,
      ...(permission === "provider.review" ? { reviewedAt: new Date(), reviewedById: actor.userId } : {}),
    },
    conflictOfInterest,
    alsoInTx: decision.alsoInTx,
  });
}

/** Staff whose scope covers one of the provider's communities approve or reject (with a reason the
 * applicant sees). */
export function reviewProvider(
  actor: Actor,
  id: string,
  values: { decision: "APPROVE" | "REJECT"; reason?: string },
): Promise<ProviderDetail> {
  return decide(
    actor,
    id,
    "provider.review",
    values.decision === "APPROVE"
      ? { action: "provider.approve", from: "PENDING", to: "APPROVED", reason: null }
      : { action: "provider.reject", from: "PENDING", to: "REJECTED", reason: values.reason || null },
  );
}

/** Admins in scope take an approved provider off the platform for a while, with a reason. */
export function suspendProvider(actor: Actor, id: string, values: { reason: string }) {
  return decide(actor, id, "provider.suspend", {
    action: "provider.suspend",
    from: "APPROVED",
    to: "SUSPENDED",
    reason: values.reason,
    alsoInTx: (tx) => stopActingFor(tx, id),
  });
}

/** A suspended provider does nothing (ADR 0017): its open proposals are withdrawn, and the staff of
 * each community where it organises a coming activity are told, so they decide what becomes of it. */
async function stopActingFor(tx: Tx, providerId: string) {
  const now = new Date();
  const provider = await tx.provider.findUniqueOrThrow({ where: { id: providerId }, select: { name: true } });
  const proposals = await tx.match.findMany({
    where: { providerId, status: "PROPOSED" },
    select: { id: true, need: { select: { id: true, title: true, caseNumber: true, communityId: true } } },
  });
  await tx.match.updateMany({
    where: { id: { in: proposals.map((p) => p.id) } },
    data: { status: "WITHDRAWN", decidedAt: now },
  });
  for (const { id, need } of proposals) {
    await notify(tx, {
      userIds: await communityStaffIds(tx, need.communityId),
      kind: "match.withdrawn",
      title: "机构已暂停，对接已撤回",
      body: `“${provider.name}”已被暂停，需求${namedNeed(need.title, need.caseNumber)}的对接已撤回，请重新为该需求寻找服务。`,
      link: `/needs/${need.id}`,
      dedupeKey: `match.withdrawn:${id}`,
    });
  }
  const activities = await tx.activity.findMany({
    where: {
      status: { in: ["DRAFT", "PUBLISHED", "ONGOING"] },
      OR: [{ providerId }, { providers: { some: { providerId } } }],
    },
    select: { id: true, title: true, communityId: true },
  });
  for (const activity of activities) {
    await notify(tx, {
      userIds: await communityStaffIds(tx, activity.communityId),
      kind: "activity.providerSuspended",
      title: "活动的组织机构已暂停",
      body: `“${provider.name}”已被暂停，不能再管理活动“${activity.title}”（签到、报名名单等）。请决定由社区接手还是取消。`,
      link: `/activities/${activity.id}`,
      dedupeKey: `activity.providerSuspended:${activity.id}:${providerId}:${now.getTime()}`,
    });
  }
  return { withdrawnProposals: proposals.length, activitiesFlagged: activities.length };
}

export function restoreProvider(actor: Actor, id: string) {
  return decide(actor, id, "provider.suspend", {
    action: "provider.restore",
    from: "SUSPENDED",
    to: "APPROVED",
    reason: null,
  });
}
