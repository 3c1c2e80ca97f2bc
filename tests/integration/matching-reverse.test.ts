import { beforeAll, describe, expect, it } from "vitest";
import { actorForToken, startSession } from "~/domain/accounts/sessions.server";
import { announceNewNeed, suggestNeedsForService } from "~/domain/matching/suggestions.server";
import { db } from "~/lib/db.server";
import { searchEngine } from "~/search/engines.server";
import { reindex } from "~/search/reindex.server";
import { createResident, createTerritoryFixture, createUser } from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";

// Suggestions that truly fit (#16), the directions matching-relevance does not cover: service → needs
// (a provider's 主动接单) and the new-need notification. A calligraphy class and an errand need share
// only 老人; neither may be suggested for the other, while the fitting pairs are. These fail when the
// minimum content fit is zero (every candidate the engine returns would then "fit").

const CALLIGRAPHY = {
  title: "老年大学书法国画班",
  description: "社区老年大学开设书法、国画、摄影课程，零基础的老人也可以报名。",
  category: "education",
} as const;
const ERRANDS = {
  title: "老人跑腿代办",
  description: "青年志愿者为行动不便的老人代买菜、代取快递和药品，每周二、五上门。",
  category: "volunteer",
} as const;

describe("matching: only what fits, from the provider's side and in the notification", () => {
  let forCalligraphy: string[] = [];
  let forErrands: string[] = [];
  let lonelyNotice = "";
  const needTitles = { shopping: "希望有志愿者帮忙代买菜", painting: "想给老伴报个国画班" };

  beforeAll(async () => {
    const fx = await createTerritoryFixture(db());
    const a1 = fx.communities.a1.id;
    const owner = await createUser(db());
    const provider = await createProvider(db(), { communityIds: [a1], members: [{ userId: owner.id }] });
    const calligraphy = await createService(db(), {
      ...CALLIGRAPHY,
      providerId: provider.id,
      communityIds: [a1],
    });
    const errands = await createService(db(), { ...ERRANDS, providerId: provider.id, communityIds: [a1] });
    const resident = await createResident(db(), a1);
    await createNeed(db(), {
      requesterId: resident.id,
      communityId: a1,
      title: needTitles.shopping,
      description: "老人腿脚不便，想请志愿者每周帮忙代买菜。",
      category: "volunteer",
    });
    await createNeed(db(), {
      requesterId: resident.id,
      communityId: a1,
      title: needTitles.painting,
      description: "老伴退休在家，喜欢画画，想找个离家近的国画课程。",
      category: "education",
    });
    // In b1 only the calligraphy class is offered: an errand need there has nothing that fits.
    const b1 = fx.communities.b1.id;
    const elsewhere = await createProvider(db(), { communityIds: [b1] });
    await createService(db(), { ...CALLIGRAPHY, providerId: elsewhere.id, communityIds: [b1] });
    await createUser(db(), { roles: [{ role: "COMMUNITY_WORKER", scopeId: b1 }] });
    const lonely = await createNeed(db(), {
      requesterId: (await createResident(db(), b1)).id,
      communityId: b1,
      title: needTitles.shopping,
      description: "老人腿脚不便，想请志愿者每周帮忙代买菜。",
      category: "volunteer",
    });
    await reindex(searchEngine());

    const actor = await actorForToken((await startSession(owner.id, "API")).token);
    if (!actor) throw new Error("the owner's session was not found");
    forCalligraphy = (await suggestNeedsForService(actor, calligraphy.id, 5)).map((s) => s.need.id);
    forErrands = (await suggestNeedsForService(actor, errands.id, 5)).map((s) => s.need.id);
    const titleOf = new Map(
      (await db().need.findMany({ select: { id: true, title: true } })).map((n) => [n.id, n.title]),
    );
    forCalligraphy = forCalligraphy.map((id) => titleOf.get(id) ?? id);
    forErrands = forErrands.map((id) => titleOf.get(id) ?? id);
    await announceNewNeed(lonely.id);
    const notice = await db().notification.findFirst({
      where: { kind: "need.posted", link: `/needs/${lonely.id}` },
      select: { body: true },
    });
    lonelyNotice = notice?.body ?? "";
  }, 120_000);

  it("suggests the painting need, not the errand, for the calligraphy class", () => {
    expect(forCalligraphy).toContain(needTitles.painting);
    expect(forCalligraphy).not.toContain(needTitles.shopping);
  });

  it("suggests the errand need, not the painting one, for the errand service", () => {
    expect(forErrands).toContain(needTitles.shopping);
    expect(forErrands).not.toContain(needTitles.painting);
  });

  it("tells the workers nothing fits rather than recommending the calligraphy class", () => {
    expect(lonelyNotice).toContain("暂未找到可推荐的服务");
    expect(lonelyNotice).not.toContain(CALLIGRAPHY.title);
  });
});
