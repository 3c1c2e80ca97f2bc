import type { MatchSide, MatchStatus, Prisma } from "@prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { conflict, forbidden, notFound, validationError } from "~/lib/errors";
import { ID_PATTERN } from "~/lib/zod";
import { isPublicService } from "~/search/visibility";
import type { Actor } from "../accounts/actor";
import { assertUnderLimit, countAgainstLimit, LIMITS } from "../accounts/throttle.server";
import { recordAudit } from "../audit.server";
import { needTextFor } from "../needs/need-read.server";
import { NEED_STATUS_LABELS, namedNeed } from "../needs/needs.schema";
import { communityStaffIds, notify, providerMemberIds } from "../notifications/notifications.server";
import { recordOutbox } from "../outbox.server";
import { authorize, can } from "../policy";
import { communityPlaceSelect, placeOf } from "../territory/places";
import {
  MATCH_SIDE_LABELS,
  MATCH_STATUS_LABELS,
  type MatchView,
  type ProposeMatchInput,
} from "./matching.schema";
import { ACTIVE, loadNeed, loadService, rankServicesForNeed, servicePaths } from "./suggestions.server";

// The match life cycle (DESIGN §4, ADR 0009): a worker proposes a service for a need or a provider
// offers one, the other side decides: PROPOSED → ACCEPTED | DECLINED | WITHDRAWN; accepting moves the
// need to MATCHED. What to propose comes from suggestions.server.ts.

const matchSelect = {
  id: true,
  needId: true,
  serviceId: true,
  providerId: true,
  status: true,
  proposedBy: true,
  proposedById: true,
  note: true,
  score: true,
  reasons: true,
  declineReason: true,
  createdAt: true,
  decidedAt: true,
  need: {
    select: {
      title: true,
      caseNumber: true,
      requesterId: true,
      communityId: true,
      community: communityPlaceSelect,
    },
  },
  service: { select: { title: true } },
  provider: { select: { name: true } },
} satisfies Prisma.MatchSelect;
type MatchRow = Prisma.MatchGetPayload<{ select: typeof matchSelect }>;

const matchPath = (row: MatchRow) => placeOf(row.need);
const sidesOf = (row: MatchRow) => ({
  communityPath: matchPath(row),
  providerId: row.providerId,
  proposedBy: row.proposedBy,
  proposedById: row.proposedById,
});

/** Accepting or declining is for the other side, and never for the proposer themselves (a staff
 * member who also belongs to the provider, ADR 0017): said plainly rather than as a bare 403. */
function authorizeDecision(actor: Actor, row: MatchRow) {
  if (actor.userId === row.proposedById) {
    throw forbidden("这项对接是您提出的，须由另一方的其他人员确认");
  }
  authorize(actor, "match.decide", sidesOf(row));
}

function toMatchView(actor: Actor, row: MatchRow): MatchView {
  const open = row.status === "PROPOSED";
  return {
    id: row.id,
    needId: row.needId,
    needTitle: needTextFor(
      can(actor, "need.viewContact", {
        requesterId: row.need.requesterId,
        communityPath: matchPath(row),
        matchedProviderIds: row.status === "ACCEPTED" ? [row.providerId] : [],
      }),
      row.need.title,
    ),
    serviceId: row.serviceId,
    serviceTitle: row.service.title,
    providerId: row.providerId,
    providerName: row.provider.name,
    status: row.status,
    statusLabel: MATCH_STATUS_LABELS[row.status],
    proposedBy: row.proposedBy,
    proposedByLabel: MATCH_SIDE_LABELS[row.proposedBy],
    note: can(actor, "match.readNote", { communityPath: matchPath(row), providerId: row.providerId })
      ? row.note
      : null,
    score: row.score,
    reasons: row.reasons,
    declineReason: row.declineReason,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    actions: {
      accept: open && can(actor, "match.decide", sidesOf(row)),
      decline: open && can(actor, "match.decide", sidesOf(row)),
      withdraw: open && can(actor, "match.withdraw", sidesOf(row)),
    },
  };
}

async function loadMatch(id: string): Promise<MatchRow> {
  const row = ID_PATTERN.test(id)
    ? await db().match.findUnique({ where: { id }, select: matchSelect })
    : null;
  if (!row) throw notFound("该对接记录不存在");
  return row;
}

export async function getMatch(actor: Actor, id: string) {
  const row = await loadMatch(id);
  authorize(actor, "match.view", { ...sidesOf(row), requesterId: row.need.requesterId });
  return toMatchView(actor, row);
}

