import { hashPassword } from "~/domain/accounts/passwords.server";
import { recomputeTallies } from "~/domain/activities/tallies.server";
import { CATEGORY_CODES } from "~/domain/catalog/categories";
import { announceNewNeed, rankServicesForNeedId } from "~/domain/matching/suggestions.server";
import { notify, providerMemberIds } from "~/domain/notifications/notifications.server";
import { recountAllDays } from "~/domain/stats/daily.server";
import { chinaDay, chinaMidnight } from "~/lib/china-time";
import { db, disconnectDb } from "~/lib/db.server";
import { EnvError, seedEnv } from "~/lib/env.server";
import { searchEngine } from "~/search/engines.server";
import { reindex } from "~/search/reindex.server";
import { ACTIVITY_TEMPLATES, VENUES } from "./demo-activities";
import {
  demoNeedStatus,
  demoProviderPlan,
  NEED_TEMPLATES,
  prng,
  SERVICE_TEMPLATES,
} from "./demo-marketplace";
import { DEMO_INDICATORS, DEMO_PROJECTS, demoTarget } from "./demo-projects";
import { DEMO_DISTRICT, DEMO_PASSWORD, DEMO_SUBDISTRICTS, demoPlan } from "./demo-territory";
import { seedVenues } from "./demo-venues";
import { createCommunity, createDistrict, createResident, createSubdistrict, createUser } from "./factories";
import { createNeed, createProvider, createService } from "./factories/marketplace";
import { createEvaluationRow, createIndicatorSetRows, createProjectRow } from "./factories/projects";

// Demo data for an empty database, built with the same factories as the tests. Running it on a
// database that already has a district does nothing, so `npm start` can call it every time.

async function seed() {
  const env = seedEnv();
  const prisma = db();
  if ((await prisma.district.count()) > 0) {
    console.log("seed: the database already has data; nothing to do.");
    return;
  }
  const started = Date.now();
  // One hash for every demo account but the admin's: argon2 is slow by design.
  const demoHash = await hashPassword(DEMO_PASSWORD);
  const district = await createDistrict(prisma, { name: DEMO_DISTRICT });
  await createUser(prisma, {
    phone: env.DEMO_ADMIN_PHONE,
    password: env.DEMO_ADMIN_PASSWORD,
    name: "区管理员",
    roles: [{ role: "DISTRICT_ADMIN", scopeId: district.id }],
  });
  let communities = 0;
  let residents = 0;
  for (const planned of demoPlan()) {
    const subdistrict = await createSubdistrict(prisma, { districtId: district.id, name: planned.name });
    await createUser(prisma, {
      ...planned.admin,
      passwordHash: demoHash,
      roles: [{ role: "SUBDISTRICT_ADMIN", scopeId: subdistrict.id }],
    });
    for (const plannedCommunity of planned.communities) {
      const community = await createCommunity(prisma, {
        subdistrictId: subdistrict.id,
        name: plannedCommunity.name,
        kind: plannedCommunity.kind,
        servicePhone: plannedCommunity.servicePhone,
      });
      communities += 1;
      await createUser(prisma, {
        ...plannedCommunity.worker,
        passwordHash: demoHash,
        roles: [{ role: "COMMUNITY_WORKER", scopeId: community.id }],
      });
      for (const person of plannedCommunity.residents) {
        await createResident(prisma, community.id, { ...person, passwordHash: demoHash });
        residents += 1;
      }
    }
  }
  const marketplace = await seedMarketplace(demoHash);
  const activities = await seedActivities();
  // Venues before the matches, whose last step indexes everything: venues are searchable too.
  const venues = await seedVenues(prisma);
  const matches = await seedMatches();
  const projects = await seedProjects();
  // After the venues: completed bookings count in the daily figures too.
  await recountAllDays();
  console.log(
    `seed: ${DEMO_DISTRICT}, ${DEMO_SUBDISTRICTS.length} subdistricts, ${communities} communities, ` +
      `${1 + DEMO_SUBDISTRICTS.length + communities} staff, ${residents} residents, ${marketplace.providers} providers, ${marketplace.services} services, ` +
      `${marketplace.needs} needs, ${matches.accepted} accepted and ${matches.proposed} proposed matches, ` +
      `${activities.past} past activities (${activities.personTimes} person-times) and ${activities.upcoming} upcoming, ` +
      `${projects.projects} government-purchased projects with ${projects.linked} linked activities, ` +
      `${venues.venues} venues with ${venues.past} past and ${venues.coming} coming bookings in ${Date.now() - started} ms.`,
  );
}

