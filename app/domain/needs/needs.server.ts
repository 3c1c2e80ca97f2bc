import type { NeedStatus, Prisma } from "@prisma/client";
import type { z } from "zod";
import { db, type Tx } from "~/lib/db.server";
import { conflict, forbidden, notFound, validationError } from "~/lib/errors";
import { maskContactsInText, maskPhone, shownPhone } from "~/lib/masking";
import type { Paging } from "~/lib/paging";
import { ID_PATTERN } from "~/lib/zod";
import { type Actor, isStaff, residentCommunities } from "../accounts/actor";
import { createResidentAccount, unknownPasswordHash } from "../accounts/resident-accounts.server";
import { assertUnderLimit, countAgainstLimit, LIMITS, spendAttempt } from "../accounts/throttle.server";
import { recordAudit } from "../audit.server";
import { categoryName } from "../catalog/categories";
import { recordEvent, recordOutbox } from "../outbox.server";
import { authorize, can, type TerritoryPath } from "../policy";
import { communityPlaceSelect, placeOf } from "../territory/places";
import type { TerritoryTree } from "../territory/territory.schema";
import { findCommunityPath, getTerritoryTree, reachableTerritory } from "../territory/territory.server";
import {
  type closeNeedSchema,
  DAY_MS,
  type fulfilNeedSchema,
  NEED_STATUS_LABELS,
  type Need,
  type NeedInput,
  type NeedListQuery,
  type NeedSummary,
  type OpenNeed,
  type openNeedsQuerySchema,
} from "./needs.schema";

// Residents' needs (居民需求): posting (by the resident, or by a worker on their behalf: 代办), reading
// with the requester's contact details shown only to those allowed (DESIGN.md §7), the staff triage
// list, the public list of open needs, and the life cycle of DESIGN.md §4.

const needSelect = {
  id: true,
  requesterId: true,
  onBehalf: true,
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
} satisfies Prisma.NeedSelect;
type NeedRow = Prisma.NeedGetPayload<{ select: typeof needSelect }>;

/** Who may see the requester's name and unmasked phone (DESIGN.md §7): the requester, staff in scope
 * and the provider of an accepted match. */
const contactOf = (row: NeedRow) => ({
  requesterId: row.requesterId,
  communityPath: placeOf(row),
  matchedProviderIds: row.matches.map((m) => m.providerId),
});

const iso = (date: Date | null) => date?.toISOString() ?? null;

const CANCELLABLE: NeedStatus[] = ["OPEN", "MATCHED"];
const CLOSABLE: NeedStatus[] = ["OPEN", "MATCHED", "SCHEDULED"];
const FULFILLABLE: NeedStatus[] = ["OPEN", "MATCHED", "SCHEDULED"];

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
    requester: privy ? { name: row.requester.name, phone: shownPhone(row.requester.phone) } : null,
    closeReason: privy ? row.closeReason : null,
    rating: privy ? row.rating : null,
    ratingComment: privy ? row.ratingComment : null,
    matchedAt: iso(row.matchedAt),
    fulfilledAt: iso(row.fulfilledAt),
    cancelledAt: iso(row.cancelledAt),
    closedAt: iso(row.closedAt),
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
  requesterName: row.requester.name,
});

const NOT_FOUND = "该需求不存在或已被删除";

