import { beforeAll, describe, expect, it } from "vitest";
import { rankServicesForNeedId } from "~/domain/matching/suggestions.server";
import { db } from "~/lib/db.server";
import { PostgresSearchEngine } from "~/search/postgres-engine.server";
import { reindex } from "~/search/reindex.server";
import { createResident, createTerritoryFixture } from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import {
  type CommunityKey,
  RELEVANCE_NEEDS,
  RELEVANCE_PROVIDERS,
  RELEVANCE_SERVICES,
} from "../fixtures/relevance";

// The labelled relevance set: realistic needs over a fixed corpus, each with the services a community
// worker would pick. Matching with the PostgreSQL engine must put them in its top five (recall@5 ≥ 0.9).
// The corpus is built once; the reset after each test would empty it, so everything runs in one test.

const K = 5;
/** #16: the fit threshold may not cost recall (0.964 before it). */
const RECALL_BAR = 0.96;

/** Needs that once brought suggestions that did not fit (#15, #16): what must come first, and what
 * must not come at all. */
const UNFIT = [
  {
    title: "希望有志愿者帮忙代买菜",
    description: "老人腿脚不便，想请志愿者每周帮忙代买菜。",
    category: "volunteer",
    first: "s092",
    never: ["s045", "s041"],
  },
  {
    title: "老人想上门理发",
    description: "父亲八十多岁，行动不便，想找人上门理发。",
    category: "housekeeping",
    first: "s054",
    never: ["s041"],
  },
] as const;

describe("matching relevance", () => {
  const unfit: {
    title: string;
    keys: string[];
    reasons: string[][];
    categories: string[];
    category: string;
  }[] = [];
  let recall = 0;
  const misses: string[] = [];

  beforeAll(async () => {
    const fx = await createTerritoryFixture(db());
    const community = (key: CommunityKey) => fx.communities[key].id;
    const providerIds = new Map<string, string>();
    for (const p of RELEVANCE_PROVIDERS) {
      const row = await createProvider(db(), {
        name: p.name,
        kind: p.kind,
        communityIds: p.communities.map(community),
      });
      providerIds.set(p.key, row.id);
    }
    const serviceKeys = new Map<string, string>();
    for (const s of RELEVANCE_SERVICES) {
      const row = await createService(db(), {
        providerId: providerIds.get(s.providerKey) ?? "",
        title: s.title,
        description: s.description,
        category: s.category,
        funding: s.funding,
        communityIds: s.communities.map(community),
      });
      serviceKeys.set(row.id, s.key);
    }
    const residents = new Map<CommunityKey, string>();
    for (const key of ["a1", "a2", "b1", "b2"] as const) {
      residents.set(key, (await createResident(db(), community(key))).id);
    }
    const needIds: string[] = [];
    for (const n of RELEVANCE_NEEDS) {
      const need = await createNeed(db(), {
        requesterId: residents.get(n.community) ?? "",
        communityId: community(n.community),
        title: n.title,
        description: n.description,
        category: n.category,
      });
      needIds.push(need.id);
    }
    const unfitIds: string[] = [];
    for (const n of UNFIT) {
      const need = await createNeed(db(), {
        requesterId: residents.get("a1") ?? "",
        communityId: community("a1"),
        title: n.title,
        description: n.description,
        category: n.category,
      });
      unfitIds.push(need.id);
    }
    const engine = new PostgresSearchEngine(db());
    await reindex(engine);
    for (const [i, n] of UNFIT.entries()) {
      const top = await rankServicesForNeedId(unfitIds[i] ?? "", K, engine);
      unfit.push({
        title: n.title,
        keys: top.map((s) => serviceKeys.get(s.service.id) ?? ""),
        reasons: top.map((s) => s.reasons),
        categories: top.map((s) => s.service.category),
        category: n.category,
      });
    }

    let sum = 0;
    for (const [i, n] of RELEVANCE_NEEDS.entries()) {
      const top = await rankServicesForNeedId(needIds[i] ?? "", K, engine);
      const picked = new Set(top.map((s) => serviceKeys.get(s.service.id)));
      const found = n.relevant.filter((key) => picked.has(key)).length;
      sum += found / n.relevant.length;
      if (found < n.relevant.length) {
        misses.push(`${n.title}: wanted ${n.relevant.join(",")}, got ${[...picked].join(",")}`);
      }
    }
    recall = sum / RELEVANCE_NEEDS.length;
  }, 120_000);

  it(`has at least 40 labelled needs`, () => {
    expect(RELEVANCE_NEEDS.length).toBeGreaterThanOrEqual(40);
  });

  it("suggests only what fits: the fitting service first, nothing that shares a common word alone", () => {
    for (const [i, n] of UNFIT.entries()) {
      const got = unfit[i];
      expect(got?.keys[0], n.title).toBe(n.first);
      for (const key of n.never) expect(got?.keys, n.title).not.toContain(key);
      // Every suggestion is of the need's category or says its content fits.
      for (const [j, reasons] of (got?.reasons ?? []).entries()) {
        expect(
          got?.categories[j] === n.category || reasons.includes("内容相符"),
          `${n.title}: ${got?.keys[j]}`,
        ).toBe(true);
      }
    }
  });

  it(`reaches recall@${K} ≥ ${RECALL_BAR} with the postgres engine`, () => {
    console.info(
      `recall@${K} = ${recall.toFixed(3)} over ${RELEVANCE_NEEDS.length} needs; misses:\n${misses.join("\n")}`,
    );
    expect(recall).toBeGreaterThanOrEqual(RECALL_BAR);
  });
});
