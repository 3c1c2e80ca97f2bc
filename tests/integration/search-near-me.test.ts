import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/domain/accounts/actor";
import { actorForToken, startSession } from "~/domain/accounts/sessions.server";
import { searchQuerySchema } from "~/domain/search/search.schema";
import { searchSite } from "~/domain/search/search.server";
import { db } from "~/lib/db.server";
import { searchEngine } from "~/search/engines.server";
import { reindex } from "~/search/reindex.server";
import { createResident, createTerritoryFixture } from "../../prisma/factories";
import { createProvider, createService } from "../../prisma/factories/marketplace";

// Near me first (#16): the same service offered by three providers, one in each of a1, a2 (a1's
// subdistrict) and b1, must come back in the order of the searcher's own community, then her
// subdistrict, then the rest. Two residents in different subdistricts see opposite orders, so the
// test fails when the near-me weights are zero (the engine's tie-break would give both one order).
// Built once, searched in beforeAll: the reset after each test would empty the corpus.

const TEXT = {
  title: "上门维修水龙头",
  description: "水龙头漏水、换水龙头、疏通下水道，师傅上门，材料按实收费。",
  category: "housekeeping",
  funding: "PAID",
} as const;

describe("search: near me first", () => {
  const orders = new Map<string, string[]>();
  const anonymous: string[] = [];
  const names = new Map<string, string>();

  beforeAll(async () => {
    const fx = await createTerritoryFixture(db());
    for (const key of ["b1", "a2", "a1"] as const) {
      const communityId = fx.communities[key].id;
      const provider = await createProvider(db(), { name: `${key}水电维修部`, communityIds: [communityId] });
      const service = await createService(db(), {
        ...TEXT,
        providerId: provider.id,
        communityIds: [communityId],
      });
      names.set(service.id, key);
    }
    await reindex(searchEngine());
    const query = searchQuerySchema.parse({ q: "水龙头", type: "service", pageSize: 10 });
    for (const key of ["a1", "b1"] as const) {
      const user = await createResident(db(), fx.communities[key].id);
      const actor: Actor | null = await actorForToken((await startSession(user.id, "API")).token);
      const result = await searchSite(actor, query);
      orders.set(
        key,
        result.items.map((hit) => names.get(hit.id) ?? "?"),
      );
    }
    const result = await searchSite(null, query);
    anonymous.push(...result.items.map((hit) => names.get(hit.id) ?? "?"));
  }, 120_000);

  it("puts a resident's own community first, then her subdistrict, then the rest", () => {
    expect(orders.get("a1")).toEqual(["a1", "a2", "b1"]);
  });

  it("orders the same services the other way round for a resident of the other subdistrict", () => {
    expect(orders.get("b1")?.[0]).toBe("b1");
    expect(orders.get("b1")?.slice(1).sort()).toEqual(["a1", "a2"]);
  });

  it("finds all three for a visitor, who has no community to favour", () => {
    expect([...anonymous].sort()).toEqual(["a1", "a2", "b1"]);
  });
});
