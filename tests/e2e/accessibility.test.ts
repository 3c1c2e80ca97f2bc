import type { Page } from "playwright-core";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { recomputeTallies } from "~/domain/activities/tallies.server";
import { recountAllDays } from "~/domain/stats/daily.server";
import { chinaDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { closeQueues } from "~/queue/queues.server";
import { PostgresSearchEngine } from "~/search/postgres-engine.server";
import { reindex } from "~/search/reindex.server";
import { createResident, createTerritoryFixture, createUser } from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { createEvaluationRow, createProjectRow } from "../../prisma/factories/projects";
import { createBookingRow } from "../../prisma/factories/venues";
import { createHeldActivity } from "../factories/activities";
import { failedJob } from "../factories/queue-jobs";
import { axeViolations } from "./axe";
import { type Account, atPath, browserJourney, setElderMode, signIn, successMessage } from "./browser";

// Accessibility (issue #7) in Debian's Chromium:
// 1. axe-core on every main page, as the person who uses it, in normal and 适老化 mode, at 390 and
//    360 px: no serious or critical violation. Each finding names the rule, its impact, the target
//    selectors and a snippet of the markup, so a failure says what to fix. (This file runs under
//    test:full and when named, always whole: ADR 0020's eighth phase.)
// 2. Reflow on the same pages: no sideways scrolling at 360 px, nor at 200% zoom (a 1280 × 800 desktop
//    window at 200% lays the page out in a 640 × 400 CSS-pixel viewport, which is what is emulated;
//    see ADR 0015), except inside a deliberate .table-scroll container.
// 3. The keyboard alone: a resident skips to the content, signs in, posts a need and registers for an
//    activity with Tab, Shift+Tab, Enter, Space and the arrow keys; every focus stop shows an outline
//    that stands out from what is behind it, and every page visited lets focus out again (no trap).
// (axe itself: ./axe.ts.)

const { origin, url, openBrowser, expectScriptsRan, chromium } = browserJourney();
afterAll(closeQueues);

type Who = "anonymous" | "resident" | "provider" | "worker" | "admin";
type Fixture = Awaited<ReturnType<typeof createFixture>>;
let fx: Fixture;

const hour = 3600 * 1000;
const day = 24 * hour;

/** A small but realistic community: named places, a provider with services, needs in several states,
 * an activity open for registration (starting within the hour, so its desk is open), last month's
 * held activities with their figures counted, notifications, and the search index built. */
async function createFixture() {
  const territory = await createTerritoryFixture(db());
  const { communities, subdistricts, users } = territory;
  const a1 = communities.a1.id;
  await db().subdistrict.update({ where: { id: subdistricts.a.id }, data: { name: "东湖街道" } });
  await db().community.update({ where: { id: a1 }, data: { name: "映月社区" } });
  await db().community.update({ where: { id: communities.a2.id }, data: { name: "望湖社区" } });
  const resident = { ...users.residentA1, name: "王秀英" };
  await db().user.update({ where: { id: resident.id }, data: { name: resident.name } });
  const neighbours = {
    li: await createResident(db(), a1, { name: "李桂兰" }),
    zhao: await createResident(db(), a1, { name: "赵建国" }),
    sun: await createResident(db(), a1, { name: "孙玉梅" }),
  };

  const member = await createUser(db(), { name: "陈志刚" });
  // Has not agreed to the current privacy notice: their pages carry the banner asking for it.
  await db().user.update({
    where: { id: member.id },
    data: { privacyNoticeVersion: null, privacyConsentAt: null },
  });
  const provider = await createProvider(db(), {
    name: "映月社区健康服务社",
    communityIds: [a1, communities.a2.id],
    members: [{ userId: member.id }],
    description: "由退休医生和护士组成，为社区老人提供健康讲座、上门助浴和陪诊服务。",
    businessPhone: "057188881234",
  });
  const bathing = await createService(db(), {
    providerId: provider.id,
    communityIds: [a1],
    title: "上门助浴服务",
    description: "两名护理员上门，为行动不便的老人助浴，全程注意防滑保暖。",
    category: "elderly-care",
    funding: "PAID",
    priceFen: 6000,
    capacityPerWeek: 10,
  });
  await createService(db(), {
    providerId: provider.id,
    communityIds: [a1, communities.a2.id],
    title: "慢病健康讲座",
    description: "社区医生讲解高血压、糖尿病的日常保健。",
    category: "medical",
    funding: "GOVERNMENT_PURCHASED",
  });
  await createService(db(), {
    providerId: provider.id,
    communityIds: [a1],
    title: "陪同就医（草稿）",
    category: "medical",
    status: "DRAFT",
  });
  const applicant = await createUser(db(), { name: "刘晓燕" });
  const pending = await createProvider(db(), {
    name: "望湖四点半课堂",
    kind: "SOCIAL_ORG",
    status: "PENDING",
    communityIds: [communities.a2.id],
    members: [{ userId: applicant.id }],
  });

  const ownNeed = await createNeed(db(), {
    requesterId: resident.id,
    communityId: a1,
    title: "老人需要每周上门探访",
    description: "独居老人，子女在外地，希望每周有人上门聊聊天、看看身体情况。",
    category: "elderly-care",
    requestedServiceId: bathing.id,
  });
  await createNeed(db(), {
    requesterId: neighbours.li.id,
    communityId: a1,
    title: "希望有人帮忙助浴",
    description: "腿脚不便，自己洗澡不安全，希望有护理员上门帮忙。",
    category: "elderly-care",
    urgency: "HIGH",
  });
  await createNeed(db(), {
    requesterId: neighbours.zhao.id,
    communityId: a1,
    title: "孩子放学后没人照看",
    description: "双职工家庭，孩子下午四点半放学后需要托管和辅导作业。",
    category: "education",
    status: "FULFILLED",
    createdAt: new Date(Date.now() - 20 * day),
  });

  // Open for registration, starting within the hour (so its 签到台 is open): one seat taken by the
  // resident, one left.
  const now = Date.now();
  const activity = await createHeldActivity(db(), {
    communityId: a1,
    createdById: users.workerA1.id,
    startsAt: new Date(Math.ceil((now + hour / 2) / 60_000) * 60_000),
    status: "PUBLISHED",
    title: "重阳节健康讲座",
    description: "社区医生讲解秋冬季节的保健知识，现场免费测量血压。",
    venue: "映月社区党群服务中心二楼",
    capacity: 2,
    category: "medical",
    attendees: [{ userId: resident.id, checkedIn: false }],
  });
  // Another one a week ahead, with a free seat for the keyboard journey.
  const nextWeek = await createHeldActivity(db(), {
    communityId: a1,
    createdById: users.workerA1.id,
    startsAt: new Date(Math.ceil((now + 7 * day) / 60_000) * 60_000),
    status: "PUBLISHED",
    title: "智能手机使用课堂",
    description: "志愿者手把手教老人用手机挂号、视频通话和防范电信诈骗。",
    venue: "映月社区活动室",
    capacity: 20,
    category: "culture",
  });
  // Held last month and this month: the figures of 统计 and the 往期活动 list.
  const thisMonth = chinaDay(new Date());
  await createHeldActivity(db(), {
    communityId: a1,
    createdById: users.workerA1.id,
    startsAt: new Date(thisMonth.getTime() - 30 * day + 9 * hour),
    title: "中秋游园会",
    walkIns: 120,
    attendees: Object.values(neighbours).map((n, i) => ({ userId: n.id, checkedIn: i < 2 })),
  });
  await createHeldActivity(db(), {
    communityId: communities.a2.id,
    createdById: users.workerA1.id,
    startsAt: new Date(thisMonth.getTime() - 45 * day + 14 * hour),
    title: "红色物业议事会",
    walkIns: 35,
  });
  await recomputeTallies();
  await recountAllDays();

  await db().notification.createMany({
    data: [
      {
        userId: resident.id,
        kind: "need.proposed",
        title: "您的需求有了新进展",
        body: "社区工作者为“老人需要每周上门探访”推荐了映月社区健康服务社。",
        link: `/needs/${ownNeed.id}`,
        dedupeKey: "a11y-1",
      },
      {
        userId: resident.id,
        kind: "activity.reminder",
        title: "活动提醒",
        body: "“重阳节健康讲座”即将开始，请带好签到码。",
        link: `/activities/${activity.id}`,
        dedupeKey: "a11y-2",
        readAt: new Date(),
      },
    ],
  });
  // A failed index row, so 索引同步队列 shows its table.
  await db().outboxEvent.create({
    data: {
      topic: "service.changed",
      aggregateType: "service",
      aggregateId: bathing.id,
      version: 1,
      status: "DEAD",
      attempts: 8,
      lastError: "engine unreachable",
    },
  });
  // A failed job, so 队列状态 shows its list and retry buttons.
  await failedJob("statistics", "tallyActivity", { activityId: activity.id }, "统计库连接超时");
  // A venue with a menu and, for the resident, a weekly series: one date coming, one declined.
  const venue = await db().venue.create({
    data: {
      name: "映月社区党群服务中心 · 多功能厅",
      subdistrictId: subdistricts.a.id,
      communityId: a1,
      address: "映月路12号二楼",
      capacity: 40,
      description: "可开展党日活动、讲座和培训。",
      openingHours: {
        create: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensMinute: 510, closesMinute: 1260 })),
      },
      menu: { create: [{ position: 0, title: "重温入党誓词", minutes: 20, maxGroupSize: 30 }] },
    },
  });
  const bookingAt = (days: number, status: "CONFIRMED" | "DECLINED") =>
    db().booking.create({
      data: {
        venueId: venue.id,
        status,
        channel: "WEB",
        startsAt: new Date(now + days * day),
        endsAt: new Date(now + days * day + 2 * hour),
        seriesId: "a11y-series",
        bookerId: resident.id,
        createdById: resident.id,
        groupName: "映月科技公司党支部",
        expectedPersons: 20,
        contactName: resident.name,
        contactPhone: resident.phone,
        purpose: "主题党日",
        reason: status === "DECLINED" ? "当天已安排区级活动" : null,
      },
    });
  const booked = await bookingAt(3, "CONFIRMED");
  await bookingAt(10, "DECLINED");
  // For 预约审核: a request waiting, and a phone booking under way that waits for 到场人数.
  await createBookingRow(db(), {
    venueId: venue.id,
    startsAt: new Date(Math.ceil((now + 2 * day) / 60_000) * 60_000),
    createdById: resident.id,
  });
  await createBookingRow(db(), {
    venueId: venue.id,
    status: "CONFIRMED",
    channel: "PHONE",
    startsAt: new Date(Math.floor((now - 2 * hour) / 60_000) * 60_000),
    createdById: users.workerA1.id,
    bookerId: null,
    groupName: "东湖街道老干部党支部",
  });
  await reindex(new PostgresSearchEngine(db()));
  // A project of the subdistrict from the provider, with its mid-term evaluation (政府购买服务).
  const project = await createProjectRow(db(), {
    purchaser: {
      id: subdistricts.a.id,
      level: "SUBDISTRICT",
      subdistrictId: subdistricts.a.id,
      districtId: territory.district.id,
    },
    providerId: provider.id,
    createdById: users.districtAdmin.id,
    title: "东湖街道居家养老服务项目",
    startsOn: new Date(Date.UTC(chinaDay(new Date()).getUTCFullYear(), 0, 1)),
    endsOn: new Date(Date.UTC(chinaDay(new Date()).getUTCFullYear(), 11, 31)),
    targets: { activitiesHeld: 12, personTimes: 300, ratingX100: 450 },
  });
  await createEvaluationRow(db(), {
    projectId: project.id,
    stage: "MIDTERM",
    evaluatorId: users.districtAdmin.id,
    scores: [
      { indicator: "服务成效", score: 34, max: 40 },
      { indicator: "项目管理", score: 18, max: 20 },
    ],
  });

  return {
    project,
    venue,
    booked,
    ...territory,
    resident,
    member,
    provider,
    pending,
    bathing,
    ownNeed,
    activity,
    nextWeek,
  };
}