/** Locks the need for the rest of the transaction, so two proposals or acceptances for it take turns. */
async function lockNeed(tx: Tx, needId: string) {
  await tx.$queryRaw`SELECT id FROM "Need" WHERE id = ${needId} FOR UPDATE`;
  const need = await tx.need.findUnique({ where: { id: needId }, select: { status: true, version: true } });
  if (!need) throw notFound("该需求不存在或已被删除");
  return need;
}

/** A worker proposes a service for a need, or a provider offers one of its services (ADR 0009). */
export async function proposeMatch(actor: Actor, input: ProposeMatchInput): Promise<MatchView> {
  const [need, service] = await Promise.all([loadNeed(input.needId), loadService(input.serviceId)]);
  const communityPath = placeOf(need);
  const asStaff = { communityPath, providerId: service.providerId, side: "STAFF" as const };
  const side: MatchSide = can(actor, "match.propose", asStaff) ? "STAFF" : "PROVIDER";
  authorize(actor, "match.propose", { ...asStaff, side });
  await assertUnderLimit(LIMITS.matchProposePerUser, actor.userId);
  if (!isPublicService(service)) {
    throw conflict("该服务尚未发布或机构暂停服务，不能对接");
  }
  if (!service.communities.some((c) => c.community.subdistrictId === need.community.subdistrictId)) {
    throw validationError({ serviceId: "该服务不覆盖需求所在的街道" });
  }
  const ranked = (await rankServicesForNeed(need, Number.MAX_SAFE_INTEGER)).find(
    (s) => s.service.id === service.id,
  );

  const id = await db().$transaction(async (tx) => {
    const current = await lockNeed(tx, need.id);
    if (current.status !== "OPEN") {
      throw conflict(`该需求当前“${NEED_STATUS_LABELS[current.status]}”，不能再对接服务`);
    }
    const existing = await tx.match.findFirst({
      where: { needId: need.id, serviceId: service.id, status: { in: ACTIVE } },
      select: { id: true },
    });
    if (existing) throw conflict("这项服务已与该需求对接，请等待对方回复");
    const match = await tx.match.create({
      data: {
        needId: need.id,
        serviceId: service.id,
        providerId: service.providerId,
        proposedBy: side,
        proposedById: actor.userId,
        note: input.note ?? null,
        score: ranked?.score ?? null,
        reasons: ranked?.reasons ?? [],
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "match.propose",
      targetType: "Match",
      targetId: match.id,
      data: { needId: need.id, serviceId: service.id, side },
    });
    await notify(
      tx,
      side === "STAFF"
        ? {
            userIds: await providerMemberIds(tx, service.providerId),
            kind: "match.proposed",
            title: "收到服务对接邀请",
            body: `${need.community.name}的需求${namedNeed(needTextFor(false, need.title), need.caseNumber)}希望由您的服务“${service.title}”承接，请尽快回复。`,
            link: `/me/providers/${service.providerId}`,
            dedupeKey: `match.proposed:${match.id}`,
          }
        : {
            userIds: await communityStaffIds(tx, need.communityId),
            kind: "match.offered",
            title: "服务机构主动接单",
            body: `“${service.provider.name}”愿以“${service.title}”承接需求${namedNeed(need.title, need.caseNumber)}，请确认。`,
            link: `/needs/${need.id}`,
            dedupeKey: `match.offered:${match.id}`,
          },
    );
    if (side === "STAFF") {
      // 社区已受理: told once, however many providers the worker asks.
      await notify(tx, {
        userIds: [need.requesterId],
        kind: "need.accepted",
        title: "社区已受理您的需求",
        body: `社区工作人员已受理您的需求${namedNeed(need.title, need.caseNumber)}，正在为您联系服务机构。`,
        link: `/needs/${need.id}`,
        dedupeKey: `need.accepted:${need.id}`,
      });
    }
    return match.id;
  });
  await countAgainstLimit(LIMITS.matchProposePerUser, actor.userId);
  return getMatch(actor, id);
}

/** The deciding side accepts: the need becomes MATCHED and its other proposals are withdrawn. */
export async function acceptMatch(actor: Actor, id: string): Promise<MatchView> {
  const row = await loadMatch(id);
  authorizeDecision(actor, row);
  await db().$transaction(async (tx) => {
    const need = await lockNeed(tx, row.needId);
    const current = await tx.match.findUnique({ where: { id }, select: { status: true } });
    if (current?.status !== "PROPOSED") {
      throw conflict(`该对接${MATCH_STATUS_LABELS[current?.status ?? "WITHDRAWN"]}，不能再接受`);
    }
    if (need.status !== "OPEN") {
      throw conflict(`该需求当前“${NEED_STATUS_LABELS[need.status]}”，不能再接受对接`);
    }
    const decidedAt = new Date();
    await tx.match.update({
      where: { id },
      data: { status: "ACCEPTED", decidedById: actor.userId, decidedAt },
    });
    await tx.match.updateMany({
      where: { needId: row.needId, status: "PROPOSED", id: { not: id } },
      data: { status: "WITHDRAWN", decidedAt },
    });
    const version = need.version + 1;
    await tx.need.update({
      where: { id: row.needId },
      data: { status: "MATCHED", matchedAt: decidedAt, version },
    });
    await recordOutbox(tx, "Need", row.needId, version);
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "match.accept",
      targetType: "Match",
      targetId: id,
      data: { needId: row.needId, serviceId: row.serviceId },
    });
    await notify(tx, {
      userIds: row.proposedBy === "STAFF" ? [row.proposedById] : await providerMemberIds(tx, row.providerId),
      kind: "match.accepted",
      title: row.proposedBy === "STAFF" ? "对接已被接受" : "您的接单已确认",
      body: `“${row.provider.name}”将以“${row.service.title}”承接需求${namedNeed(row.need.title, row.need.caseNumber)}。`,
      link: row.proposedBy === "STAFF" ? `/needs/${row.needId}` : `/me/providers/${row.providerId}`,
      dedupeKey: `match.accepted:${id}`,
    });
    await notify(tx, {
      userIds: [row.need.requesterId],
      kind: "need.matched",
      title: "您的需求已有机构承接",
      body: `您的需求${namedNeed(row.need.title, row.need.caseNumber)}将由“${row.provider.name}”提供“${row.service.title}”，工作人员或机构会与您联系。`,
      link: `/needs/${row.needId}`,
      dedupeKey: `need.matched:${id}`,
    });
  });
  return getMatch(actor, id);
}

