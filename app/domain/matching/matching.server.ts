import type { MatchSide, MatchStatus, Prisma } from "@prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { conflict, forbidden, notFound, validationError } from "~/lib/errors";
import { ID_PATTERN } from "~/lib/zod";
import type { SearchEngine } from "~/search/engine";
import { searchEngine } from "~/search/engines.server";
import { isPublicService, publicServices } from "~/search/visibility";
import type { Actor } from "../accounts/actor";
import { assertUnderLimit, countAgainstLimit, LIMITS } from "../accounts/throttle.server";
import { recordAudit } from "../audit.server";
import { categoryName } from "../catalog/categories";
import { NEED_STATUS_LABELS } from "../needs/needs.schema";
import { needTextFor } from "../needs/needs.server";
import { communityStaffIds, notify, providerMemberIds } from "../notifications/notifications.server";
import { recordOutbox } from "../outbox.server";
import { authorize, can, type TerritoryPath } from "../policy";
import { communityPlaceSelect, placeOf } from "../territory/places";
import {
  MATCH_SIDE_LABELS,
  MATCH_STATUS_LABELS,
  type MatchView,
  type NeedSuggestion,
  type ProposeMatchInput,
  type ServiceSuggestion,
} from "./matching.schema";
import { fits, type MatchFeatures, scoreMatch } from "./ranking";

// Matching needs and services (DESIGN §5): candidates come from the search engine (the need's text,
// any word, within the need's subdistrict; plus every service of the same category there), are
// confirmed against PostgreSQL and re-ranked with the named weights of ranking.ts. The reverse
// (open needs for a service or provider) is the same scoring from the other side. Proposals follow
// the life cycle PROPOSED → ACCEPTED | DECLINED | WITHDRAWN; accepting moves the need to MATCHED.

/** How many candidates each engine query brings back before re-ranking. */
const CANDIDATES = 60;
const WEEK_MS = 7 * 24 * 3600 * 1000;
const ACTIVE: MatchStatus[] = ["PROPOSED", "ACCEPTED"];

/** The need as matching reads it (also how the benchmark loads needs to rank). */
export const rankedNeedSelect = {
  id: true,
  title: true,
  description: true,
  category: true,
  status: true,
  urgency: true,
  communityId: true,
  requesterId: true,
  version: true,
  createdAt: true,
  community: communityPlaceSelect,
} satisfies Prisma.NeedSelect;
type NeedRow = Prisma.NeedGetPayload<{ select: typeof rankedNeedSelect }>;

const serviceSelect = {
  id: true,
  title: true,
  description: true,
  category: true,
  funding: true,
  status: true,
  capacityPerWeek: true,
  providerId: true,
  provider: { select: { id: true, name: true, kind: true, status: true } },
  communities: { select: { communityId: true, community: communityPlaceSelect } },
} satisfies Prisma.ServiceSelect;
type ServiceRow = Prisma.ServiceGetPayload<{ select: typeof serviceSelect }>;

const servicePaths = (service: Pick<ServiceRow, "communities">): TerritoryPath[] =>
  service.communities.map(placeOf);

async function loadNeed(id: string): Promise<NeedRow> {
  const row = ID_PATTERN.test(id)
    ? await db().need.findUnique({ where: { id }, select: rankedNeedSelect })
    : null;
  if (!row) throw notFound("该需求不存在或已被删除");
  return row;
}

async function loadService(id: string): Promise<ServiceRow> {
  const row = ID_PATTERN.test(id)
    ? await db().service.findUnique({ where: { id }, select: serviceSelect })
    : null;
  if (!row) throw notFound("该服务不存在或已下架");
  return row;
}

