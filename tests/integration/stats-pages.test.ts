import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recomputeTallies } from "~/domain/activities/tallies.server";
import { recountAllDays } from "~/domain/stats/daily.server";
import { reportNumber } from "~/domain/stats/report";
import type { Stats } from "~/domain/stats/stats.schema";
import { chinaDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { createHeldActivity } from "../factories/activities";
import { expectCleanAnswer, garbageFormValue } from "../setup/garbage";
import { decodeEntities, joinedText, pagesOf, visibleText } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";
import { propertyRuns } from "../setup/sweeps";

// The 统计 page (issue #6) as a browser without JavaScript sees it: the district's figures for
// everyone, a subdistrict's and a community's for staff in scope (a friendly page for others), the
// period presets in China time, field errors for bad dates, the report paragraph, the download links,
// and the district's headline figures on the home page. The figures come from a small district built
// row by row, then counted by the workers' own recounts.

let server: TestServer;
let fx: TerritoryFixture;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const { cookieOf, page } = pagesOf(() => server);

const TODAY = chinaDay(new Date());
const THIS_YEAR = TODAY.getUTCFullYear();
const LAST_YEAR = THIS_YEAR - 1;
const isoDay = (day: Date) => day.toISOString().slice(0, 10);
/** A moment of last year, written in China time ("06-15 09:30"). */
const lastYear = (text: string) => new Date(`${LAST_YEAR}-${text.replace(" ", "T")}:00+08:00`);

/** Last year in the district 明湖区: subdistrict A (东湖街道: 映月社区, 望湖社区) held two activities
 * (7 and 1 person-times, two residents), subdistrict B (西城街道: 河西社区) one with 12,340 walk-ins;
 * one social organisation and one merchant joined; one government-purchased service; two needs, one
 * matched after 12 hours and fulfilled with 4 stars. */
async function buildLastYear() {
  const { a1, a2, b1 } = fx.communities;
  await db().district.update({ where: { id: fx.district.id }, data: { name: "明湖区" } });
  await db().subdistrict.update({ where: { id: fx.subdistricts.a.id }, data: { name: "东湖街道" } });
  await db().subdistrict.update({ where: { id: fx.subdistricts.b.id }, data: { name: "西城街道" } });
  await db().community.update({ where: { id: a1.id }, data: { name: "映月社区" } });
  await db().community.update({ where: { id: a2.id }, data: { name: "望湖社区" } });
  await db().community.update({ where: { id: b1.id }, data: { name: "河西社区" } });

  const org = await createProvider(db(), { communityIds: [a1.id], reviewedAt: lastYear("03-01 10:00") });
  await createProvider(db(), {
    kind: "MERCHANT",
    communityIds: [b1.id],
    reviewedAt: lastYear("04-01 10:00"),
  });
  await createService(db(), {
    providerId: org.id,
    communityIds: [a1.id],
    funding: "GOVERNMENT_PURCHASED",
    publishedAt: lastYear("03-05 10:00"),
  });
  const requester = await createResident(db(), a1.id);
  const matched = await createNeed(db(), {
    requesterId: requester.id,
    communityId: a1.id,
    createdAt: lastYear("05-01 09:00"),
  });
  await db().need.update({
    where: { id: matched.id },
    data: {
      status: "FULFILLED",
      matchedAt: lastYear("05-01 21:00"),
      fulfilledAt: lastYear("05-03 18:00"),
      rating: 4,
    },
  });
  await createNeed(db(), {
    requesterId: requester.id,
    communityId: b1.id,
    createdAt: lastYear("06-01 09:00"),
  });

  const [first, second, third] = await Promise.all([0, 1, 2].map(() => createResident(db(), a1.id)));
  const worker = fx.users.workerA1.id;
  await createHeldActivity(db(), {
    communityId: a1.id,
    createdById: worker,
    startsAt: lastYear("06-15 09:30"),
    walkIns: 5,
    attendees: [
      { userId: first?.id ?? "", checkedIn: true },
      { userId: second?.id ?? "", checkedIn: true },
      { userId: third?.id ?? "", checkedIn: false },
    ],
  });
  await createHeldActivity(db(), {
    communityId: a2.id,
    createdById: worker,
    startsAt: lastYear("07-10 09:30"),
    attendees: [{ userId: first?.id ?? "", checkedIn: true }],
  });
  await createHeldActivity(db(), {
    communityId: b1.id,
    createdById: worker,
    startsAt: lastYear("08-20 09:30"),
    walkIns: 12_340,
  });
  await recomputeTallies();
  await recountAllDays();
}

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  await buildLastYear();
});