beforeEach(async () => {
  fx = await createFixture();
});

/** The pages of the product, each as the person who uses it. */
function mainPages(): { who: Who; path: string; ready?: string }[] {
  const { provider, pending, bathing, ownNeed, activity, project, venue, booked } = fx;
  const mine = `/me/providers/${provider.id}`;
  return [
    { who: "anonymous", path: "/" },
    { who: "anonymous", path: "/services" },
    { who: "anonymous", path: `/services/${bathing.id}` },
    { who: "anonymous", path: "/providers" },
    { who: "anonymous", path: `/providers/${provider.id}` },
    { who: "anonymous", path: "/needs" },
    { who: "anonymous", path: "/activities" },
    { who: "anonymous", path: "/activities?when=past" },
    { who: "anonymous", path: "/activities?view=calendar" },
    { who: "anonymous", path: `/activities/${activity.id}` },
    { who: "anonymous", path: `/search?q=${encodeURIComponent("助浴")}` },
    { who: "anonymous", path: `/search?q=${encodeURIComponent("宠物美容")}` },
    { who: "anonymous", path: "/stats", ready: ".stats-chart svg" },
    { who: "anonymous", path: "/venues" },
    { who: "anonymous", path: `/venues/${venue.id}` },
    { who: "anonymous", path: "/projects" },
    { who: "anonymous", path: `/projects/${project.id}` },
    { who: "anonymous", path: "/projects/indicators" },
    { who: "anonymous", path: "/login" },
    { who: "anonymous", path: "/register" },
    { who: "anonymous", path: "/forgot-password" },
    { who: "anonymous", path: "/no-such-page" },
    { who: "resident", path: "/needs/new" },
    { who: "resident", path: `/needs/new?serviceId=${bathing.id}` },
    { who: "resident", path: `/needs/${ownNeed.id}` },
    { who: "resident", path: `/activities/${activity.id}` },
    { who: "resident", path: "/me" },
    { who: "resident", path: "/me/needs" },
    { who: "resident", path: "/me/activities" },
    { who: "resident", path: "/me/notifications" },
    { who: "resident", path: "/me/bookings" },
    { who: "resident", path: `/me/bookings/${booked.id}?done=booked` },
    { who: "resident", path: `/venues/${venue.id}/book` },
    { who: "anonymous", path: `/search?type=venue&q=${encodeURIComponent("入党誓词")}` },
    { who: "resident", path: "/providers/apply" },
    { who: "provider", path: "/me/providers" },
    { who: "provider", path: mine },
    { who: "provider", path: `${mine}/services` },
    { who: "provider", path: `${mine}/services/new` },
    { who: "provider", path: `${mine}/services/${bathing.id}/edit` },
    { who: "provider", path: "/privacy" },
    { who: "worker", path: "/workbench" },
    { who: "worker", path: "/workbench/needs" },
    { who: "worker", path: "/workbench/password-reset" },
    { who: "worker", path: `/needs/${ownNeed.id}` },
    { who: "worker", path: "/workbench/activities" },
    { who: "worker", path: "/workbench/activities?show=today" },
    { who: "worker", path: "/activities/new" },
    { who: "worker", path: `/activities/${activity.id}` },
    { who: "worker", path: `/activities/${activity.id}/edit` },
    { who: "worker", path: `/activities/${activity.id}/desk` },
    { who: "worker", path: "/stats", ready: ".stats-chart svg" },
    { who: "worker", path: "/venues/new" },
    { who: "worker", path: `/venues/${venue.id}/edit` },
    { who: "worker", path: `/venues/${venue.id}/manage` },
    { who: "worker", path: `/venues/${venue.id}/on-behalf` },
    { who: "worker", path: "/workbench/bookings" },
    { who: "admin", path: "/workbench/providers" },
    { who: "admin", path: `/workbench/providers/${pending.id}` },
    { who: "admin", path: "/workbench/territory" },
    { who: "admin", path: "/workbench/staff" },
    { who: "admin", path: `/workbench/staff?remove=${fx.users.workerA1.id}` },
    { who: "admin", path: "/workbench/outbox" },
    { who: "admin", path: "/workbench/queues" },
    { who: "admin", path: "/projects/new" },
    { who: "admin", path: `/projects/${project.id}` },
    { who: "admin", path: `/projects/${project.id}/edit` },
    { who: "admin", path: `/projects/${project.id}/evaluations/new` },
    { who: "admin", path: `/projects/${project.id}/report` },
    { who: "admin", path: `/projects/${project.id}/declared-figures` },
    { who: "admin", path: `/projects/${project.id}/callbacks` },
    { who: "admin", path: "/projects/indicators" },
  ];
}

