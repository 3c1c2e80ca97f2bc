import type { Prisma } from "@prisma/client";
import { chinaDate, chinaDayMoments, chinaMinute } from "~/lib/china-time";
import type { Cell, Table } from "~/lib/csv";
import { db } from "~/lib/db.server";
import { validationError } from "~/lib/errors";
import { maskContactsInText } from "~/lib/masking";
import { ACTIVITY_STATUS_LABELS } from "../activities/activities.schema";
import { categoryName, PROVIDER_KIND_LABELS, URGENCY_LABELS } from "../catalog/categories";
import { NEED_STATUS_LABELS } from "../needs/needs.schema";
import { PROVIDER_STATUS_LABELS } from "../providers/providers.schema";
import type { Period } from "./figures.server";
import type { StatsTerritory } from "./stats.server";

// The lists behind the figures, for staff in scope: activities, providers and needs of a territory
// and period, read in batches and refused past a size. They carry no personal data: no requester,
// contact, phone, address or free text but need titles, whose phone numbers are masked.

/** How many rows an export may have and how many it reads at a time (smaller in tests). */
export type Limits = { maxRows: number; batchRows: number };

function communitiesOf(territory: StatsTerritory): Prisma.CommunityWhereInput {
  switch (territory.scope) {
    case "district":
      return { subdistrict: { districtId: territory.id } };
    case "subdistrict":
      return { subdistrictId: territory.id };
    case "community":
      return { id: territory.id };
  }
}

function checkSize(count: number, { maxRows }: Limits) {
  if (count > maxRows) {
    throw validationError(
      { from: `共${count}条，一次最多导出${maxRows}条，请缩短时段或选择更小的地区` },
      "导出的记录太多，请缩短时段或选择更小的地区",
    );
  }
}

/** Reads a list in batches (keyset on id after the list's own order), turning each batch into
 * cells before the next is read, so no more than one batch of database rows is held at a time. */
async function batched<T extends { id: string }>(
  { batchRows }: Limits,
  read: (page: { take: number; skip?: number; cursor?: { id: string } }) => Promise<T[]>,
  toCells: (row: T) => Cell[],
): Promise<Cell[][]> {
  const rows: Cell[][] = [];
  let last: string | undefined;
  for (;;) {
    const batch = await read(last ? { take: batchRows, skip: 1, cursor: { id: last } } : { take: batchRows });
    for (const row of batch) rows.push(toCells(row));
    if (batch.length < batchRows) return rows;
    last = batch[batch.length - 1]?.id;
  }
}

const communityAndSubdistrict = {
  select: { name: true, subdistrict: { select: { name: true } } },
} as const;

export async function activitiesTable(
  territory: StatsTerritory,
  period: Period,
  limits: Limits,
): Promise<Table> {
  // Drafts were never announced; everything else that was to start in the period is listed.
  const where: Prisma.ActivityWhereInput = {
    community: communitiesOf(territory),
    status: { not: "DRAFT" },
    startsAt: chinaDayMoments(period),
  };
  checkSize(await db().activity.count({ where }), limits);
  const rows = await batched(
    limits,
    (page) =>
      db().activity.findMany({
        ...page,
        where,
        orderBy: [{ startsAt: "asc" }, { id: "asc" }],
        select: {
          id: true,
          title: true,
          category: true,
          startsAt: true,
          status: true,
          community: communityAndSubdistrict,
          tally: { select: { registered: true, checkedIn: true, walkIns: true, personTimes: true } },
        },
      }),
    (activity) => {
      // Only a finished activity has final counts; the others' are left blank, not 0.
      const tally = activity.status === "FINISHED" ? activity.tally : null;
      return [
        activity.title,
        activity.community.name,
        activity.community.subdistrict.name,
        categoryName(activity.category),
        chinaMinute(activity.startsAt),
        ACTIVITY_STATUS_LABELS[activity.status],
        tally?.registered ?? null,
        tally?.checkedIn ?? null,
        tally?.walkIns ?? null,
        tally?.personTimes ?? null,
      ];
    },
  );
  return {
    title: "活动清单",
    headers: ["活动名称", "社区", "街道", "类别", "开始时间", "状态", "报名", "签到", "现场参与", "受众人次"],
    rows,
  };
}

export async function providersTable(
  territory: StatsTerritory,
  period: Period,
  limits: Limits,
): Promise<Table> {
  const communities = communitiesOf(territory);
  const { lt: endOfPeriod } = chinaDayMoments(period);
  // On the platform at the end of the period, as the figures count them: approved (or suspended
  // since) by then, serving the territory.
  const where: Prisma.ProviderWhereInput = {
    status: { in: ["APPROVED", "SUSPENDED"] },
    reviewedAt: { lt: endOfPeriod },
    communities: { some: { community: communities } },
  };
  checkSize(await db().provider.count({ where }), limits);
  const rows = await batched(
    limits,
    (page) =>
      db().provider.findMany({
        ...page,
        where,
        orderBy: [{ reviewedAt: "asc" }, { id: "asc" }],
        // Registry facts only: no contact person, phone, address or description.
        select: {
          id: true,
          name: true,
          kind: true,
          status: true,
          uscc: true,
          reviewedAt: true,
          communities: {
            where: { community: communities },
            select: { community: { select: { name: true } } },
            orderBy: { community: { name: "asc" } },
          },
          _count: {
            select: {
              services: {
                where: {
                  publishedAt: { not: null, lt: endOfPeriod },
                  communities: { some: { community: communities } },
                },
              },
            },
          },
        },
      }),
    (provider) => [
      provider.name,
      PROVIDER_KIND_LABELS[provider.kind],
      PROVIDER_STATUS_LABELS[provider.status],
      provider.uscc,
      provider.communities.map((link) => link.community.name).join("、"),
      provider.reviewedAt && chinaDate(provider.reviewedAt),
      provider._count.services,
    ],
  );
  return {
    title: "服务机构清单",
    headers: ["机构名称", "类型", "状态", "统一社会信用代码", "服务社区", "入驻日期", "已发布服务数"],
    rows,
  };
}

export async function needsTable(territory: StatsTerritory, period: Period, limits: Limits): Promise<Table> {
  const where: Prisma.NeedWhereInput = {
    community: communitiesOf(territory),
    createdAt: chinaDayMoments(period),
  };
  checkSize(await db().need.count({ where }), limits);
  const rows = await batched(
    limits,
    (page) =>
      db().need.findMany({
        ...page,
        where,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        // No requester, description or preferred time: free text may name or locate the resident.
        select: {
          id: true,
          caseNumber: true,
          title: true,
          category: true,
          status: true,
          urgency: true,
          createdAt: true,
          matchedAt: true,
          fulfilledAt: true,
          rating: true,
          community: communityAndSubdistrict,
        },
      }),
    (need) => [
      need.caseNumber,
      maskContactsInText(need.title),
      categoryName(need.category),
      need.community.name,
      need.community.subdistrict.name,
      NEED_STATUS_LABELS[need.status],
      URGENCY_LABELS[need.urgency],
      chinaDate(need.createdAt),
      need.matchedAt && chinaDate(need.matchedAt),
      need.fulfilledAt && chinaDate(need.fulfilledAt),
      need.rating,
    ],
  );
  return {
    title: "需求清单",
    headers: [
      "编号",
      "标题",
      "类别",
      "社区",
      "街道",
      "状态",
      "紧急程度",
      "提出日期",
      "对接日期",
      "办结日期",
      "评分",
    ],
    rows,
  };
}
