import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { PostgresSearchEngine } from "~/search/postgres-engine.server";
import { reindex } from "~/search/reindex.server";
import { createTerritoryFixture, createUser, type TerritoryFixture } from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { atPath, browserJourney, saveScreenshot, successMessage } from "./browser";

// 对接 in a real browser: a community worker opens a fresh need, reads why each service is suggested
// and recommends one with one click; the provider's owner finds the invitation under 我的机构 and
// accepts it; the worker reloads the need and sees it 已对接. Everyone signs in through the login form
// in their own browser and acts through the pages only.

let fx: TerritoryFixture;
const { url, signedIn, expectScriptsRan } = browserJourney();

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

describe("对接 a need and a service", () => {
  it("worker recommends a suggested service, the provider accepts, the need is 已对接", async () => {
    const a1 = fx.communities.a1;
    const owner = await createUser(db(), { name: "王秀英" });
    const orgName = "幸福里老年助餐中心";
    const provider = await createProvider(db(), {
      name: orgName,
      communityIds: [a1.id],
      members: [{ userId: owner.id }],
    });
    const serviceTitle = "老年人助餐送餐上门";
    const service = await createService(db(), {
      providerId: provider.id,
      communityIds: [a1.id],
      title: serviceTitle,
      description: "每天中午为老人送午餐上门，两荤一素一汤，少盐少油。",
      category: "elderly-care",
      capacityPerWeek: 20,
    });
    const needTitle = "家中老人需要每天送午餐";
    const need = await createNeed(db(), {
      requesterId: fx.users.residentA1.id,
      communityId: a1.id,
      title: needTitle,
      description: "老伴腿脚不便，我白天上班，希望有人每天中午送一份清淡的午餐到家。",
      category: "elderly-care",
      urgency: "HIGH",
    });
    await reindex(new PostgresSearchEngine(db()));

    // 1. The worker opens the fresh need from 需求分派 and reads the suggestion and its reasons.
    const desk = await signedIn("worker", fx.users.workerA1);
    await desk.goto(url("/workbench/needs"));
    await desk.getByRole("link", { name: needTitle }).click();
    await desk.waitForURL(atPath(new RegExp(`^/needs/${need.id}$`)));
    await desk.getByRole("heading", { level: 2, name: "推荐服务" }).waitFor();
    const suggestion = desk
      .getByRole("listitem")
      .filter({ has: desk.getByRole("link", { name: serviceTitle, exact: true }) });
    await suggestion.getByText(orgName).waitFor();
    for (const reason of ["同类别", "服务本社区", "本周有名额"]) {
      await suggestion.getByText(reason, { exact: true }).waitFor();
    }
    await saveScreenshot(desk, "matching-1-worker-suggestions");

    // 2. One click recommends it to the provider.
    await suggestion.getByRole("button", { name: "推荐给该机构" }).click();
    await successMessage(desk).getByText(`已推荐给“${orgName}”`).waitFor();
    await suggestion.getByText("已推荐，等待机构回复。").waitFor();
    const proposed = await db().match.findFirstOrThrow({ where: { needId: need.id } });
    expect(proposed).toMatchObject({
      serviceId: service.id,
      status: "PROPOSED",
      proposedBy: "STAFF",
      proposedById: fx.users.workerA1.id,
    });

    // 3. The owner opens 我的机构, finds the invitation and accepts it.
    const office = await signedIn("owner", owner);
    await office.goto(url("/me"));
    await office.getByRole("link", { name: "我的机构" }).click();
    await office.waitForURL(atPath(/^\/me\/providers$/));
    await office.getByRole("article", { name: orgName }).getByRole("link", { name: "进入机构管理" }).click();
    await office.waitForURL(atPath(new RegExp(`^/me/providers/${provider.id}$`)));
    await office.getByRole("heading", { level: 2, name: "待回复的对接邀请" }).waitFor();
    const invitation = office
      .getByRole("listitem")
      .filter({ has: office.getByRole("link", { name: needTitle, exact: true }) })
      .filter({ has: office.getByRole("button", { name: "接受" }) });
    await invitation.getByText(serviceTitle).waitFor();
    await invitation.getByText("社区推荐").waitFor();
    await saveScreenshot(office, "matching-2-provider-invitation");
    await invitation.getByRole("button", { name: "接受", exact: true }).click();
    await successMessage(office).getByText("已接受对接").waitFor();
    await office.getByText("现在没有待回复的对接邀请。").waitFor();
    expect(await db().match.findUniqueOrThrow({ where: { id: proposed.id } })).toMatchObject({
      status: "ACCEPTED",
      decidedById: owner.id,
    });

    // 4. The worker reloads the need: 已对接, with the accepted match in the record.
    await desk.reload();
    await desk.getByRole("heading", { level: 1, name: needTitle }).waitFor();
    await expect
      .poll(() => desk.getByRole("main").locator(".badge--status-matched").textContent(), { timeout: 15_000 })
      .toBe("已对接");
    const record = desk.getByRole("region", { name: "对接记录" });
    await record.getByText("已接受", { exact: true }).waitFor();
    await record.getByText(orgName).waitFor();
    expect(await desk.getByRole("button", { name: "推荐给该机构" }).count()).toBe(0);
    await saveScreenshot(desk, "matching-3-worker-matched");
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("MATCHED");
    expectScriptsRan();
  }, 120_000);
});