const accountOf = (who: Exclude<Who, "anonymous">): Account => {
  const { users } = fx;
  return { resident: fx.resident, provider: fx.member, worker: users.workerA1, admin: users.districtAdmin }[
    who
  ];
};

/** When the page is wider than the viewport: what sticks out — the innermost elements, and text that
 * overflows its own box — except inside a deliberate .table-scroll container, which scrolls by itself. */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width + 1) return [];
    const outside = (box: DOMRect) => box.right > width + 1 && box.width > 0;
    const sticksOut = (element: Element) =>
      element.closest(".table-scroll") === null && outside(element.getBoundingClientRect());
    const describe = (element: Element, right: number) => {
      const text = (element.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 24);
      return `${element.tagName.toLowerCase()}.${element.classList.value} “${text}” (right edge ${Math.round(right)})`;
    };
    const culprits = [...document.body.querySelectorAll("*")]
      .filter((element) => sticksOut(element) && ![...element.children].some(sticksOut))
      .map((element) => describe(element, element.getBoundingClientRect().right));
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest(".table-scroll") || sticksOut(parent)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      if (outside(box)) culprits.push(`text of ${describe(parent, box.right)}`);
    }
    return [`page ${document.documentElement.scrollWidth} px wide: ${culprits.slice(0, 4).join("; ")}`];
  });