/** Providers with their owners and services, then a year of needs from the demo residents. */
async function seedMarketplace(passwordHash: string) {
  const prisma = db();
  const random = prng(7);
  const subdistricts = await prisma.subdistrict.findMany({
    orderBy: { createdAt: "asc" },
    include: { communities: { orderBy: { createdAt: "asc" } } },
  });
  let services = 0;
  const plans = demoProviderPlan(DEMO_SUBDISTRICTS);
  for (const plan of plans) {
    const communities = subdistricts[plan.subdistrictIndex]?.communities ?? [];
    const communityIds = plan.communityIndexes.flatMap((c) => communities[c]?.id ?? []);
    const owner = await createUser(prisma, { ...plan.owner, passwordHash });
    // Joined over the last two years, more of them lately (the 统计 page shows the growth).
    const reviewedAt = new Date(Date.now() - Math.floor(730 * random.next() ** 1.5) * DAY_MS - HOUR_MS);
    const provider = await createProvider(prisma, {
      reviewedAt,
      kind: plan.spec.kind,
      name: plan.name,
      status: plan.status,
      statusReason: plan.reason,
      contactName: plan.owner.name,
      contactPhone: plan.owner.phone,
      // An office line for residents to call (ADR 0030), derived so the seed's random draws stay as they were.
      businessPhone: `0571${plan.owner.phone.slice(-8)}`,
      address: `${DEMO_DISTRICT}${subdistricts[plan.subdistrictIndex]?.name ?? ""}${random.int(1, 300)}号`,
      description: plan.spec.description,
      communityIds,
      members: [{ userId: owner.id }],
    });
    if (plan.status === "PENDING" || plan.status === "REJECTED") continue;
    for (const category of plan.spec.focus) {
      for (const template of SERVICE_TEMPLATES[category]) {
        if (random.next() < 0.15) continue;
        const roll = random.next();
        await createService(prisma, {
          providerId: provider.id,
          communityIds: communityIds.filter((_, i) => i === 0 || random.next() < 0.7),
          title: template.title,
          description: template.description,
          category,
          funding: template.funding,
          priceFen: template.priceFen ?? null,
          capacityPerWeek: template.capacity ?? null,
          status: roll < 0.06 ? "DRAFT" : roll < 0.1 ? "ARCHIVED" : "PUBLISHED",
          publishedAt: new Date(
            Math.min(reviewedAt.getTime() + random.int(0, 90) * DAY_MS, Date.now() - HOUR_MS),
          ),
        });
        services += 1;
      }
    }
  }

  const residents = await prisma.user.findMany({
    where: { roles: { some: { role: "RESIDENT" } } },
    orderBy: { phone: "asc" },
    select: { id: true, communityId: true },
  });
  const workers = await prisma.roleAssignment.findMany({ where: { role: "COMMUNITY_WORKER" } });
  const categories = Object.keys(NEED_TEMPLATES).filter(
    (c): c is keyof typeof NEED_TEMPLATES => c in NEED_TEMPLATES,
  );
  const NEEDS = 330;
  for (let n = 0; n < NEEDS; n += 1) {
    const resident = random.pick(residents);
    if (!resident.communityId) continue;
    // Care for the elderly is what residents ask for most.
    const category = random.next() < 0.35 ? "elderly-care" : random.pick(categories);
    const template = random.pick(NEED_TEMPLATES[category]);
    // More recent than old: a square skews the year towards the last weeks.
    const ageDays = Math.floor(365 * random.next() ** 2);
    const status = demoNeedStatus(ageDays, random.next());
    const worker = workers.find((w) => w.scopeId === resident.communityId);
    const need = await createNeed(prisma, {
      requesterId: resident.id,
      communityId: resident.communityId,
      createdById: worker && random.next() < 0.2 ? worker.userId : resident.id,
      title: template.title,
      description: template.description,
      category,
      urgency: template.urgency,
      preferredTime: random.pick([null, "工作日上午", "周末下午", "每周三下午", "尽快"]),
      status,
      createdAt: new Date(Date.now() - ageDays * 24 * 3600 * 1000 - random.int(0, 86_399) * 1000),
    });
    const settledAt = new Date(
      Math.min(need.createdAt.getTime() + random.int(1, 10) * DAY_MS, Date.now() - HOUR_MS),
    );
    if (status === "FULFILLED") {
      const comment = random.pick([null, "服务很周到，谢谢社区！", "来得很及时", "满意"]);
      await prisma.need.update({
        where: { id: need.id },
        data: { fulfilledAt: settledAt, rating: random.int(3, 5), ratingComment: comment },
      });
    } else if (status === "CLOSED") {
      const closeReason = random.pick([
        "已通过其他渠道解决",
        "联系不上居民，暂时关闭",
        "超出社区服务范围，已转介街道",
      ]);
      await prisma.need.update({ where: { id: need.id }, data: { closedAt: settledAt, closeReason } });
    } else if (status === "CANCELLED") {
      await prisma.need.update({ where: { id: need.id }, data: { cancelledAt: settledAt } });
    }
  }
  return { providers: plans.length, services, needs: NEEDS };
}

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** A year of activities in every community (about two a month), with registrations from the
 * subdistrict's residents, check-ins and walk-ins, then their tallies and daily figures; and the
 * coming weeks' activities open for registration. */