const LAST_YEAR_QUERY = "period=lastYear";
const subdistrictA = () => `scope=subdistrict&id=${fx.subdistricts.a.id}`;
const subdistrictB = () => `scope=subdistrict&id=${fx.subdistricts.b.id}`;

/** The text of one headline card after its label ("2 家 社会组织 1 家 …"), one space between parts. */
function card(html: string, label: string) {
  const match = new RegExp(
    `<li class="stats-card"><span class="stats-card__label">${label}</span>(.*?)</li>`,
  ).exec(joinedText(html));
  return decodeEntities((match?.[1] ?? "").replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
}

/** The rows of the table with this caption, each as its cells' text. */
function tableRows(html: string, caption: string) {
  const table = new RegExp(`<caption[^>]*>${caption}[^<]*</caption>(.*?)</table>`).exec(html)?.[1] ?? "";
  const body = /<tbody>(.*?)<\/tbody>/.exec(table)?.[1] ?? "";
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((cell) => visibleText(cell[1] ?? "")),
  );
}

const hrefs = (html: string) =>
  [...html.matchAll(/href="([^"]*)"/g)].map((match) => decodeEntities(match[1] ?? ""));
const dateValue = (html: string, name: string) =>
  new RegExp(`<input id="period-${name}" name="${name}" type="date" value="([^"]*)"`).exec(html)?.[1];

