import type { NeedStatus, Prisma } from "@prisma/client";
import type { z } from "zod";
import { db } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/errors";
import { maskContactsInText, maskPhone, shownPhone } from "~/lib/masking";
import type { Paging } from "~/lib/paging";
import { ID_PATTERN } from "~/lib/zod";
import { type Actor, residentCommunities } from "../accounts/actor";
import { categoryName } from "../catalog/categories";
import { can } from "../policy";
import { communityPlaceSelect, placeOf } from "../territory/places";
import { reachableTerritory } from "../territory/territory.server";
import {
  DAY_MS,
  NEED_STATUS_LABELS,
  type Need,
  type NeedListQuery,
  type NeedSummary,
  type OpenNeed,
  type openNeedsQuerySchema,
} from "./needs.schema";
import { requestedServiceSelect, toRequestedService } from "./requested-service.server";

// Reading residents' needs (居民需求): one need with the requester's contact details shown only to
// those allowed (DESIGN.md §7), the staff triage list, the resident's own list and the public list of
// open needs. Posting is in needs.server.ts, the life cycle in need-lifecycle.server.ts, erasure in
// need-erasure.server.ts and the pickers of the forms in need-form-options.server.ts.

export const needSelect = {
  id: true,
  caseNumber: true,
  requesterId: true,
  onBehalf: true,
  requesterNameGiven: true,
  communityId: true,
  title: true,
  description: true,
  category: true,
  urgency: true,
  preferredTime: true,
  status: true,
  closeReason: true,
  rating: true,
  ratingComment: true,
  matchedAt: true,
  fulfilledAt: true,
  cancelledAt: true,
  closedAt: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  community: communityPlaceSelect,
  requester: { select: { name: true, phone: true } },
  matches: { where: { status: "ACCEPTED" }, select: { providerId: true } },
  requestedService: { select: requestedServiceSelect },
} satisfies Prisma.NeedSelect;
export type NeedRow = Prisma.NeedGetPayload<{ select: typeof needSelect }>;

/** Who may see the requester's name and unmasked phone (DESIGN.md §7): the requester, staff in scope
 * and the provider of an accepted match. */
export const contactOf = (row: NeedRow) => ({
  requesterId: row.requesterId,
  communityPath: placeOf(row),
  matchedProviderIds: row.matches.map((m) => m.providerId),
});

/** The requester's name as the readers of a need know them: the name the worker typed when a 代办
 * reached a number held outside their scope (ADR 0018), else the account's. */
const requesterNameOf = (row: NeedRow) => row.requesterNameGiven ?? row.requester.name;

const iso = (date: Date | null) => date?.toISOString() ?? null;

export const CANCELLABLE: NeedStatus[] = ["OPEN", "MATCHED"];
export const CLOSABLE: NeedStatus[] = ["OPEN", "MATCHED", "SCHEDULED"];
/** Only once a provider took it on: before that there is nothing to confirm (a brand-new need
 * offered 确认完成 invited a mistaken tap). */
export const FULFILLABLE: NeedStatus[] = ["MATCHED", "SCHEDULED"];

/** A need's free text as a reader sees it: in full for those who may contact the requester, else with
 * phone numbers, ID numbers and the address below building level masked (ADR 0018). */
export const needTextFor = (privy: boolean, text: string) => (privy ? text : maskContactsInText(text));

function toNeed(actor: Actor, row: NeedRow): Need {
  const privy = can(actor, "need.viewContact", contactOf(row));
  const fulfil = FULFILLABLE.includes(row.status) && can(actor, "need.fulfil", contactOf(row));
  return {
    ...needBasics(row, privy),
    description: needTextFor(privy, row.description),
    preferredTime: row.preferredTime === null ? null : needTextFor(privy, row.preferredTime),
    requester: privy ? { name: requesterNameOf(row), phone: shownPhone(row.requester.phone) } : null,
    closeReason: privy ? row.closeReason : null,
    rating: privy ? row.rating : null,
    ratingComment: privy ? row.ratingComment : null,
    matchedAt: iso(row.matchedAt),
    fulfilledAt: iso(row.fulfilledAt),
    cancelledAt: iso(row.cancelledAt),
    closedAt: iso(row.closedAt),
    requestedService: row.requestedService && toRequestedService(row.requestedService),
    actions: {
      cancel: CANCELLABLE.includes(row.status) && can(actor, "need.cancel", contactOf(row)),
      close: CLOSABLE.includes(row.status) && can(actor, "need.close", contactOf(row)),
      fulfil,
      rate: fulfil && actor.userId === row.requesterId,
    },
  };
}