async function seedActivities() {
  const prisma = db();
  const random = prng(23);
  const categories = Object.keys(ACTIVITY_TEMPLATES).flatMap((c) =>
    CATEGORY_CODES.filter((code) => code === c),
  );
  const communities = await prisma.community.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      subdistrictId: true,
      providers: { where: { provider: { status: "APPROVED" } }, select: { providerId: true } },
    },
  });
  const workers = new Map(
    (await prisma.roleAssignment.findMany({ where: { role: "COMMUNITY_WORKER" } })).map((w) => [
      w.scopeId,
      w.userId,
    ]),
  );
  const residents = await prisma.user.findMany({
    where: { roles: { some: { role: "RESIDENT" } }, communityId: { not: null } },
    select: { id: true, community: { select: { subdistrictId: true } } },
  });
  const today = new Date();
  let past = 0;
  let upcoming = 0;
  for (const community of communities) {
    const organiser = workers.get(community.id);
    if (!organiser) continue;
    const neighbours = residents
      .filter((r) => r.community?.subdistrictId === community.subdistrictId)
      .map((r) => r.id);
    const count = random.int(20, 28);
    for (let n = 0; n < count + 3; n += 1) {
      const isPast = n < count;
      const category = random.pick(categories);
      const template = random.pick(ACTIVITY_TEMPLATES[category] ?? []);
      const dayOffset = isPast ? -random.int(1, 364) : random.int(2, 30);
      const startsAt = new Date(
        Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) +
          dayOffset * DAY_MS +
          random.pick([1, 2, 6, 7]) * HOUR_MS,
      );
      const provider =
        community.providers.length && random.next() < 0.4
          ? random.pick(community.providers).providerId
          : null;
      const cancelled = isPast && random.next() < 0.04;
      const walkIns =
        isPast && !cancelled ? random.int(3, Math.max(4, Math.floor(template.capacity * 0.8))) : 0;
      const activity = await prisma.activity.create({
        data: {
          title: template.title,
          description: template.description,
          category,
          communityId: community.id,
          venue: random.pick(VENUES),
          startsAt,
          endsAt: new Date(startsAt.getTime() + random.pick([1.5, 2, 3]) * HOUR_MS),
          capacity: template.capacity,
          status: isPast ? (cancelled ? "CANCELLED" : "FINISHED") : n === count + 2 ? "DRAFT" : "PUBLISHED",
          createdById: organiser,
          providerId: provider,
          walkIns,
          publishedAt: new Date(startsAt.getTime() - random.int(5, 20) * DAY_MS),
          cancelledAt: cancelled ? new Date(startsAt.getTime() - DAY_MS) : null,
          cancelReason: cancelled ? "天气原因，活动改期" : null,
          ...(provider ? { providers: { create: [{ providerId: provider }] } } : {}),
        },
      });
      if (isPast) past += 1;
      else upcoming += 1;
      const people = [...neighbours]
        .sort(() => random.next() - 0.5)
        .slice(0, random.int(isPast ? 4 : 0, Math.min(neighbours.length, template.capacity, 16)));
      await prisma.registration.createMany({
        data: people.map((userId, i) => ({
          activityId: activity.id,
          userId,
          status: "REGISTERED" as const,
          checkInCode: String(100000 + i * 7919 + random.int(0, 6000)).slice(0, 6),
          checkedInAt:
            isPast && !cancelled && random.next() < 0.85
              ? new Date(startsAt.getTime() - random.int(0, 20) * 60_000)
              : null,
          queuedAt: new Date(startsAt.getTime() - random.int(1, 10) * DAY_MS),
        })),
        skipDuplicates: true,
      });
    }
  }
  await recomputeTallies();
  const totals = await prisma.activityTally.aggregate({ _sum: { personTimes: true } });
  return { past, upcoming, personTimes: totals._sum.personTimes ?? 0 };
}