async function loadNeed(id: string): Promise<NeedRow> {
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

async function communityPathOf(communityId: string) {
  const path = await findCommunityPath(communityId);
  if (!path) throw validationError({ communityId: "所选社区不存在，请重新选择" });
  return path;
}

/** Creates the need row and its outbox event inside the caller's transaction. */
async function insertNeed(
  tx: Tx,
  values: NeedInput,
  who: { requesterId: string; createdById: string; communityId: string },
) {
  const need = await tx.need.create({
    data: {
      requesterId: who.requesterId,
      createdById: who.createdById,
      onBehalf: who.requesterId !== who.createdById,
      communityId: who.communityId,
      title: values.title,
      description: values.description,
      category: values.category,
      urgency: values.urgency,
      preferredTime: values.preferredTime ?? null,
    },
    select: { id: true, version: true },
  });
  await recordOutbox(tx, "Need", need.id, need.version);
  await recordEvent(tx, "need.posted", "Need", need.id, need.version);
  return need.id;
}

/** A resident posts a need for their own community (the default when none is given). */
export async function postNeed(actor: Actor, values: NeedInput): Promise<Need> {
  const communityId = values.communityId ?? actor.communityId;
  if (residentCommunities(actor.roles).length === 0 && isStaff(actor)) {
    throw validationError({ requesterPhone: "代办需求请填写居民的手机号" });
  }
  if (!communityId) throw validationError({ communityId: "请选择社区" });
  const path = await communityPathOf(communityId);
  authorize(actor, "need.post", { communityPath: path });
  const id = await db().$transaction(async (tx) => {
    const needId = await insertNeed(tx, values, {
      requesterId: actor.userId,
      createdById: actor.userId,
      communityId: path.communityId,
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "need.create",
      targetType: "Need",
      targetId: needId,
      data: { communityId: path.communityId, category: values.category, urgency: values.urgency },
    });
    return needId;
  });
  return getNeed(actor, id);
}

type BehalfRequester = { kind: "existing"; id: string } | { kind: "new"; name: string; passwordHash: string };

/** Who a 代办 is for, authorized: an existing resident of a community in the actor's scope (the need
 * goes to the community chosen, which must be theirs, or else to their own), or a new resident of the
 * chosen community, who gets a random password nobody knows (they can be given access later). */
async function resolveBehalfRequester(
  actor: Actor,
  values: NeedInput & { requesterPhone: string },
): Promise<{ path: Required<TerritoryPath>; requester: BehalfRequester }> {
  const chosen = values.communityId ? await communityPathOf(values.communityId) : null;
  await spendAttempt(LIMITS.onBehalfPerStaff, actor.userId);
  const existing = await db().user.findUnique({
    where: { phone: values.requesterPhone },
    select: { id: true, roles: { select: { role: true, scopeId: true } } },
  });
  if (existing) {
    const homes = (await Promise.all(residentCommunities(existing.roles).map(findCommunityPath))).filter(
      (home) => home !== null,
    );
    const [firstInScope] = homes.filter((home) => can(actor, "need.postOnBehalf", { communityPath: home }));
    if (!firstInScope) throw forbidden("该手机号不是您辖区内的居民，不能代办");
    if (chosen && !homes.some((home) => home.communityId === chosen.communityId)) {
      throw validationError({ communityId: "该居民登记在其他社区，请选择其所在的社区" });
    }
    const path = chosen ?? firstInScope;
    authorize(actor, "need.postOnBehalf", { communityPath: path });
    return { path, requester: { kind: "existing", id: existing.id } };
  }
  const { requesterName } = values;
  if (!requesterName || !chosen) {
    throw validationError({
      ...(requesterName ? {} : { requesterName: "该手机号还没有账号，请填写居民姓名" }),
      ...(chosen ? {} : { communityId: "请选择居民所在的社区" }),
    });
  }
  authorize(actor, "need.postOnBehalf", { communityPath: chosen });
  return {
    path: chosen,
    requester: { kind: "new", name: requesterName, passwordHash: await unknownPasswordHash() },
  };
}

/** 代办: staff post a need for a resident of a community in their scope, found by phone number. */
export async function postNeedOnBehalf(
  actor: Actor,
  values: NeedInput & { requesterPhone: string },
): Promise<Need> {
  const { path, requester } = await resolveBehalfRequester(actor, values);
  const { communityId } = path;
  const id = await db().$transaction(async (tx) => {
    const requesterId =
      requester.kind === "existing"
        ? requester.id
        : await createResidentAccount(
            tx,
            {
              phone: values.requesterPhone,
              name: requester.name,
              passwordHash: requester.passwordHash,
              communityId,
            },
            actor.userId,
          );
    const needId = await insertNeed(tx, values, { requesterId, createdById: actor.userId, communityId });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "need.create.onBehalf",
      targetType: "Need",
      targetId: needId,
      data: { requesterId, communityId, accountCreated: requester.kind === "new", category: values.category },
    });
    return needId;
  });
  return getNeed(actor, id);
}