describe("every main page", () => {
  /** axe runs at both widths; sideways scrolling is checked at 360 px and at 200% zoom. */
  const axeWidths = [390, 360];
  const people: Who[] = ["anonymous", "resident", "provider", "worker", "admin"];
  it.each(people)(
    `has no serious or critical axe violation, and no sideways scrolling at 360 px or 200% zoom, in both modes, as %s`,
    async (who) => {
      const problems: string[] = [];
      /** public/build is shared with other work that may rebuild it meanwhile: say so once. */
      const missingAssets =
        "some /build/ assets were missing (public/build was rebuilt meanwhile): rebuild and rerun";
      const pages = mainPages().filter((p) => p.who === who);
      expect(pages).not.toEqual([]);
      const context = await chromium().newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
      const page = await context.newPage();
      page.on("response", (response) => {
        const asset = new URL(response.url()).pathname;
        if (response.status() >= 400 && asset.startsWith("/build/") && !problems.includes(missingAssets)) {
          problems.push(missingAssets);
        }
      });
      page.on("pageerror", (error) => problems.push(`${who}: page error ${error.message}`));
      if (who !== "anonymous") await signIn(page, origin(), accountOf(who));
      for (const elder of [false, true]) {
        await setElderMode(context, origin(), elder);
        const mode = elder ? "适老化" : "normal";
        for (const { path, ready } of pages) {
          await page.setViewportSize({ width: 390, height: 844 });
          const response = await page.goto(url(path));
          const status = response?.status() ?? 0;
          if (status >= 400 && path !== "/no-such-page") problems.push(`${who} ${path}: HTTP ${status}`);
          if (ready) await page.locator(ready).first().waitFor();
          const where = `${path} as ${who}, ${mode}`;
          expect(await page.evaluate(() => document.documentElement.className)).toBe(elder ? "elder" : "");
          const seen = new Set<string>();
          for (const width of axeWidths) {
            await page.setViewportSize({ width, height: 800 });
            for (const finding of await axeViolations(page)) {
              for (const node of finding.nodes) {
                const key = `${finding.rule} ${node.target}`;
                if (seen.has(key)) continue;
                seen.add(key);
                problems.push(
                  `${where}, ${width} px: [${finding.impact}] ${finding.rule} (${finding.help}) at ${node.target}: ${node.html}`,
                );
              }
            }
            if (width === 360) {
              for (const line of await overflow(page)) problems.push(`${where}, 360 px: ${line}`);
            }
          }
          await page.setViewportSize({ width: 640, height: 400 });
          for (const line of await overflow(page)) problems.push(`${where}, 200% zoom: ${line}`);
        }
      }
      await context.close();
      expect(problems).toEqual([]);
    },
    240_000,
  );
});

