import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { Actor } from "~/domain/accounts/actor";
import { actorForToken, startSession } from "~/domain/accounts/sessions.server";
import { createActivity } from "~/domain/activities/activities.server";
import { registerForActivity } from "~/domain/activities/registrations.server";
import { recomputeTallies } from "~/domain/activities/tallies.server";
import { recountAllDays } from "~/domain/stats/daily.server";
import { chinaDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { PostgresSearchEngine } from "~/search/postgres-engine.server";
import { reindex } from "~/search/reindex.server";
import { createResident, createTerritoryFixture, createUser } from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { createHeldActivity } from "../factories/activities";
import { axeViolations } from "./axe";
import { documentWidth, PHONE } from "./browser";

// What the four journeys of issue #15 share: one small community seeded once for the file, and the
// step that checks and photographs each page a person reaches.

/** Where each step's screenshot is kept (gitignored): <journey>-<nn>-<step>.png. */
export const SCREENSHOTS_DIR = path.resolve("test-results/journeys");

/** Each test file keeps its own directory: files run in parallel, and each empties its own first. */
export async function emptyScreenshotsDir(dir = SCREENSHOTS_DIR) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

/**
 * The steps of one journey. Each step waits for the page's scripts, keeps a full-page screenshot,
 * and checks what every step must satisfy: 适老化 is on, the page is axe clean (no serious or
 * critical violation) and nothing scrolls sideways on the phone.
 */
export function journeySteps(journey: string, dir = SCREENSHOTS_DIR) {
  let count = 0;
  return async (page: Page, step: string) => {
    count += 1;
    const name = `${journey}-${String(count).padStart(2, "0")}-${step}`;
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
    const where = `${name} (${new URL(page.url()).pathname})`;
    expect(await page.evaluate(() => document.documentElement.className), where).toBe("elder");
    const findings = (await axeViolations(page)).flatMap((finding) =>
      finding.nodes.map((node) => `[${finding.impact}] ${finding.rule} at ${node.target}: ${node.html}`),
    );
    expect(findings, where).toEqual([]);
    expect(await documentWidth(page), where).toBeLessThanOrEqual(PHONE.width);
  };
}

/** What has the focus: its id, role, classes and text (the first 80 characters). */
export const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    return {
      tag: element?.tagName.toLowerCase() ?? "",
      id: element?.id ?? "",
      role: element?.getAttribute("role") ?? "",
      className: element?.className ?? "",
      text: (element?.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 80),
    };
  });

/** Where an element's box ends, from the top of the page as first shown (the viewport's top). Waits
 * for the element: after a client-side navigation the address changes before the new page renders. */
export async function bottomOf(page: Page, selector: Parameters<Page["locator"]>[0]) {
  const element = page.locator(selector).first();
  await element.waitFor();
  const box = await element.boundingBox();
  if (!box) throw new Error(`${selector} is not on the page`);
  return box.y + box.height;
}