/** The one entry for forms and the API: a requester phone makes it a 代办. Each need notifies
 * workers and starts a matching job, so an account posts a limited number an hour. */
export async function submitNeed(actor: Actor, values: NeedInput): Promise<Need> {
  await assertUnderLimit(LIMITS.needPostPerUser, actor.userId);
  const { requesterPhone } = values;
  const need = requesterPhone
    ? await postNeedOnBehalf(actor, { ...values, requesterPhone })
    : await postNeed(actor, values);
  await countAgainstLimit(LIMITS.needPostPerUser, actor.userId);
  return need;
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
  };
  const { rows, ...paging } = await pageOfNeeds(where, query, [{ createdAt: "desc" }, { id: "desc" }]);
  return { items: rows.map((row) => toOpenNeed(row)), ...paging };
}

/** Moves a need along its life cycle: the status change, the version bump, the audit entry and the
 * outbox event in one transaction. The version guard turns a concurrent change into a 409. */
async function transition(
  actor: Actor,
  row: NeedRow,
  change: {
    from: NeedStatus[];
    verb: string;
    action: string;
    data: Prisma.NeedUpdateManyMutationInput;
    audit?: Prisma.InputJsonObject;
  },
) {
  if (!change.from.includes(row.status)) {
    throw conflict(`该需求当前“${NEED_STATUS_LABELS[row.status]}”，不能${change.verb}`);
  }
  const version = row.version + 1;
  await db().$transaction(async (tx) => {
    const { count } = await tx.need.updateMany({
      where: { id: row.id, version: row.version },
      data: { ...change.data, version },
    });
    if (count === 0) throw conflict("该需求刚被他人更新，请刷新页面后重试");
    await recordAudit(tx, {
      actorId: actor.userId,
      action: change.action,
      targetType: "Need",
      targetId: row.id,
      data: { from: row.status, ...change.audit },
    });
    await recordOutbox(tx, "Need", row.id, version);
  });
  return getNeed(actor, row.id);
}

/** The requester withdraws a need that is still open or matched. */
export async function cancelNeed(actor: Actor, id: string) {
  const row = await loadNeed(id);
  authorize(actor, "need.cancel", contactOf(row));
  return transition(actor, row, {
    from: CANCELLABLE,
    verb: "取消",
    action: "need.cancel",
    data: { status: "CANCELLED", cancelledAt: new Date() },
  });
}

/** Staff in scope close a need that will not be served, saying why. */
export async function closeNeed(actor: Actor, id: string, values: z.output<typeof closeNeedSchema>) {
  const row = await loadNeed(id);
  authorize(actor, "need.close", contactOf(row));
  return transition(actor, row, {
    from: CLOSABLE,
    verb: "关闭",
    action: "need.close",
    data: { status: "CLOSED", closedAt: new Date(), closeReason: values.reason },
  });
}

/** The requester or staff in scope confirm that a need was met; only the requester may rate it. */
export async function fulfilNeed(actor: Actor, id: string, values: z.output<typeof fulfilNeedSchema>) {
  const row = await loadNeed(id);
  authorize(actor, "need.fulfil", contactOf(row));
  if (actor.userId !== row.requesterId) {
    const fields: Record<string, string> = {};
    if (values.rating !== undefined) fields.rating = "只有提出需求的居民本人可以评分";
    if (values.comment !== undefined) fields.comment = "只有提出需求的居民本人可以填写评价";
    if (Object.keys(fields).length > 0) throw validationError(fields);
  }
  return transition(actor, row, {
    from: FULFILLABLE,
    verb: "确认完成",
    action: "need.fulfil",
    data: {
      status: "FULFILLED",
      fulfilledAt: new Date(),
      rating: values.rating ?? null,
      ratingComment: values.comment ?? null,
    },
    audit: values.rating === undefined ? {} : { rating: values.rating },
  });
}

/** A resident's needs they could still cancel themself. */
export const cancellableNeedsOf = (requesterId: string) =>
  ({ requesterId, status: { in: CANCELLABLE } }) satisfies Prisma.NeedWhereInput;

