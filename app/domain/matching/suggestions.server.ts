import type { MatchStatus, Prisma } from "@prisma/client";
import { db } from "~/lib/db.server";
import { notFound } from "~/lib/errors";
import { ID_PATTERN } from "~/lib/zod";
import type { SearchEngine } from "~/search/engine";
import { searchEngine } from "~/search/engines.server";
import { isPublicService, publicServices } from "~/search/visibility";
import type { Actor } from "../accounts/actor";
import { categoryName } from "../catalog/categories";
import { needTextFor } from "../needs/need-read.server";
import { namedNeed } from "../needs/needs.schema";
import { communityStaffIds, notify } from "../notifications/notifications.server";
import { authorize, type TerritoryPath } from "../policy";
import { communityPlaceSelect, placeOf } from "../territory/places";
import type { NeedSuggestion, ServiceSuggestion } from "./matching.schema";
import { fits, type MatchFeatures, scoreMatch } from "./ranking";

// Suggestions (DESIGN §5, ADR 0009): candidates come from the search engine (the need's text, any
// word, within the need's subdistrict; plus every service of the same category there), are confirmed
// against PostgreSQL, kept only where they fit (ranking.ts: the same category or content that truly
// matches) and re-ranked with the named weights of ranking.ts. The reverse (open needs for a service
// or provider) is the same scoring from the other side. The match life cycle is matching.server.ts.

/** How many candidates each engine query brings back before re-ranking. */
const CANDIDATES = 60;
const WEEK_MS = 7 * 24 * 3600 * 1000;
export const ACTIVE: MatchStatus[] = ["PROPOSED", "ACCEPTED"];

/** The need as matching reads it (also how the benchmark loads needs to rank). */
export const rankedNeedSelect = {
  id: true,
  caseNumber: true,
  title: true,
  description: true,
  category: true,
  status: true,
  urgency: true,
  communityId: true,
  requesterId: true,
  requestedServiceId: true,
  version: true,
  createdAt: true,
  community: communityPlaceSelect,
} satisfies Prisma.NeedSelect;
export type NeedRow = Prisma.NeedGetPayload<{ select: typeof rankedNeedSelect }>;

export const serviceSelect = {
  id: true,
  title: true,
  description: true,
  category: true,
  funding: true,
  status: true,
  capacityPerWeek: true,
  providerId: true,
  provider: { select: { id: true, name: true, kind: true, status: true, businessPhone: true } },
  communities: { select: { communityId: true, community: communityPlaceSelect } },
} satisfies Prisma.ServiceSelect;
export type ServiceRow = Prisma.ServiceGetPayload<{ select: typeof serviceSelect }>;

export const servicePaths = (service: Pick<ServiceRow, "communities">): TerritoryPath[] =>
  service.communities.map(placeOf);

export async function loadNeed(id: string): Promise<NeedRow> {
  const row = ID_PATTERN.test(id)
    ? await db().need.findUnique({ where: { id }, select: rankedNeedSelect })
    : null;
  if (!row) throw notFound("该需求不存在或已被删除");
  return row;
}

export async function loadService(id: string): Promise<ServiceRow> {
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

/** The reason a service the resident asked for with 「我要这个服务」 carries; it is listed first. */
export const REQUESTED_REASON = "居民选择的服务";

/** Services for a need, best first, each with its reasons; the service the resident asked for, if
 * it still serves her subdistrict, comes first whatever its fit (ADR 0030). No authorization:
 * callers check it. */
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
  const requested = need.requestedServiceId;
  const services = await db().service.findMany({
    where: publicServices({
      id: { in: requested ? [...scores.keys(), requested] : [...scores.keys()] },
      communities: { some: { community: { subdistrictId: need.community.subdistrictId } } },
    }),
    select: serviceSelect,
  });
  const [records, spare, proposed] = await Promise.all([
    providerRecords([...new Set(services.map((s) => s.providerId))]),
    spareCapacity(services),
    activeMatchKeys({ needId: need.id }),
  ]);
  const isRequested = (service: { id: string }) => service.id === requested;
  return services
    .filter(
      (service) =>
        isRequested(service) ||
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
        reasons: isRequested(service) ? [REQUESTED_REASON, ...reasons] : reasons,
        proposed: proposed.has(`${need.id}:${service.id}`),
      };
    })
    .sort(
      (a, b) =>
        Number(isRequested(b.service)) - Number(isRequested(a.service)) ||
        b.score - a.score ||
        a.service.id.localeCompare(b.service.id),
    )
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
 * is listed once, with the service that fits it best. A need that asked for one of the services by
 * name (「我要这个服务」) is listed with that service, first (ADR 0030). */
async function rankNeedsForServices(
  services: readonly ServiceRow[],
  limit: number,
  engine: SearchEngine = searchEngine(),
): Promise<NeedSuggestion[]> {
  const best = new Map<string, NeedSuggestion>();
  const askedFor = new Set<string>();
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
        where: {
          OR: [{ id: { in: [...scores.keys()] } }, { requestedServiceId: service.id }],
          status: "OPEN",
          communityId: { in: communityIds },
        },
        select: rankedNeedSelect,
      }),
      activeMatchKeys({ serviceId: service.id }),
    ]);
    for (const need of needs) {
      const sameCategory = need.category === service.category;
      const asked = need.requestedServiceId === service.id;
      if (!asked && (askedFor.has(need.id) || !fits({ content: content(need.id), sameCategory }))) continue;
      const { score, reasons } = scoreMatch({
        text: relative(need.id),
        content: content(need.id),
        sameCategory: need.category === service.category,
        servesCommunity: true,
        record: records.get(service.providerId) ?? { fulfilled: 0, averageRating: null },
        spareThisWeek: spare.get(service.id) ?? null,
      });
      const previous = best.get(need.id);
      if (!asked && previous && previous.score >= score) continue;
      if (asked) askedFor.add(need.id);
      best.set(need.id, {
        need: {
          id: need.id,
          caseNumber: need.caseNumber,
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
        reasons: asked ? [REQUESTED_REASON, ...reasons] : reasons,
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
        Number(askedFor.has(b.need.id)) - Number(askedFor.has(a.need.id)) ||
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
      body: `${need.community.name}有新需求${namedNeed(need.title, need.caseNumber)}。${
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