describe("/stats, the district (public)", () => {
  it("shows last year's figures to anyone, the way reports write them", async () => {
    const { status, html } = await page(`/stats?${LAST_YEAR_QUERY}`);
    expect(status).toBe(200);
    expect(visibleText(html)).toContain("统计 · 明湖区");
    expect(html).toMatch(new RegExp(`<h2 id="headline-title">${LAST_YEAR}年概况</h2>`));

    expect(card(html, "入驻机构")).toBe("2 家 社会组织 1 家 · 特色商家 1 家 本期新入驻 2 家");
    expect(card(html, "服务")).toBe("1 项 政府购买 1 项 · 本期新发布 1 项");
    expect(card(html, "居民需求")).toBe("2 件提出 对接 1 件 · 办结 1 件");
    expect(card(html, "对接用时中位数")).toMatch(/^12 小时/);
    expect(card(html, "满意度")).toBe("4.0 分 满分 5 分 · 1 条评价");
    expect(card(html, "活动")).toMatch(/^3 场次/);
    expect(card(html, "受众")).toBe("1.2万 人次 共 12,348 人次（签到加现场加入）");
    expect(card(html, "服务居民")).toMatch(/^2 人/);
    expect(card(html, "到场率")).toBe("75.0% 签到 3 / 报名 4 人次");

    // Each subdistrict's row, but no way into them for the public.
    expect(tableRows(html, "各街道数据")).toEqual([
      ["东湖街道", "1", "1", "1", "2", "8", "2"],
      ["西城街道", "1", "1", "0", "1", "12,340", "0"],
    ]);
    expect(html).not.toContain(`id=${fx.subdistricts.a.id}`);
    const months = tableRows(html, "逐月数据");
    expect(months).toHaveLength(12);
    expect(months[5]).toEqual([`${LAST_YEAR}年6月`, "1", "7", "2", "1", "0"]);
    expect(months[7]).toEqual([`${LAST_YEAR}年8月`, "1", "12,340", "0", "0", "0"]);
    expect(tableRows(html, "各类别数据").map((row) => row[0])).toContain("养老助老");

    // The charts are drawn by scripts only; without them the tables are all there is.
    expect(html).not.toContain('class="stats-chart"');
    expect(html).toContain("街道、社区的统计仅供辖区工作人员查看");

    // The figures to download; the lists behind them are for staff.
    const exports = hrefs(html).filter((href) => href.startsWith("/api/v1/stats/export"));
    const period = `from=${LAST_YEAR}-01-01&to=${LAST_YEAR}-12-31`;
    expect(exports).toEqual([
      `/api/v1/stats/export?format=xlsx&dataset=figures&scope=district&id=${fx.district.id}&${period}`,
      `/api/v1/stats/export?format=csv&dataset=figures&scope=district&id=${fx.district.id}&${period}`,
    ]);
  });

  it("offers 本月, 今年 and 去年 in China time, 今年 by default", async () => {
    const month = isoDay(new Date(Date.UTC(THIS_YEAR, TODAY.getUTCMonth(), 1)));
    const expected = {
      month: [month, isoDay(TODAY)],
      year: [`${THIS_YEAR}-01-01`, isoDay(TODAY)],
      lastYear: [`${LAST_YEAR}-01-01`, `${LAST_YEAR}-12-31`],
    };
    for (const [period, [from, to]] of Object.entries(expected)) {
      const { status, html } = await page(`/stats?period=${period}`);
      expect(status).toBe(200);
      expect([dateValue(html, "from"), dateValue(html, "to")]).toEqual([from, to]);
      expect(html).toMatch(
        new RegExp(
          `<a class="tabs__link"[^>]*aria-current="page"[^>]*>${
            { month: "本月", year: "今年", lastYear: "去年" }[period]
          }</a>`,
        ),
      );
    }
    const plain = await page("/stats");
    expect([dateValue(plain.html, "from"), dateValue(plain.html, "to")]).toEqual(expected.year);
    // Nothing happened this year in the fixture.
    expect(card(plain.html, "活动")).toMatch(/^0 场次/);
  });

  it("takes custom dates, and says what is wrong with bad ones (never a 500)", async () => {
    const custom = await page(`/stats?period=custom&from=${LAST_YEAR}-06-01&to=${LAST_YEAR}-06-30`);
    expect(custom.status).toBe(200);
    expect(custom.html).toMatch(new RegExp(`<h2 id="headline-title">${LAST_YEAR}年6月概况</h2>`));
    expect(card(custom.html, "受众")).toMatch(/^7 人次/);

    const garbage = await page("/stats?period=custom&from=2026-13-45&to=yesterday");
    expect(garbage.status).toBe(400);
    expect(visibleText(garbage.html)).toContain("开始日期不是有效的日期");
    expect(visibleText(garbage.html)).toContain("结束日期格式应为 2026-12-01");
    expect(garbage.html).toContain('aria-describedby="period-from-error"');
    expect(garbage.html).not.toContain("stats-card");

    const backwards = await page(`/stats?period=custom&from=${LAST_YEAR}-06-30&to=${LAST_YEAR}-06-01`);
    expect(backwards.status).toBe(400);
    expect(visibleText(backwards.html)).toContain("开始日期应不晚于结束日期");

    const missing = await page("/stats?period=custom");
    expect(missing.status).toBe(400);
    expect(visibleText(missing.html)).toContain("请填写开始日期");

    const unknownPeriod = await page("/stats?period=decade");
    expect(unknownPeriod.status).toBe(400);
    expect(visibleText(unknownPeriod.html)).toContain("时段应为本月、今年、去年或自定义");

    const nowhere = await page("/stats?scope=subdistrict&id=no-such-place");
    expect(nowhere.status).toBe(404);

    const params = ["scope", "id", "period", "from", "to", "report"];
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...params), garbageFormValue()), async (query) => {
        const res = await server.request(`/stats?${new URLSearchParams(query)}`);
        await expectCleanAnswer(res);
      }),
      { numRuns: propertyRuns(40) },
    );
  });

  it("writes the work-report paragraph with the real figures (生成报告)", async () => {
    const before = await page(`/stats?${LAST_YEAR_QUERY}`);
    const link = hrefs(before.html).find((href) => href.includes("report=1"));
    expect(link).toBe(`/stats?scope=district&id=${fx.district.id}&period=lastYear&report=1#report`);

    const { status, html } = await page(link ?? "");
    expect(status).toBe(200);
    const paragraph = decodeEntities(
      /<textarea[^>]*readOnly[^>]*>([^<]*)<\/textarea>/i.exec(html)?.[1] ?? "",
    );
    expect(paragraph).toContain(`${LAST_YEAR}年，明湖区入驻“三社联动”信息平台的社会组织、特色商家共有2家`);
    expect(paragraph).toContain("居民提出需求2件，成功对接1件，已办结1件");
    expect(paragraph).toContain("需求从提出到对接用时的中位数为12小时");
    expect(paragraph).toContain(
      "举办各类活动3场次，受众人数达1.2万余人次，其中签到居民2人，报名居民平均到场率75.0%。",
    );
    // Its label names what it is; copying needs scripts, so there is no 复制 button without them.
    expect(visibleText(html)).toContain(`明湖区${LAST_YEAR}年工作报告段落`);
    expect(html).not.toContain(">复制<");
  });
});