type Focused = {
  path: string;
  tag: string;
  name: string;
  inMain: boolean;
  /** Why the focus is not visible enough, or null. */
  invisible: string | null;
};

/** What has the focus, and whether a sighted keyboard user can see it: an outline at least 2 px wide
 * whose colour has a contrast of 3:1 or more with the background around the element (WCAG 2.4.7 and
 * 2.4.11's minimum). */
const focused = (page: Page): Promise<Focused | null> =>
  page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body || !(element instanceof HTMLElement)) return null;
    const rgb = (colour: string) => (colour.match(/[\d.]+/g) ?? []).map(Number);
    const channel = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    const luminance = ([r = 0, g = 0, b = 0]: number[]) =>
      0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    let background = "rgb(255, 255, 255)";
    for (let el = element.parentElement; el; el = el.parentElement) {
      const colour = getComputedStyle(el).backgroundColor;
      const alpha = rgb(colour)[3];
      if (colour !== "transparent" && alpha !== 0) {
        background = colour;
        break;
      }
    }
    const style = getComputedStyle(element);
    const width = Number.parseFloat(style.outlineWidth);
    const [l1, l2] = [luminance(rgb(style.outlineColor)), luminance(rgb(background))];
    const contrast = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    // Shift+Tab into a date field stops first on its calendar button, a part of the control that the
    // browser draws and rings itself (the field does not match :focus then).
    const ownPart =
      element instanceof HTMLInputElement && element.type.startsWith("date") && !element.matches(":focus");
    const invisible = ownPart
      ? null
      : style.outlineStyle === "none" || width < 2
        ? `no outline (${style.outlineStyle} ${style.outlineWidth})`
        : contrast < 3
          ? `outline ${style.outlineColor} on ${background}: contrast ${contrast.toFixed(2)}`
          : null;
    const path: string[] = [];
    for (let el: Element | null = element; el && el !== document.body; el = el.parentElement) {
      const index = el.parentElement ? [...el.parentElement.children].indexOf(el) : 0;
      path.unshift(`${el.tagName.toLowerCase()}:${index}`);
    }
    const label =
      element instanceof HTMLInputElement ||
      element instanceof HTMLSelectElement ||
      element instanceof HTMLTextAreaElement
        ? (element.labels?.[0]?.textContent ?? "")
        : (element.getAttribute("aria-label") ?? element.textContent ?? "");
    return {
      path: path.join(">"),
      tag: element.tagName.toLowerCase(),
      name: label.replace(/\s+/g, " ").trim(),
      inMain: element.closest("main") !== null,
      invisible,
    };
  });