/** A person as the domain sees them, for the steps set up without a browser (the other side's part). */
export async function actorOf(user: { id: string }): Promise<Actor> {
  const actor = await actorForToken((await startSession(user.id, "API")).token);
  if (!actor) throw new Error("no actor for the user");
  return actor;
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
/** A whole minute `ms` from now (the forms and the desk work to the minute). */
const fromNow = (ms: number) => new Date(Math.ceil((Date.now() + ms) / minute) * minute);

export const LAST_YEAR = chinaDay(new Date()).getUTCFullYear() - 1;

/**
 * 东湖街道 with 映月社区 and 望湖社区; a provider with a repair service and two haircut services, its
 * owner, a community worker and the district admin; needs that fit (上门理发) and do not fit (代买菜)
 * the provider; a lecture starting within the hour (the resident registers and checks in), a smartphone
 * class starting within two hours with three registrants (the worker's desk), one in three days (its
 * desk not yet open), the provider's own activity with two registrants, and last year's held
 * activities in both communities (统计). The search index is built.
 */
export async function seedJourneys() {
  const territory = await createTerritoryFixture(db());
  const { communities, subdistricts, users } = territory;
  const [a1, a2] = [communities.a1.id, communities.a2.id];
  await db().subdistrict.update({ where: { id: subdistricts.a.id }, data: { name: "东湖街道" } });
  await db().community.update({ where: { id: a1 }, data: { name: "映月社区" } });
  await db().community.update({ where: { id: a2 }, data: { name: "望湖社区" } });
  const neighbours = await Promise.all(
    ["李桂兰", "赵建国", "孙玉梅"].map((name) => createResident(db(), a1, { name })),
  );
  const [li, zhao, sun] = neighbours;
  if (!li || !zhao || !sun) throw new Error("three neighbours");

  const owner = await createUser(db(), { name: "陈志刚" });
  const provider = await createProvider(db(), {
    name: "映月便民服务社",
    communityIds: [a1, a2],
    members: [{ userId: owner.id }],
    contactPhone: "13655551234",
    businessPhone: "027-88886666",
    description: "社区里的水电师傅和理发师，为居民上门维修、上门理发。",
  });
  const repair = await createService(db(), {
    providerId: provider.id,
    communityIds: [a1, a2],
    title: "水电维修上门服务",
    description: "水龙头漏水、马桶堵塞、电路跳闸，师傅上门维修，材料按实价。",
    category: "housekeeping",
  });
  const haircutAtHome = await createService(db(), {
    providerId: provider.id,
    communityIds: [a1],
    title: "便民理发上门",
    description: "理发师带工具上门，为行动不便的老人理发、修面。",
    category: "elderly-care",
  });
  const haircutDay = await createService(db(), {
    providerId: provider.id,
    communityIds: [a1],
    title: "老年人理发日",
    description: "每月一次在社区活动室为老人免费理发。",
    category: "elderly-care",
    funding: "FREE",
  });

  const haircutNeed = await createNeed(db(), {
    requesterId: li.id,
    communityId: a1,
    title: "老人想上门理发",
    description: "父亲八十多岁，腿脚不便出不了门，想请师傅上门理发。",
    category: "elderly-care",
  });
  const groceryNeed = await createNeed(db(), {
    requesterId: zhao.id,
    communityId: a1,
    title: "希望有人每天代买菜",
    description: "老伴住院，自己要照顾她，想请人每天帮忙从菜市场带点菜回来。",
    category: "volunteer",
  });

  const worker = await actorOf(users.workerA1);
  const publish = async (values: { title: string; venue: string; startsAt: Date; capacity: number }) => {
    const { activity } = await createActivity(worker, {
      ...values,
      description: `${values.title}，欢迎社区居民报名参加。`,
      communityId: a1,
      endsAt: new Date(values.startsAt.getTime() + hour),
      category: "culture",
      publish: true,
    });
    return activity;
  };
  const lecture = await publish({
    title: "重阳节健康讲座",
    venue: "映月社区党群服务中心二楼",
    startsAt: fromNow(40 * minute),
    capacity: 30,
  });
  const phoneClass = await publish({
    title: "智能手机使用课堂",
    venue: "映月社区活动室",
    startsAt: fromNow(90 * minute),
    capacity: 20,
  });
  const dumplings = await publish({
    title: "冬至包饺子",
    venue: "映月社区食堂",
    startsAt: fromNow(3 * day),
    capacity: 40,
  });
  const classCodes: string[] = [];
  for (const person of neighbours) {
    classCodes.push((await registerForActivity(await actorOf(person), phoneClass.id, {})).checkInCode ?? "");
  }
  const dumplingsCode = (await registerForActivity(await actorOf(li), dumplings.id, {})).checkInCode ?? "";

  const { activity: providerActivity } = await createActivity(await actorOf(owner), {
    title: "社区义剪",
    description: "理发师在活动室为老人免费理发，请提前报名，按报名顺序理发。",
    venue: "映月社区活动室",
    communityId: a1,
    organiserProviderId: provider.id,
    startsAt: fromNow(5 * day),
    endsAt: fromNow(5 * day + 3 * hour),
    capacity: 10,
    category: "elderly-care",
    publish: true,
  });
  for (const person of [li, zhao]) await registerForActivity(await actorOf(person), providerActivity.id, {});

  // Last year: 映月社区 held two activities (1,230 + 800 walk-ins, two residents checked in), 望湖社区
  // one (40 walk-ins).
  const heldLastYear = (communityId: string, date: string, walkIns: number, checkedIn: string[] = []) =>
    createHeldActivity(db(), {
      communityId,
      createdById: users.workerA1.id,
      startsAt: new Date(`${LAST_YEAR}-${date}T09:30:00+08:00`),
      walkIns,
      attendees: checkedIn.map((userId) => ({ userId, checkedIn: true })),
    });
  await heldLastYear(a1, "03-08", 1_230, [li.id, zhao.id]);
  await heldLastYear(a1, "09-20", 800);
  await heldLastYear(a2, "05-01", 40);
  await recomputeTallies();
  await recountAllDays();
  await reindex(new PostgresSearchEngine(db()));

  return {
    ...territory,
    neighbours,
    owner,
    provider,
    repair,
    haircutAtHome,
    haircutDay,
    haircutNeed,
    groceryNeed,
    lecture,
    phoneClass,
    classCodes,
    dumplings,
    dumplingsCode,
    providerActivity,
  };
}