/** The search index, then a match for each matched or fulfilled need (the service matching ranks
 * first, as a worker would have picked), pending proposals on some open needs, and the workers'
 * notices of last week's needs. */
async function seedMatches() {
  const prisma = db();
  const random = prng(11);
  await reindex(searchEngine());
  const workers = new Map(
    (await prisma.roleAssignment.findMany({ where: { role: "COMMUNITY_WORKER" } })).map((w) => [
      w.scopeId,
      w.userId,
    ]),
  );
  const needs = await prisma.need.findMany({
    where: { status: { in: ["OPEN", "MATCHED", "FULFILLED"] } },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      title: true,
      status: true,
      createdAt: true,
      communityId: true,
      community: { select: { name: true } },
    },
  });
  const chosen = needs.filter((need) => need.status !== "OPEN" || random.next() < 0.3);
  // Ranked a few at a time: a year of needs one by one would make the seed slow.
  const best = new Map<string, Awaited<ReturnType<typeof rankServicesForNeedId>>[number]>();
  for (let i = 0; i < chosen.length; i += 8) {
    const batch = chosen.slice(i, i + 8);
    const ranked = await Promise.all(batch.map((need) => rankServicesForNeedId(need.id, 1)));
    batch.forEach((need, j) => {
      const top = ranked[j]?.[0];
      if (top) best.set(need.id, top);
    });
  }
  let accepted = 0;
  let proposed = 0;
  for (const need of chosen) {
    const worker = workers.get(need.communityId);
    const pending = need.status === "OPEN";
    if (!worker) continue;
    const top = best.get(need.id);
    if (!top) {
      // Nothing in reach to have matched it with: the need is still waiting.
      if (need.status === "MATCHED")
        await prisma.need.update({ where: { id: need.id }, data: { status: "OPEN" } });
      continue;
    }
    const proposedAt = new Date(need.createdAt.getTime() + random.int(1, 6) * HOUR_MS);
    const decidedAt = new Date(Math.min(proposedAt.getTime() + random.int(1, 12) * HOUR_MS, Date.now()));
    const owners = await providerMemberIds(prisma, top.provider.id);
    await prisma.$transaction(async (tx) => {
      const match = await tx.match.create({
        data: {
          needId: need.id,
          serviceId: top.service.id,
          providerId: top.provider.id,
          status: pending ? "PROPOSED" : "ACCEPTED",
          proposedBy: "STAFF",
          proposedById: worker,
          score: top.score,
          reasons: top.reasons,
          decidedById: pending ? null : (owners[0] ?? null),
          decidedAt: pending ? null : decidedAt,
          createdAt: proposedAt,
        },
      });
      if (pending) {
        await notify(tx, {
          userIds: owners,
          kind: "match.proposed",
          title: "收到服务对接邀请",
          body: `${need.community.name}的需求“${need.title}”希望由您的服务“${top.service.title}”承接，请尽快回复。`,
          link: `/me/providers/${top.provider.id}`,
          dedupeKey: `match.proposed:${match.id}`,
        });
      } else {
        await tx.need.update({ where: { id: need.id }, data: { matchedAt: decidedAt } });
      }
    });
    if (pending) proposed += 1;
    else accepted += 1;
  }
  const lastWeek = new Date(Date.now() - 7 * 24 * HOUR_MS);
  for (const need of needs.filter((n) => n.status === "OPEN" && n.createdAt > lastWeek))
    await announceNewNeed(need.id);
  // The statuses changed above: the index follows.
  await reindex(searchEngine());
  return { accepted, proposed };
}

/** The demo projects (prisma/demo-projects.ts), each bought from a different approved social
 * organization at its level above the provider's first community, with the activities of that
 * territory and period linked (about half of them, as staff would link theirs), targets set from what
 * those achieved so the pace reads as planned, the district's own evaluation indicators, and the
 * finished one's mid-term and final evaluations scored against them. */