/** The public's view of a need (the open-needs list): its title masked like every outsider's. */
function toOpenNeed(row: NeedRow, privy = false): OpenNeed {
  return {
    id: row.id,
    caseNumber: row.caseNumber,
    title: needTextFor(privy, row.title),
    category: row.category,
    categoryName: categoryName(row.category),
    communityId: row.communityId,
    communityName: row.community.name,
    urgency: row.urgency,
    createdAt: row.createdAt.toISOString(),
  };
}

/** What the detail and the lists share: no name, and the phone masked. */
function needBasics(row: NeedRow, privy: boolean) {
  return {
    ...toOpenNeed(row, privy),
    status: row.status,
    statusLabel: NEED_STATUS_LABELS[row.status],
    onBehalf: row.onBehalf,
    requesterPhoneMasked: maskPhone(row.requester.phone),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A row of a list only ever shows needs whose requester the reader may know (their reach, or
 * their own), so the name is there. */
const toSummary = (row: NeedRow): NeedSummary => ({
  ...needBasics(row, true),
  requesterName: requesterNameOf(row),
});

export const NOT_FOUND = "该需求不存在或已被删除";

export async function loadNeed(id: string): Promise<NeedRow> {
  if (!ID_PATTERN.test(id) || id.length > 64) throw notFound(NOT_FOUND);
  const row = await db().need.findUnique({ where: { id }, select: needSelect });
  if (!row) throw notFound(NOT_FOUND);
  return row;
}

/** Any signed-in person may read a need (the caller has an actor); the contact details only those
 * allowed (see contactOf). */
export async function getNeed(actor: Actor, id: string): Promise<Need> {
  return toNeed(actor, await loadNeed(id));
}

async function pageOfNeeds(
  where: Prisma.NeedWhereInput,
  query: Paging,
  orderBy: Prisma.NeedOrderByWithRelationInput[],
) {
  const [total, rows] = await db().$transaction([
    db().need.count({ where }),
    db().need.findMany({
      where,
      orderBy,
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: needSelect,
    }),
  ]);
  return { rows, total, page: query.page, pageSize: query.pageSize };
}

/** Staff see the needs in their reach (the triage list); residents see their own; nobody else. */
export async function listNeeds(actor: Actor, query: NeedListQuery) {
  let scope: Prisma.NeedWhereInput;
  if (can(actor, "need.triage", null)) {
    const reach = await reachableTerritory(actor);
    if (query.communityId && !reach.communityIds.includes(query.communityId)) {
      throw forbidden("所选社区不在您的辖区内");
    }
    scope = { communityId: query.communityId ?? { in: reach.communityIds } };
  } else if (residentCommunities(actor.roles).length > 0) {
    scope = { requesterId: actor.userId, communityId: query.communityId };
  } else {
    throw forbidden();
  }
  const now = Date.now();
  const where: Prisma.NeedWhereInput = {
    ...scope,
    status: query.status,
    category: query.category,
    urgency: query.urgency,
    createdAt: {
      lte: query.olderThanDays ? new Date(now - query.olderThanDays * DAY_MS) : undefined,
      gte: query.newerThanDays ? new Date(now - query.newerThanDays * DAY_MS) : undefined,
    },
  };
  // Oldest first puts the longest-waiting open needs on top (statuses sort in life-cycle order).
  const orderBy: Prisma.NeedOrderByWithRelationInput[] =
    query.sort === "newest"
      ? [{ createdAt: "desc" }, { id: "desc" }]
      : [{ status: "asc" }, { createdAt: "asc" }, { id: "asc" }];
  const { rows, ...paging } = await pageOfNeeds(where, query, orderBy);
  return { items: rows.map(toSummary), ...paging };
}

/** The actor's own needs (我的需求), newest first, whatever other roles they hold. */
export async function listMyNeeds(actor: Actor, query: Paging) {
  const { rows, ...paging } = await pageOfNeeds({ requesterId: actor.userId }, query, [
    { createdAt: "desc" },
    { id: "desc" },
  ]);
  return { items: rows.map(toSummary), ...paging };
}

/** Open needs for everyone, newest first, with no personal data at all. */
export async function listOpenNeeds(query: z.output<typeof openNeedsQuerySchema>) {
  const where: Prisma.NeedWhereInput = {
    status: "OPEN",
    category: query.category,
    communityId: query.communityId,
    ...(query.subdistrictId ? { community: { subdistrictId: query.subdistrictId } } : {}),
  };
  const { rows, ...paging } = await pageOfNeeds(where, query, [{ createdAt: "desc" }, { id: "desc" }]);
  return { items: rows.map((row) => toOpenNeed(row)), ...paging };
}
