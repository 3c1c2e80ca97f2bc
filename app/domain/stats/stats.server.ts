import { chinaDay, DAY_MS } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { notFound, validationError } from "~/lib/errors";
import type { Actor } from "../accounts/actor";
import { authorize, type TerritoryPath } from "../policy";
import { figuresOf, type Period } from "./figures.server";
import { MAX_PERIOD_DAYS, type Stats, type StatsQuery, type TerritoryRef } from "./stats.schema";

// Statistics for a territory and a period (API.md, Statistics). The district's figures are public
// (the home page shows them to everyone); a subdistrict's or community's are for staff in scope.

export type StatsTerritory = TerritoryRef & {
  path: TerritoryRef[];
  children: TerritoryRef[];
  policyPath: TerritoryPath;
};

/** The territory a query names, with its ancestors and children; 404 when there is none. */
export async function findStatsTerritory(query: Pick<StatsQuery, "scope" | "id">): Promise<StatsTerritory> {
  const missing = () => notFound("该地区不存在");
  if (query.scope === "district") {
    const district = await db().district.findFirst({
      where: query.id ? { id: query.id } : {},
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        name: true,
        subdistricts: { select: { id: true, name: true }, orderBy: { name: "asc" } },
      },
    });
    if (!district) throw missing();
    const ref = { scope: "district", id: district.id, name: district.name } as const;
    return {
      ...ref,
      path: [ref],
      children: district.subdistricts.map((s) => ({ scope: "subdistrict", id: s.id, name: s.name })),
      policyPath: { districtId: district.id },
    };
  }
  if (!query.id) throw validationError({ id: "请选择地区" });
  if (query.scope === "subdistrict") {
    const subdistrict = await db().subdistrict.findUnique({
      where: { id: query.id },
      select: {
        id: true,
        name: true,
        district: { select: { id: true, name: true } },
        communities: { select: { id: true, name: true }, orderBy: { name: "asc" } },
      },
    });
    if (!subdistrict) throw missing();
    const ref = { scope: "subdistrict", id: subdistrict.id, name: subdistrict.name } as const;
    return {
      ...ref,
      path: [{ scope: "district", ...subdistrict.district }, ref],
      children: subdistrict.communities.map((c) => ({ scope: "community", id: c.id, name: c.name })),
      policyPath: { districtId: subdistrict.district.id, subdistrictId: subdistrict.id },
    };
  }
  const community = await db().community.findUnique({
    where: { id: query.id },
    select: {
      id: true,
      name: true,
      subdistrict: { select: { id: true, name: true, district: { select: { id: true, name: true } } } },
    },
  });
  if (!community) throw missing();
  const { subdistrict } = community;
  const ref = { scope: "community", id: community.id, name: community.name } as const;
  return {
    ...ref,
    path: [
      { scope: "district", ...subdistrict.district },
      { scope: "subdistrict", id: subdistrict.id, name: subdistrict.name },
      ref,
    ],
    children: [],
    policyPath: {
      districtId: subdistrict.district.id,
      subdistrictId: subdistrict.id,
      communityId: community.id,
    },
  };
}

/** The period a query names: this year up to today when left out; at most MAX_PERIOD_DAYS. */
export function periodOf(query: Pick<StatsQuery, "from" | "to">, now = new Date()): Period {
  const today = chinaDay(now);
  const to = query.to ?? today;
  const from = query.from ?? new Date(Date.UTC(to.getUTCFullYear(), 0, 1));
  if (from > to) throw validationError({ from: "开始日期应不晚于结束日期" });
  if ((to.getTime() - from.getTime()) / DAY_MS + 1 > MAX_PERIOD_DAYS)
    throw validationError({ from: "一次最多统计5年" });
  return { from, to };
}

/** Who may read a territory's figures: anyone for the district, staff in scope below it. */
export function authorizeStats(actor: Actor | null, territory: StatsTerritory) {
  if (territory.scope !== "district") authorize(actor, "stats.view", territory.policyPath);
}

export async function statisticsFor(actor: Actor | null, query: StatsQuery): Promise<Stats> {
  const period = periodOf(query);
  const territory = await findStatsTerritory(query);
  authorizeStats(actor, territory);
  return figuresOf(territory, territory.children, period);
}