describe("/stats below the district (staff in scope)", () => {
  it("tells an anonymous visitor to sign in, and foreign staff that it is not theirs", async () => {
    const anonymous = await page(`/stats?${subdistrictA()}&${LAST_YEAR_QUERY}`);
    expect(anonymous.status).toBe(401);
    const text = visibleText(anonymous.html);
    expect(text).toContain("请先登录");
    expect(text).toContain("街道和社区的统计仅供辖区工作人员查看");
    expect(hrefs(anonymous.html)).toContain(
      `/login?redirectTo=${encodeURIComponent(`/stats?${subdistrictA()}&${LAST_YEAR_QUERY}`)}`,
    );
    expect(anonymous.html).not.toContain("stats-card");

    const foreign = await page(`/stats?${subdistrictB()}`, await cookieOf(fx.users.subdistrictAdminA));
    expect(foreign.status).toBe(403);
    expect(visibleText(foreign.html)).toContain("没有查看权限");
    expect(hrefs(foreign.html)).toContain(`/stats?scope=district&id=${fx.district.id}&period=year`);

    const resident = await page(
      `/stats?scope=community&id=${fx.communities.a1.id}`,
      await cookieOf(fx.users.residentA1),
    );
    expect(resident.status).toBe(403);
  });

  it("opens a subdistrict admin's own subdistrict, with drill links to its communities", async () => {
    const cookie = await cookieOf(fx.users.subdistrictAdminA);
    const { status, html } = await page(`/stats?${LAST_YEAR_QUERY}`, cookie);
    expect(status).toBe(200);
    expect(visibleText(html)).toContain("统计 · 东湖街道");
    expect(card(html, "活动")).toMatch(/^2 场次/);
    expect(card(html, "受众")).toMatch(/^8 人次/);
    expect(card(html, "服务居民")).toMatch(/^2 人/);

    // Breadcrumbs up to the district; rows down to each community, keeping the period.
    const links = hrefs(html);
    expect(links).toContain(`/stats?scope=district&id=${fx.district.id}&period=lastYear`);
    expect(links).toContain(`/stats?scope=community&id=${fx.communities.a1.id}&period=lastYear`);
    expect(links).toContain(`/stats?scope=community&id=${fx.communities.a2.id}&period=lastYear`);
    expect(tableRows(html, "各社区数据").map((row) => row.slice(0, 1).concat(row.slice(4, 6)))).toEqual([
      ["映月社区", "1", "7"],
      ["望湖社区", "1", "1"],
    ]);

    // The picker: the district and their own territory, nothing of subdistrict B.
    expect(html).toContain(`<option value="${fx.district.id}">明湖区（全区）</option>`);
    expect(html).toContain(`<option value="${fx.subdistricts.a.id}" selected="">东湖街道（全街道）</option>`);
    expect(html).toContain(`<option value="${fx.communities.a1.id}">映月社区</option>`);
    expect(html).not.toContain(`value="${fx.communities.b1.id}"`);

    // The lists behind the figures, as staff in scope.
    const lists = links
      .filter((href) => href.includes("format=xlsx"))
      .map((href) => /dataset=(\w+)/.exec(href)?.[1]);
    expect(lists).toEqual(["figures", "activities", "providers", "needs"]);

    // The picker's own address (only the id) finds the scope.
    const picked = await page(`/stats?id=${fx.communities.a1.id}&period=lastYear`, cookie);
    expect(picked.status).toBe(200);
    expect(visibleText(picked.html)).toContain("统计 · 映月社区");
    expect(card(picked.html, "受众")).toMatch(/^7 人次/);
    expect(hrefs(picked.html)).toContain(
      `/stats?scope=subdistrict&id=${fx.subdistricts.a.id}&period=lastYear`,
    );
  });

  it("shows a subdistrict admin the district without ways into other subdistricts or its lists", async () => {
    const { status, html } = await page(
      `/stats?scope=district&id=${fx.district.id}&${LAST_YEAR_QUERY}`,
      await cookieOf(fx.users.subdistrictAdminA),
    );
    expect(status).toBe(200);
    const links = hrefs(html);
    expect(links).toContain(`/stats?scope=subdistrict&id=${fx.subdistricts.a.id}&period=lastYear`);
    expect(links.some((href) => href.includes(`id=${fx.subdistricts.b.id}`))).toBe(false);
    expect(links.some((href) => href.includes("dataset=activities"))).toBe(false);
  });

  it("shows a community worker their community, with no link up to the subdistrict", async () => {
    const worker = await createUser(db(), {
      roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }],
    });
    const { status, html } = await page(`/stats?${LAST_YEAR_QUERY}`, await cookieOf(worker));
    expect(status).toBe(200);
    expect(visibleText(html)).toContain("统计 · 河西社区");
    expect(card(html, "受众")).toBe("1.2万 人次 共 12,340 人次（签到加现场加入）");
    expect(hrefs(html).some((href) => href.includes(`id=${fx.subdistricts.b.id}`))).toBe(false);
    expect(html).not.toContain("各社区数据");
  });
});