/** Account deletion (ADR 0013), inside the caller's transaction: the person's needs keep what the
 * figures count (category, community, urgency, status, times, rating) and lose every free text that
 * could identify them, theirs or written about them; those still open or matched are cancelled, as
 * the requester could have. Scheduled needs stay for staff to settle. Each change reaches the search
 * index through the outbox. */
export async function anonymiseNeedsOf(tx: Tx, actor: Actor, now: Date) {
  await tx.$queryRaw`SELECT id FROM "Need" WHERE "requesterId" = ${actor.userId} ORDER BY id FOR UPDATE`;
  const rows = await tx.need.findMany({
    where: { requesterId: actor.userId },
    select: { id: true, status: true, version: true, category: true, closeReason: true },
  });
  let cancelled = 0;
  for (const row of rows) {
    const cancel = CANCELLABLE.includes(row.status);
    const version = row.version + 1;
    await tx.need.update({
      where: { id: row.id },
      data: {
        title: `${categoryName(row.category)}需求（居民已注销）`,
        description: "提出该需求的居民已注销账号，需求内容已删除。",
        preferredTime: null,
        ratingComment: null,
        closeReason: row.closeReason === null ? null : "（居民已注销，原因已删除）",
        version,
        ...(cancel ? { status: "CANCELLED", cancelledAt: now } : {}),
      },
    });
    if (cancel) {
      cancelled += 1;
      await recordAudit(tx, {
        actorId: actor.userId,
        action: "need.cancel",
        targetType: "Need",
        targetId: row.id,
        data: { from: row.status, because: "account.delete" },
      });
    }
    await recordOutbox(tx, "Need", row.id, version);
  }
  // Notes and decline reasons are staff's and providers' words about this person's need.
  await tx.match.updateMany({
    where: { need: { requesterId: actor.userId } },
    data: { note: null, declineReason: null },
  });
  return { anonymised: rows.length, cancelled };
}

/** The tree cut down to the communities that pass `keep`, for community pickers. */
function treeWhere(tree: TerritoryTree, keep: (path: Required<TerritoryPath>) => boolean): TerritoryTree {
  return {
    districts: tree.districts
      .map((district) => ({
        ...district,
        subdistricts: district.subdistricts
          .map((subdistrict) => ({
            ...subdistrict,
            communities: subdistrict.communities.filter((community) =>
              keep({ districtId: district.id, subdistrictId: subdistrict.id, communityId: community.id }),
            ),
          }))
          .filter((subdistrict) => subdistrict.communities.length > 0),
      }))
      .filter((district) => district.subdistricts.length > 0),
  };
}

const communitiesOf = (tree: TerritoryTree) =>
  tree.districts.flatMap((d) => d.subdistricts.flatMap((s) => s.communities));

/** What the "post a need" form offers this actor: their own community (residents) and the
 * communities they may post for on a resident's behalf (staff; the only one preselected). */
export async function needFormOptions(actor: Actor) {
  const tree = await getTerritoryTree();
  const [ownCommunity] = communitiesOf(
    treeWhere(
      tree,
      (path) => path.communityId === actor.communityId && can(actor, "need.post", { communityPath: path }),
    ),
  );
  const onBehalf = treeWhere(tree, (path) => can(actor, "need.postOnBehalf", { communityPath: path }));
  const behalfCommunities = communitiesOf(onBehalf);
  if (!ownCommunity && behalfCommunities.length === 0) {
    throw forbidden("只有居民和社区工作人员可以提交需求");
  }
  return {
    ownCommunity: ownCommunity ? { id: ownCommunity.id, name: ownCommunity.name } : null,
    onBehalf: behalfCommunities.length > 0 ? onBehalf : null,
    defaultBehalfCommunityId: behalfCommunities.length === 1 ? (behalfCommunities[0]?.id ?? "") : "",
  };
}

/** The communities of the triage list's filter: those in the actor's reach. */
export async function triageCommunities(actor: Actor) {
  authorize(actor, "need.triage", null);
  const [tree, reach] = await Promise.all([getTerritoryTree(), reachableTerritory(actor)]);
  return treeWhere(tree, (path) => reach.communityIds.includes(path.communityId));
}
