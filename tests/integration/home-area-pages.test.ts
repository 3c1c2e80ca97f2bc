import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createResident, createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { createNeed } from "../../prisma/factories/marketplace";
import { decodeEntities, joinedText, pagesOf } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";

// Issue #15 item 5: 活动 and 待对接的需求 start at a signed-in resident's own community, with links to
// widen to her subdistrict or the whole district; an address naming a place wins; visitors see all.

let server: TestServer;
let fx: TerritoryFixture;
let cookie: string;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const { cookieOf, page } = pagesOf(() => server);
const DAY_MS = 24 * 3600 * 1000;

/** One published activity tomorrow and one open need in each of A1 (hers), A2 (her subdistrict) and
 * B1 (elsewhere in the district), named by their community. */
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  const requester = await createResident(db(), fx.communities.b2.id);
  const places = { 甲: fx.communities.a1, 乙: fx.communities.a2, 丙: fx.communities.b1 };
  for (const [mark, community] of Object.entries(places)) {
    const startsAt = new Date(Date.now() + DAY_MS);
    await db().activity.create({
      data: {
        title: `${mark}社区的活动`,
        description: "社区老人一起喝茶聊天，还有义诊和理发。",
        category: "culture",
        communityId: community.id,
        venue: "社区党群服务中心二楼",
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * 3600 * 1000),
        capacity: 30,
        status: "PUBLISHED",
        createdById: fx.users.workerA1.id,
      },
    });
    await createNeed(db(), {
      requesterId: requester.id,
      communityId: community.id,
      title: `${mark}社区的需求`,
    });
  }
  cookie = await cookieOf(fx.users.residentA1);
});

/** Which of the three marks the page lists. */
const shown = (html: string, kind: "活动" | "需求") =>
  ["甲", "乙", "丙"].filter((mark) => joinedText(html).includes(`${mark}社区的${kind}`));

/** The href of the area link with this label (本社区 / 本街道 / 全区). */
function areaLink(html: string, label: string) {
  const nav = /<nav class="tabs" aria-label="查看范围">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? "";
  for (const match of nav.matchAll(/<a [^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)) {
    if (joinedText(match[2] ?? "").startsWith(label)) return decodeEntities(match[1] ?? "");
  }
  throw new Error(`no ${label} link`);
}

describe.each([
  ["/activities", "活动"],
  ["/needs", "需求"],
] as const)("%s for a signed-in resident", (path, kind) => {
  it("shows only her community by default, and one link widens to her subdistrict or the district", async () => {
    const first = await page(path, cookie);
    expect(first.status).toBe(200);
    expect(shown(first.html, kind)).toEqual(["甲"]);
    expect(first.html).toMatch(/aria-current="page"[^>]*>本社区/);

    const subdistrict = await page(areaLink(first.html, "本街道"), cookie);
    expect(shown(subdistrict.html, kind)).toEqual(["甲", "乙"]);
    const district = await page(areaLink(subdistrict.html, "全区"), cookie);
    expect(shown(district.html, kind)).toEqual(["甲", "乙", "丙"]);
    const back = await page(areaLink(district.html, "本社区"), cookie);
    expect(shown(back.html, kind)).toEqual(["甲"]);
  });

  it("keeps the other filters when widening", async () => {
    const other = await page(`${path}?category=medical`, cookie);
    expect(areaLink(other.html, "全区")).toContain("category=medical");
    expect(shown((await page(areaLink(other.html, "全区"), cookie)).html, kind)).toEqual([]);
  });

  it("lets a place named in the address win over her community", async () => {
    const elsewhere = await page(`${path}?communityId=${fx.communities.b1.id}`, cookie);
    expect(shown(elsewhere.html, kind)).toEqual(["丙"]);
    // 全部街道 / 全部社区 submitted from the filter form: the whole district.
    const all = await page(`${path}?subdistrictId=&communityId=`, cookie);
    expect(shown(all.html, kind)).toEqual(["甲", "乙", "丙"]);
  });

  it("shows a visitor the whole district, without area links", async () => {
    const visitor = await page(path);
    expect(shown(visitor.html, kind)).toEqual(["甲", "乙", "丙"]);
    expect(visitor.html).not.toContain("查看范围");
  });

  it("groups the community picker by subdistrict", async () => {
    const { html } = await page(path, cookie);
    const picker = /<select[^>]*name="communityId"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? "";
    expect(picker.match(/<optgroup /g)?.length).toBe(2);
    expect(picker).toContain(`<option value="${fx.communities.a1.id}" selected="">`);
  });
});