async function seedProjects() {
  const prisma = db();
  const district = await prisma.district.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
  await createIndicatorSetRows(prisma, district.id, DEMO_INDICATORS);
  const providers = await prisma.provider.findMany({
    where: { kind: "SOCIAL_ORG", status: "APPROVED", communities: { some: {} } },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      communities: {
        take: 1,
        select: { community: { select: { id: true, subdistrictId: true } } },
      },
    },
  });
  const staff = await prisma.roleAssignment.findMany({
    where: { role: { in: ["DISTRICT_ADMIN", "SUBDISTRICT_ADMIN", "COMMUNITY_WORKER"] } },
    orderBy: { userId: "asc" },
  });
  const staffAt = (scopeId: string) => staff.find((s) => s.scopeId === scopeId)?.userId;
  const today = chinaDay(new Date());
  let linked = 0;
  let made = 0;
  for (const [index, plan] of DEMO_PROJECTS.entries()) {
    // Every other provider, so the projects spread over the subdistricts.
    const community = providers[(index * 2) % Math.max(1, providers.length)]?.communities[0]?.community;
    const provider = providers[(index * 2) % Math.max(1, providers.length)];
    if (!community || !provider) continue;
    const purchaser =
      plan.level === "DISTRICT"
        ? { id: district.id, level: plan.level, districtId: district.id }
        : plan.level === "SUBDISTRICT"
          ? {
              id: community.subdistrictId,
              level: plan.level,
              subdistrictId: community.subdistrictId,
              districtId: district.id,
            }
          : {
              id: community.id,
              level: plan.level,
              subdistrictId: community.subdistrictId,
              districtId: district.id,
            };
    const buyer = staffAt(purchaser.id);
    if (!buyer) continue;
    const startsOn = new Date(today.getTime() + plan.startsIn * DAY_MS);
    const endsOn = new Date(today.getTime() + plan.endsIn * DAY_MS);
    const inTerritory =
      plan.level === "DISTRICT"
        ? {}
        : plan.level === "SUBDISTRICT"
          ? { community: { subdistrictId: community.subdistrictId } }
          : { communityId: community.id };
    const candidates = await prisma.activity.findMany({
      where: {
        ...inTerritory,
        projectId: null,
        status: { in: ["FINISHED", "PUBLISHED"] },
        startsAt: {
          gte: chinaMidnight(startsOn),
          lt: chinaMidnight(new Date(endsOn.getTime() + DAY_MS)),
        },
      },
      orderBy: { id: "asc" },
      select: { id: true, tally: { select: { personTimes: true } } },
    });
    // The district's project spans every subdistrict: a sixth of the activities is plenty.
    const share = plan.level === "DISTRICT" ? 6 : 2;
    const chosen = candidates.filter((_, i) => i % share === 0);
    const held = chosen.filter((a) => a.tally);
    const personTimes = held.reduce((sum, a) => sum + (a.tally?.personTimes ?? 0), 0);
    const total = plan.endsIn - plan.startsIn + 1;
    const elapsed = Math.min(total, 1 - plan.startsIn);
    const project = await createProjectRow(prisma, {
      purchaser,
      providerId: provider.id,
      createdById: buyer,
      title: plan.title,
      description: plan.description,
      budgetFen: plan.budgetYuan * 100,
      startsOn,
      endsOn,
      status: plan.shape === "completed" ? "COMPLETED" : "ACTIVE",
      // The final evaluation closed it some days after its end.
      endedAt: plan.shape === "completed" ? new Date(endsOn.getTime() + 10 * DAY_MS) : null,
      targets: {
        activitiesHeld: demoTarget(held.length, elapsed, total, plan.shape),
        personTimes: demoTarget(personTimes, elapsed, total, plan.shape),
      },
    });
    await prisma.activity.updateMany({
      where: { id: { in: chosen.map((a) => a.id) } },
      data: { projectId: project.id },
    });
    linked += chosen.length;
    made += 1;
    if (plan.shape === "completed") {
      await createEvaluationRow(prisma, {
        projectId: project.id,
        stage: "MIDTERM",
        evaluatorId: buyer,
        comment: "项目按计划推进，建议增加高龄独居老人的探访频次。",
        scores: DEMO_INDICATORS.map((row, i) => ({ ...row, score: 20 - i })),
      });
      await createEvaluationRow(prisma, {
        projectId: project.id,
        stage: "FINAL",
        evaluatorId: buyer,
        comment: "各项目标均已完成，服务对象满意度高，同意结项。",
        scores: DEMO_INDICATORS.map((row, i) => ({ ...row, score: 23 - i })),
      });
    }
  }
  return { projects: made, linked };
}

try {
  await seed();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await disconnectDb();
}