/** Presses Tab (or Shift+Tab) until the focus is on what `wanted` accepts; every stop on the way must
 * show its focus. */
async function tabTo(page: Page, wanted: (f: Focused) => boolean, key: "Tab" | "Shift+Tab" = "Tab") {
  const visited: string[] = [];
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (!now) continue;
    expect(now.invisible, `focus on ${now.tag} “${now.name}” is not visible`).toBeNull();
    if (wanted(now)) return now;
    visited.push(`${now.tag} “${now.name}”`);
  }
  throw new Error(`never reached the wanted element; focus went to: ${visited.join(", ")}`);
}
const named = (name: string, tag?: string) => (f: Focused) => f.name === name && (!tag || f.tag === tag);

/** Presses `key` until the focus leaves the page or comes round to where it started: the stops on the
 * way (path and name), each of which must show its focus. A stop visited twice before that is a trap. */
async function stopsUntilOut(page: Page, key: "Tab" | "Shift+Tab") {
  const stops: string[] = [];
  for (let i = 0; i < 300; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    // Between leaving the page at one end and entering at the other, the document itself may hold it.
    if (!now && stops.length === 0 && i < 2) continue;
    const stop = now && `${now.path} “${now.name}”`;
    if (!now || !stop || stop === stops[0]) return stops;
    // A date input's year, month and day are stops of their own within the one element.
    if (stop === stops.at(-1)) continue;
    expect(now.invisible, `focus on ${now.tag} “${now.name}” is not visible`).toBeNull();
    expect(stops, `focus is trapped: ${now.tag} “${now.name}” comes round again`).not.toContain(stop);
    stops.push(stop);
  }
  throw new Error(`focus did not leave the page after 300 presses of ${key}`);
}

/** From the top of the page (reloaded, so the focus starts there) to its end with Tab, and back with
 * Shift+Tab: the skip link comes first, every stop is visible, none is a trap, and the way back visits
 * the same stops in reverse. */
async function walkFocus(page: Page) {
  await page.reload();
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  const forth = await stopsUntilOut(page, "Tab");
  expect(forth[0]).toContain("跳到主要内容");
  expect(forth.length).toBeGreaterThan(3);
  // Chromium either leaves the page at an end or wraps round to the other: start from the last stop.
  const back = await stopsUntilOut(page, "Shift+Tab");
  const last = back.indexOf(forth.at(-1) ?? "");
  expect([...back.slice(last), ...back.slice(0, last)]).toEqual([...forth].reverse());
}