/** Fulfilled matches and the average rating residents gave them, per provider. */
async function providerRecords(providerIds: readonly string[]) {
  const records = new Map<string, MatchFeatures["record"]>();
  if (!providerIds.length) return records;
  const rows = await db().$queryRaw<{ providerId: string; fulfilled: bigint; rating: number | null }[]>`
    SELECT m."providerId", count(*) AS fulfilled, avg(n.rating)::float8 AS rating
    FROM "Match" m JOIN "Need" n ON n.id = m."needId"
    WHERE m.status = 'ACCEPTED' AND n.status = 'FULFILLED' AND m."providerId" = ANY(${[...providerIds]}::text[])
    GROUP BY m."providerId"`;
  for (const row of rows) {
    records.set(row.providerId, { fulfilled: Number(row.fulfilled), averageRating: row.rating });
  }
  return records;
}

/** Seats left this week: weekly capacity minus matches accepted in the last seven days. */
async function spareCapacity(services: readonly Pick<ServiceRow, "id" | "capacityPerWeek">[]) {
  const limited = services.filter((s) => s.capacityPerWeek !== null);
  const taken = limited.length
    ? await db().match.groupBy({
        by: ["serviceId"],
        where: {
          serviceId: { in: limited.map((s) => s.id) },
          status: "ACCEPTED",
          decidedAt: { gte: new Date(Date.now() - WEEK_MS) },
        },
        _count: { _all: true },
      })
    : [];
  const takenBy = new Map(taken.map((t) => [t.serviceId, t._count._all]));
  return new Map(
    services.map((s) => [
      s.id,
      s.capacityPerWeek === null ? null : s.capacityPerWeek - (takenBy.get(s.id) ?? 0),
    ]),
  );
}

/** Engine scores by id: text matches (any word) and, with score 0, everything of the category. */
async function candidateScores(
  engine: SearchEngine,
  type: "service" | "need",
  text: string,
  category: string,
  filters: Parameters<SearchEngine["search"]>[0]["filters"],
) {
  const base = { type, filters, facets: [], offset: 0, limit: CANDIDATES, count: false } as const;
  const [byText, byCategory] = await Promise.all([
    engine.search({ ...base, text, match: "any" }),
    engine.search({ ...base, text: "", match: "all", filters: { ...filters, category: [category] } }),
  ]);
  const scores = new Map<string, number>();
  for (const hit of byCategory.hits) scores.set(hit.id, 0);
  for (const hit of byText.hits) scores.set(hit.id, hit.score);
  const best = Math.max(0, ...scores.values());
  return {
    scores,
    relative: (id: string) => (best > 0 ? (scores.get(id) ?? 0) / best : 0),
    content: (id: string) => Math.min(1, scores.get(id) ?? 0),
  };
}

const activeMatchKeys = async (where: Prisma.MatchWhereInput) =>
  new Set(
    (
      await db().match.findMany({
        where: { ...where, status: { in: ACTIVE } },
        select: { needId: true, serviceId: true },
      })
    ).map((m) => `${m.needId}:${m.serviceId}`),
  );

/** Services for a need, best first, each with its reasons. No authorization: callers check it. */
export async function rankServicesForNeed(
  need: NeedRow,
  limit: number,
  engine: SearchEngine = searchEngine(),
): Promise<ServiceSuggestion[]> {
  const { scores, relative, content } = await candidateScores(
    engine,
    "service",
    `${need.title} ${need.description}`,
    need.category,
    { subdistrictId: [need.community.subdistrictId] },
  );
  // The index may lag a change by a moment: PostgreSQL decides what is still on offer.
  const services = await db().service.findMany({
    where: publicServices({
      id: { in: [...scores.keys()] },
      communities: { some: { community: { subdistrictId: need.community.subdistrictId } } },
    }),
    select: serviceSelect,
  });
  const [records, spare, proposed] = await Promise.all([
    providerRecords([...new Set(services.map((s) => s.providerId))]),
    spareCapacity(services),
    activeMatchKeys({ needId: need.id }),
  ]);
  return services
    .filter((service) =>
      fits({ content: content(service.id), sameCategory: service.category === need.category }),
    )
    .map((service) => {
      const { score, reasons } = scoreMatch({
        text: relative(service.id),
        content: content(service.id),
        sameCategory: service.category === need.category,
        servesCommunity: service.communities.some((c) => c.communityId === need.communityId),
        record: records.get(service.providerId) ?? { fulfilled: 0, averageRating: null },
        spareThisWeek: spare.get(service.id) ?? null,
      });
      return {
        service: {
          id: service.id,
          title: service.title,
          category: service.category,
          categoryName: categoryName(service.category),
          funding: service.funding,
          capacityPerWeek: service.capacityPerWeek,
          communityIds: service.communities.map((c) => c.communityId),
        },
        provider: service.provider,
        score,
        reasons,
        proposed: proposed.has(`${need.id}:${service.id}`),
      };
    })
    .sort((a, b) => b.score - a.score || a.service.id.localeCompare(b.service.id))
    .slice(0, limit);
}