async function closeProposal(
  actor: Actor,
  row: MatchRow,
  change: { status: "DECLINED" | "WITHDRAWN"; reason?: string },
) {
  await db().$transaction(async (tx) => {
    const { count } = await tx.match.updateMany({
      where: { id: row.id, status: "PROPOSED" },
      data: {
        status: change.status,
        decidedById: actor.userId,
        decidedAt: new Date(),
        declineReason: change.reason ?? null,
      },
    });
    if (count === 0) throw conflict("该对接已有结果，不能再更改");
    await recordAudit(tx, {
      actorId: actor.userId,
      action: change.status === "DECLINED" ? "match.decline" : "match.withdraw",
      targetType: "Match",
      targetId: row.id,
      data: { needId: row.needId, serviceId: row.serviceId },
    });
    if (change.status === "DECLINED") {
      await notify(tx, {
        userIds:
          row.proposedBy === "STAFF" ? [row.proposedById] : await providerMemberIds(tx, row.providerId),
        kind: "match.declined",
        title: "对接未被接受",
        body: `需求${namedNeed(row.need.title, row.need.caseNumber)}与服务“${row.service.title}”的对接未被接受${change.reason ? `：${change.reason}` : "。"}`,
        link: row.proposedBy === "STAFF" ? `/needs/${row.needId}` : `/me/providers/${row.providerId}`,
        dedupeKey: `match.declined:${row.id}`,
      });
    }
  });
  return getMatch(actor, row.id);
}

export async function declineMatch(actor: Actor, id: string, values: { reason?: string }) {
  const row = await loadMatch(id);
  authorizeDecision(actor, row);
  return closeProposal(actor, row, { status: "DECLINED", reason: values.reason });
}

export async function withdrawMatch(actor: Actor, id: string) {
  const row = await loadMatch(id);
  authorize(actor, "match.withdraw", sidesOf(row));
  return closeProposal(actor, row, { status: "WITHDRAWN" });
}

/** The matches of a need (its requester and staff in scope) or of a provider (its people and staff
 * covering it), newest first. */
export async function listMatches(
  actor: Actor,
  query: { needId?: string; providerId?: string; status?: MatchStatus },
): Promise<MatchView[]> {
  if (query.needId) {
    const need = await loadNeed(query.needId);
    authorize(actor, "match.suggestForNeed", {
      requesterId: need.requesterId,
      communityPath: placeOf(need),
    });
  } else {
    const provider = await db().provider.findUnique({
      where: { id: query.providerId ?? "" },
      select: { communities: { select: { communityId: true, community: communityPlaceSelect } } },
    });
    if (!provider) throw notFound("该机构不存在");
    authorize(actor, "match.suggestForProvider", {
      providerId: query.providerId ?? "",
      paths: servicePaths(provider),
    });
  }
  const rows = await db().match.findMany({
    where: {
      ...(query.needId ? { needId: query.needId } : { providerId: query.providerId }),
      ...(query.status ? { status: query.status } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
    select: matchSelect,
  });
  return rows.map((row) => toMatchView(actor, row));
}