describe("the keyboard alone", () => {
  it("skips to the content, signs in, posts a need and registers for an activity; focus is always visible and never trapped", async () => {
    const page = await openBrowser("resident");
    await page.goto(url("/"));
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await walkFocus(page);

    // On a fresh page the first Tab reaches the skip link, which shows itself; Enter moves on to the
    // main content.
    await page.goto(url("/"));
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ name: "跳到主要内容", invisible: null });
    const skip = await page.getByRole("link", { name: "跳到主要内容" }).boundingBox();
    expect(skip?.x).toBeGreaterThanOrEqual(0);
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    expect((await focused(page))?.inMain).toBe(true);

    // Sign in: back up to the header's 登录 with Shift+Tab, then the two fields and the button.
    await tabTo(page, named("登录", "a"), "Shift+Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL(atPath(/^\/login$/));
    await page.getByRole("heading", { level: 1 }).waitFor();
    await walkFocus(page);
    await tabTo(page, named("手机号", "input"));
    await page.keyboard.type(fx.resident.phone);
    await tabTo(page, named("密码", "input"));
    await page.keyboard.type(fx.resident.password);
    await tabTo(page, named("登录", "button"));
    await page.keyboard.press("Enter");
    await page.waitForURL((current) => current.pathname !== "/login");
    await page.getByRole("banner").getByText(`您好，${fx.resident.name}`).waitFor();

    // Post a need: 需求 in the main navigation, 我要提需求, the form filled with keys only, Space on 提交.
    await tabTo(page, named("需求", "a"));
    await page.keyboard.press("Enter");
    await page.waitForURL(atPath(/^\/needs$/));
    await tabTo(page, named("我要提需求", "a"));
    await page.keyboard.press("Enter");
    await page.waitForURL(atPath(/^\/needs\/new$/));
    await page.getByRole("heading", { level: 1, name: "我要提需求" }).waitFor();
    await walkFocus(page);
    await tabTo(page, named("需求标题", "input"));
    await page.keyboard.type("希望有人陪老人去医院复诊");
    await tabTo(page, named("具体情况", "textarea"));
    await page.keyboard.type("老人行动不便，每月要去区医院复诊一次，子女上班走不开，希望有人陪同。");
    await tabTo(page, named("类别", "select"));
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await page.getByLabel("类别").inputValue()).not.toBe("");
    // The urgency radios: Tab lands on the chosen one, the arrow keys change it.
    const urgency = await tabTo(page, (f) => f.tag === "input" && f.name === "一般");
    expect(urgency.inMain).toBe(true);
    await page.keyboard.press("ArrowDown");
    const chosen = await page.evaluate(
      () => document.querySelector<HTMLInputElement>("input[name=urgency]:checked")?.value,
    );
    expect(chosen).not.toBe("NORMAL");
    await tabTo(page, named("提交需求", "button"));
    await page.keyboard.press("Space");
    await page.waitForURL(atPath(/^\/needs\/[A-Za-z0-9_-]+$/));
    await page.getByRole("heading", { level: 1, name: "希望有人陪老人去医院复诊" }).waitFor();
    expect(await db().need.count({ where: { requesterId: fx.resident.id } })).toBe(2);

    // Register for next week's activity: 活动 in the navigation, its link, 报名.
    await tabTo(page, named("活动", "a"), "Shift+Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL(atPath(/^\/activities$/));
    await tabTo(page, named(fx.nextWeek.title, "a"));
    await page.keyboard.press("Enter");
    await page.waitForURL(atPath(new RegExp(`^/activities/${fx.nextWeek.id}$`)));
    await walkFocus(page);
    await tabTo(page, named("报名", "button"));
    await page.keyboard.press("Enter");
    await successMessage(page)
      .getByText(/^报名成功！/)
      .waitFor();
    expect(
      await db().registration.count({ where: { activityId: fx.nextWeek.id, userId: fx.resident.id } }),
    ).toBe(1);
    expectScriptsRan();
  });

  it("keeps the focus visible and untrapped in 适老化 mode", async () => {
    const page = await openBrowser("elder resident");
    await setElderMode(page.context(), origin(), true);
    for (const path of ["/", "/login", `/activities/${fx.nextWeek.id}`, "/services", "/stats"]) {
      await page.goto(url(path));
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
      expect(await page.evaluate(() => document.documentElement.className)).toBe("elder");
      await walkFocus(page);
    }
    expectScriptsRan();
  });
});