/** The same, by need id (the job, tests and benchmarks). */
export async function rankServicesForNeedId(
  needId: string,
  limit: number,
  engine: SearchEngine = searchEngine(),
) {
  return rankServicesForNeed(await loadNeed(needId), limit, engine);
}

/** Open needs for the given services of one provider, best first; a need fitting several services
 * is listed once, with the service that fits it best. */
async function rankNeedsForServices(
  services: readonly ServiceRow[],
  limit: number,
  engine: SearchEngine = searchEngine(),
): Promise<NeedSuggestion[]> {
  const best = new Map<string, NeedSuggestion>();
  const [records, spare] = await Promise.all([
    providerRecords([...new Set(services.map((s) => s.providerId))]),
    spareCapacity(services),
  ]);
  for (const service of services) {
    const communityIds = service.communities.map((c) => c.communityId);
    if (!communityIds.length) continue;
    const { scores, relative, content } = await candidateScores(
      engine,
      "need",
      `${service.title} ${service.description}`,
      service.category,
      { communityId: communityIds, status: ["OPEN"] },
    );
    const [needs, proposed] = await Promise.all([
      db().need.findMany({
        where: { id: { in: [...scores.keys()] }, status: "OPEN", communityId: { in: communityIds } },
        select: rankedNeedSelect,
      }),
      activeMatchKeys({ serviceId: service.id }),
    ]);
    for (const need of needs) {
      const sameCategory = need.category === service.category;
      if (!fits({ content: content(need.id), sameCategory })) continue;
      const { score, reasons } = scoreMatch({
        text: relative(need.id),
        content: content(need.id),
        sameCategory: need.category === service.category,
        servesCommunity: true,
        record: records.get(service.providerId) ?? { fulfilled: 0, averageRating: null },
        spareThisWeek: spare.get(service.id) ?? null,
      });
      const previous = best.get(need.id);
      if (previous && previous.score >= score) continue;
      best.set(need.id, {
        need: {
          id: need.id,
          // Suggested to a provider, who may not contact the requester yet.
          title: needTextFor(false, need.title),
          category: need.category,
          categoryName: categoryName(need.category),
          communityId: need.communityId,
          communityName: need.community.name,
          urgency: need.urgency,
          createdAt: need.createdAt.toISOString(),
        },
        service: { id: service.id, title: service.title },
        offerable: [],
        score,
        reasons,
        proposed: proposed.has(`${need.id}:${service.id}`),
      });
    }
  }
  for (const suggestion of best.values()) {
    const serving = services.filter((s) =>
      s.communities.some((c) => c.communityId === suggestion.need.communityId),
    );
    suggestion.offerable = [
      suggestion.service,
      ...serving.filter((s) => s.id !== suggestion.service.id).map((s) => ({ id: s.id, title: s.title })),
    ];
  }
  const urgency = { HIGH: 0, NORMAL: 1, LOW: 2 } as const;
  return [...best.values()]
    .sort(
      (a, b) =>
        b.score - a.score ||
        urgency[a.need.urgency] - urgency[b.need.urgency] ||
        b.need.createdAt.localeCompare(a.need.createdAt),
    )
    .slice(0, limit);
}