describe("/stats, the one picker form (issue #15, item 15)", () => {
  /** The names of the fields the picker form sends, in order: what a browser would submit. */
  function pickerFields(html: string) {
    const form = /<form[^>]*aria-label="选择地区和时段"[^>]*>(.*?)<\/form>/s.exec(html)?.[1] ?? "";
    return [...form.matchAll(/<(?:input|select)[^>]*\bname="([^"]*)"/g)].map((match) => match[1]);
  }

  it("always names the territory whose figures it shows, whatever is picked after what", async () => {
    const admin = fx.users.districtAdmin;
    const [cookie, token] = await Promise.all([cookieOf(admin), tokenFor(admin.id)]);
    const { a, b } = fx.subdistricts;
    const { a1, a2, b1 } = fx.communities;
    const scopes: Record<string, string> = {
      [fx.district.id]: "district",
      [a.id]: "subdistrict",
      [b.id]: "subdistrict",
      [a1.id]: "community",
      [a2.id]: "community",
      [b1.id]: "community",
    };
    const territories = [fx.district.id, a1.id, b.id, a2.id, a.id, b1.id];
    const PRESET_DATES: Record<string, { from: string; to: string }> = {
      lastYear: { from: `${LAST_YEAR}-01-01`, to: `${LAST_YEAR}-12-31` },
      year: { from: `${THIS_YEAR}-01-01`, to: isoDay(TODAY) },
    };
    const periods = [
      { period: "lastYear", from: "", to: "" },
      { period: "custom", from: `${LAST_YEAR}-06-01`, to: `${LAST_YEAR}-07-31` },
      { period: "year", from: "", to: "" },
      { period: "custom", from: `${LAST_YEAR}-08-01`, to: `${LAST_YEAR}-08-31` },
    ];

    // Each step picks a territory and a period in the form of the page the last step showed, the
    // way someone would go from one to the next: 映月社区, then a period, then another area...
    let current = await page("/stats", cookie);
    let steps = 0;
    for (const [index, id] of territories.entries()) {
      for (const when of [periods[index % periods.length], periods[(index + 1) % periods.length]]) {
        if (!when) continue;
        // One form, carrying the territory and the period together (no stale scope of its own).
        expect(pickerFields(current.html)).toEqual(["id", "period", "from", "to"]);
        const submitted = new URLSearchParams({
          id,
          period: when.period,
          from: when.from || (dateValue(current.html, "from") ?? ""),
          to: when.to || (dateValue(current.html, "to") ?? ""),
        });
        current = await page(`/stats?${submitted}`, cookie);
        expect(current.status).toBe(200);

        // The API for the same territory and the same days.
        const dates = when.period === "custom" ? when : PRESET_DATES[when.period];
        const res = await server.request(
          `/api/v1/stats?${new URLSearchParams({ scope: scopes[id] ?? "", id, from: dates?.from ?? "", to: dates?.to ?? "" })}`,
          { token },
        );
        expect(res.status).toBe(200);
        const api: Stats = await res.json();

        const text = visibleText(current.html);
        expect(text).toContain(`统计 · ${api.name}`);
        expect(current.html).toContain(`<option value="${id}" selected="">`);
        expect(card(current.html, "活动")).toMatch(new RegExp(`^${api.activities.held} 场次`));
        expect(card(current.html, "受众")).toMatch(
          new RegExp(`^${reportNumber(api.participation.personTimes)} 人次`),
        );
        expect(card(current.html, "服务居民")).toMatch(new RegExp(`^${api.participation.uniquePersons} 人`));
        expect([dateValue(current.html, "from"), dateValue(current.html, "to")]).toEqual([api.from, api.to]);
        steps += 1;
      }
    }
    expect(steps).toBe(territories.length * 2);
  });
});

describe("the home page", () => {
  it("shows everyone the district's figures of this year so far, with a link to 统计", async () => {
    // Today (China) at one second past midnight: this year, already past.
    const today = new Date(TODAY.getTime() - 8 * 3600 * 1000 + 1000);
    await createHeldActivity(db(), {
      communityId: fx.communities.a1.id,
      createdById: fx.users.workerA1.id,
      startsAt: today,
      walkIns: 23_456,
      attendees: [{ userId: fx.users.residentA1.id, checkedIn: true }],
    });
    await recomputeTallies();
    await recountAllDays();

    const { status, html } = await page("/");
    expect(status).toBe(200);
    const text = visibleText(html);
    expect(text).toContain(`明湖区${THIS_YEAR}年以来`);
    expect(text).toContain("1场次社区活动");
    expect(text).toContain("2.3万人次参加活动");
    expect(text).toContain("1位居民到场参加");
    // Providers on the platform now: both joined last year.
    expect(text).toContain("2家社会组织和特色商家入驻");
    expect(hrefs(html)).toContain("/stats");
  });
});
