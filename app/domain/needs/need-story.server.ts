import type { Prisma } from "@prisma/client";
import { db } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/errors";
import { formatTimeRange } from "~/lib/format";
import { ID_PATTERN } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { can } from "../policy";
import { communityPlaceSelect, placeOf } from "../territory/places";
import { NOT_FOUND } from "./need-read.server";
import { NEED_STATUS_LABELS, type NeedStory } from "./needs.schema";

// A need's story (GET /api/v1/needs/:id/story and the timeline on the need page): what happened to
// it, step by step, told to the resident in her words. It carries facts only (who, when, where, the
// provider's phone) and never a staff note: match notes and decline reasons are staff's and
// providers' words about her and stay on the staff side (match.readNote).

const storySelect = {
  id: true,
  status: true,
  requesterId: true,
  communityId: true,
  community: communityPlaceSelect,
  onBehalf: true,
  createdAt: true,
  matchedAt: true,
  fulfilledAt: true,
  cancelledAt: true,
  closedAt: true,
  closeReason: true,
  rating: true,
  matches: {
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      status: true,
      proposedBy: true,
      createdAt: true,
      decidedAt: true,
      service: { select: { id: true, title: true } },
      provider: { select: { id: true, name: true, contactPhone: true } },
    },
  },
  activities: {
    where: { activity: { status: { in: ["PUBLISHED", "ONGOING", "FINISHED"] } } },
    select: {
      activity: {
        select: { id: true, title: true, startsAt: true, endsAt: true, venue: true, publishedAt: true },
      },
    },
  },
} satisfies Prisma.NeedSelect;
type StoryRow = Prisma.NeedGetPayload<{ select: typeof storySelect }>;

type Step = NeedStory["steps"][number];
type Detail = Step["details"][number];
const detail = (label: string, value: string, href: string | null = null): Detail => ({ label, value, href });
const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;

/** The steps in life-cycle order, each done or not; the first not done of a live need is current. */
function stepsOf(row: StoryRow): Step[] {
  const accepted = row.matches.find((m) => m.status === "ACCEPTED");
  // 社区已受理: a worker took it up, by sending it to a provider or by confirming a provider's offer.
  const byStaff = row.matches.find((m) => m.proposedBy === "STAFF");
  const acceptedAt = [byStaff?.createdAt, accepted ? row.matchedAt : null]
    .filter((at): at is Date => at instanceof Date)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const [latest] = row.activities
    .map((a) => a.activity)
    .sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
  const steps: (Omit<Step, "state"> & { done: boolean })[] = [
    {
      key: "submitted",
      label: "已提交",
      done: true,
      at: iso(row.createdAt),
      details: [
        detail("社区", row.community.name),
        ...(row.onBehalf ? [detail("提交方式", "社区工作人员代办")] : []),
      ],
    },
    {
      key: "accepted",
      label: "社区已受理",
      done: acceptedAt !== undefined || accepted !== undefined,
      at: iso(acceptedAt),
      details: [],
    },
    {
      key: "matched",
      label: "已对接",
      done: accepted !== undefined,
      at: iso(row.matchedAt),
      details: accepted
        ? [
            detail("机构", accepted.provider.name, `/providers/${accepted.provider.id}`),
            detail("服务", accepted.service.title, `/services/${accepted.service.id}`),
            detail("联系电话", accepted.provider.contactPhone, `tel:${accepted.provider.contactPhone}`),
          ]
        : [],
    },
    {
      key: "scheduled",
      label: "已安排",
      done: latest !== undefined,
      at: iso(latest?.publishedAt),
      details: latest
        ? [
            detail("活动", latest.title, `/activities/${latest.id}`),
            detail("时间", formatTimeRange(latest.startsAt, latest.endsAt)),
            detail("地点", latest.venue),
          ]
        : [],
    },
    {
      key: "rated",
      label: row.status === "FULFILLED" ? "已完成" : "待评价",
      done: row.status === "FULFILLED",
      at: iso(row.fulfilledAt),
      details: row.status === "FULFILLED" && row.rating !== null ? [detail("评价", `${row.rating} 分`)] : [],
    },
  ];
  const ended = row.status === "CANCELLED" || row.status === "CLOSED";
  const live = !ended && row.status !== "FULFILLED";
  let currentGiven = false;
  const told: Step[] = [];
  for (const { done, ...step } of steps) {
    if (done) {
      told.push({ ...step, state: "done" });
    } else if (ended) {
      // A withdrawn or closed need's story stops where it stopped.
    } else {
      told.push({ ...step, state: live && !currentGiven ? "current" : "todo" });
      currentGiven = true;
    }
  }
  if (ended) {
    told.push({
      key: "ended",
      label: row.status === "CANCELLED" ? "已撤回" : "社区已关闭",
      state: "done",
      at: iso(row.status === "CANCELLED" ? row.cancelledAt : row.closedAt),
      details: row.closeReason ? [detail("原因", row.closeReason)] : [],
    });
  }
  return told;
}

/** The story is for those who may contact the requester (herself, staff in scope, the provider of
 * an accepted match): it names the provider and its phone. */
export async function getNeedStory(actor: Actor, id: string): Promise<NeedStory> {
  if (!ID_PATTERN.test(id) || id.length > 64) throw notFound(NOT_FOUND);
  const row = await db().need.findUnique({ where: { id }, select: storySelect });
  if (!row) throw notFound(NOT_FOUND);
  const allowed = can(actor, "need.viewContact", {
    requesterId: row.requesterId,
    communityPath: placeOf(row),
    matchedProviderIds: row.matches.filter((m) => m.status === "ACCEPTED").map((m) => m.provider.id),
  });
  if (!allowed) throw forbidden("只有提出需求的居民、辖区工作人员和承接机构可以查看需求进展");
  return {
    needId: row.id,
    status: row.status,
    statusLabel: NEED_STATUS_LABELS[row.status],
    steps: stepsOf(row),
  };
}