/** GET /needs/:id/matches: for the requester and staff in scope. */
export async function suggestServicesForNeed(actor: Actor, needId: string, limit: number) {
  const need = await loadNeed(needId);
  authorize(actor, "match.suggestForNeed", { requesterId: need.requesterId, communityPath: placeOf(need) });
  if (need.status !== "OPEN") return [];
  return rankServicesForNeed(need, limit);
}

/** GET /services/:id/matches: for the provider's people and staff covering the service. */
export async function suggestNeedsForService(actor: Actor, serviceId: string, limit: number) {
  const service = await loadService(serviceId);
  authorize(actor, "match.suggestForProvider", {
    providerId: service.providerId,
    paths: servicePaths(service),
  });
  if (!isPublicService(service)) return [];
  return rankNeedsForServices([service], limit);
}

/** The provider dashboard's suggested needs, over all its published services. */
export async function suggestNeedsForProvider(actor: Actor, providerId: string, limit: number) {
  const services = ID_PATTERN.test(providerId)
    ? await db().service.findMany({
        where: publicServices({ providerId }),
        select: serviceSelect,
        orderBy: { publishedAt: "desc" },
        take: 20,
      })
    : [];
  const provider = await db().provider.findUnique({
    where: { id: ID_PATTERN.test(providerId) ? providerId : "" },
    select: { communities: { select: { communityId: true, community: communityPlaceSelect } } },
  });
  if (!provider) throw notFound("该机构不存在");
  authorize(actor, "match.suggestForProvider", { providerId, paths: servicePaths(provider) });
  return rankNeedsForServices(services, limit);
}

// The match life cycle.

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
  need: { select: { title: true, requesterId: true, communityId: true, community: communityPlaceSelect } },
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
    note: row.note,
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
            body: `${need.community.name}的需求“${needTextFor(false, need.title)}”希望由您的服务“${service.title}”承接，请尽快回复。`,
            link: `/me/providers/${service.providerId}`,
            dedupeKey: `match.proposed:${match.id}`,
          }
        : {
            userIds: await communityStaffIds(tx, need.communityId),
            kind: "match.offered",
            title: "服务机构主动接单",
            body: `“${service.provider.name}”愿以“${service.title}”承接需求“${need.title}”，请确认。`,
            link: `/needs/${need.id}`,
            dedupeKey: `match.offered:${match.id}`,
          },
    );
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
      body: `“${row.provider.name}”将以“${row.service.title}”承接需求“${row.need.title}”。`,
      link: row.proposedBy === "STAFF" ? `/needs/${row.needId}` : `/me/providers/${row.providerId}`,
      dedupeKey: `match.accepted:${id}`,
    });
    await notify(tx, {
      userIds: [row.need.requesterId],
      kind: "need.matched",
      title: "您的需求已有机构承接",
      body: `“${row.provider.name}”将为您提供“${row.service.title}”，工作人员或机构会与您联系。`,
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
        body: `需求“${row.need.title}”与服务“${row.service.title}”的对接未被接受${change.reason ? `：${change.reason}` : "。"}`,
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

/** The job after a need is posted: work out its suggestions and tell the community's workers. */
export async function announceNewNeed(needId: string) {
  const need = await db().need.findUnique({ where: { id: needId }, select: rankedNeedSelect });
  if (need?.status !== "OPEN") return { notified: 0 };
  const suggestions = await rankServicesForNeed(need, 5);
  const top = suggestions[0];
  return db().$transaction(async (tx) => {
    const userIds = await communityStaffIds(tx, need.communityId);
    await notify(tx, {
      userIds,
      kind: "need.posted",
      title: "新的居民需求",
      body: `${need.community.name}有新需求“${need.title}”。${
        top
          ? `系统推荐了 ${suggestions.length} 项服务，首选“${top.service.title}”。`
          : "暂未找到可推荐的服务。"
      }`,
      link: `/needs/${need.id}`,
      dedupeKey: `need.posted:${need.id}`,
    });
    return { notified: userIds.length };
  });
}
