import { Prisma, type ProviderStatus, type Role } from "@prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { conflict, forbidden, notFound, validationError } from "~/lib/errors";
import { maskPhone } from "~/lib/masking";
import type { Paging } from "~/lib/paging";
import { ID_PATTERN, z } from "~/lib/zod";
import { type Actor, isStaff } from "../accounts/actor";
import { assertUnderLimit, countAgainstLimit, LIMITS } from "../accounts/throttle.server";
import { recordAudit } from "../audit.server";
import { communityStaffIds, notify } from "../notifications/notifications.server";
import { recordOutbox } from "../outbox.server";
import { authorize, can, grantCovers, type TerritoryPath } from "../policy";
import { reachableTerritory } from "../territory/territory.server";
import {
  type ApplyProviderInput,
  type DirectoryQuery,
  type MyProvider,
  type PendingChange,
  PROVIDER_STATUS_LABELS,
  PROVIDER_STATUSES,
  type ProviderDetail,
  type ProviderHistoryEntry,
  type ProviderListQuery,
  type ProviderMember,
  type ProviderSummary,
  pendingChangeSchema,
  type UpdateProviderInput,
} from "./providers.schema";

// Provider onboarding (入驻): apply → review (approve / reject with a reason) → re-apply after a
// rejection; approved providers can be suspended and restored by admins. Every change is audited,
// and a change to the provider itself bumps its version and announces it through the outbox.

const summarySelect = {
  id: true,
  kind: true,
  name: true,
  description: true,
  status: true,
  statusReason: true,
  submittedAt: true,
  reviewedAt: true,
  communities: {
    orderBy: { community: { name: "asc" } },
    select: {
      community: {
        select: {
          id: true,
          name: true,
          subdistrictId: true,
          subdistrict: { select: { name: true, districtId: true } },
        },
      },
    },
  },
} satisfies Prisma.ProviderSelect;

const detailSelect = {
  ...summarySelect,
  uscc: true,
  contactName: true,
  contactPhone: true,
  address: true,
  version: true,
  pendingChange: true,
  pendingChangeAt: true,
  services: {
    where: { status: "PUBLISHED" },
    orderBy: { publishedAt: "desc" },
    select: { id: true, title: true, category: true, funding: true },
  },
  members: {
    orderBy: { createdAt: "asc" },
    select: { userId: true, role: true, user: { select: { name: true, phone: true } } },
  },
} satisfies Prisma.ProviderSelect;

type SummaryRow = Prisma.ProviderGetPayload<{ select: typeof summarySelect }>;
type DetailRow = Prisma.ProviderGetPayload<{ select: typeof detailSelect }>;

function toSummary(row: SummaryRow): ProviderSummary {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    description: row.description,
    status: row.status,
    statusReason: row.statusReason,
    submittedAt: row.submittedAt.toISOString(),
    reviewedAt: row.reviewedAt?.toISOString() ?? null,
    communities: row.communities.map(({ community }) => ({
      id: community.id,
      name: community.name,
      subdistrictId: community.subdistrictId,
      subdistrictName: community.subdistrict.name,
    })),
  };
}

const toMember = (row: DetailRow["members"][number]): ProviderMember => ({
  userId: row.userId,
  name: row.user.name,
  phoneMasked: maskPhone(row.user.phone),
  role: row.role,
});

/** What is stored of a pending change (everything but when it was asked for). */
const storedChangeSchema = pendingChangeSchema
  .omit({ submittedAt: true })
  // The whole area the change asks for, when it adds communities.
  .extend({ communityIds: z.array(z.string()).optional() });
type StoredChange = z.infer<typeof storedChangeSchema>;

const storedChangeOf = (row: Pick<DetailRow, "pendingChange" | "pendingChangeAt">) => {
  const stored = storedChangeSchema.safeParse(row.pendingChange);
  return stored.success && row.pendingChangeAt ? stored.data : null;
};

function pendingChangeOf(row: Pick<DetailRow, "pendingChange" | "pendingChangeAt">): PendingChange | null {
  const stored = storedChangeOf(row);
  if (!stored || !row.pendingChangeAt) return null;
  const { communityIds: _whole, ...shown } = stored;
  return { ...shown, submittedAt: row.pendingChangeAt.toISOString() };
}

/** The contact phone in full and the members only for those who may see them (provider.viewPrivate). */
function toDetail(row: DetailRow, isPrivate: boolean): ProviderDetail {
  return {
    ...toSummary(row),
    uscc: row.uscc,
    contactName: row.contactName,
    contactPhoneMasked: maskPhone(row.contactPhone),
    ...(isPrivate
      ? {
          contactPhone: row.contactPhone,
          members: row.members.map(toMember),
          pendingChange: pendingChangeOf(row),
        }
      : {}),
    address: row.address,
    version: row.version,
    services: row.services,
  };
}

/** Where the provider works in the territory tree: the places staff scope is checked against. */
const pathsOf = (row: SummaryRow): TerritoryPath[] =>
  row.communities.map(({ community }) => pathOf(community));
const pathOf = (community: { id: string; subdistrictId: string; subdistrict: { districtId: string } }) => ({
  districtId: community.subdistrict.districtId,
  subdistrictId: community.subdistrictId,
  communityId: community.id,
});

async function findProvider(id: string): Promise<DetailRow> {
  // Ids are checked first: a NUL byte or lone surrogate in a URL must not reach PostgreSQL.
  const row = ID_PATTERN.test(id)
    ? await db().provider.findUnique({ where: { id }, select: detailSelect })
    : null;
  if (!row) throw notFound("该机构不存在");
  return row;
}

const USCC_TAKEN = "该统一社会信用代码已登记入驻，如有疑问请联系社区工作人员";
const usccTaken = () => conflict(USCC_TAKEN, { uscc: USCC_TAKEN });

/** Checked first so the applicant gets a field error; the unique index still guards races (below). */
async function assertUsccFree(uscc: string, exceptId?: string) {
  const clash = await db().provider.findFirst({
    where: { uscc, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw usccTaken();
}

/** A provider's only unique column besides its id is the USCC, so a unique violation means it. */
function usccRace(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw usccTaken();
  throw error;
}

/** The communities served: the chosen ones plus every community of each chosen subdistrict. */
async function resolveCommunities(places: { communityIds: string[]; subdistrictIds: string[] }) {
  const [communities, subdistricts] = await Promise.all([
    db().community.findMany({ where: { id: { in: places.communityIds } }, select: { id: true } }),
    db().subdistrict.findMany({
      where: { id: { in: places.subdistrictIds } },
      select: { id: true, communities: { select: { id: true } } },
    }),
  ]);
  const fields: Record<string, string> = {};
  if (communities.length !== places.communityIds.length) fields.communityIds = "所选社区不存在，请重新选择";
  if (subdistricts.length !== places.subdistrictIds.length)
    fields.subdistrictIds = "所选街道不存在，请重新选择";
  if (Object.keys(fields).length > 0) throw validationError(fields);
  const ids = new Set([
    ...places.communityIds,
    ...subdistricts.flatMap((s) => s.communities.map((c) => c.id)),
  ]);
  if (ids.size === 0) throw validationError({ communityIds: "所选街道下还没有社区，请选择具体的社区" });
  return [...ids];
}

/** Who acted, as recorded in the audit log: the owner, or the highest staff role reaching the
 * provider's communities. */
type ActingRole = Role | "OWNER";
const STAFF_ROLES_HIGH_FIRST: Role[] = ["DISTRICT_ADMIN", "SUBDISTRICT_ADMIN", "COMMUNITY_WORKER"];
const staffRoleAt = (actor: Actor, paths: TerritoryPath[]): ActingRole | undefined =>
  STAFF_ROLES_HIGH_FIRST.find((role) =>
    actor.roles.some((grant) => grant.role === role && paths.some((path) => grantCovers(grant, path))),
  );

type Change = {
  action: string;
  role: ActingRole | undefined;
  to: ProviderStatus;
  data: Omit<Prisma.ProviderUpdateManyMutationInput, "status" | "version">;
  communityIds?: string[];
  /** A staff member who belongs to the provider decided (allowed from an admin's scope): recorded. */
  conflictOfInterest?: boolean;
  /** What else the change does in the same transaction; its counts go into the audit entry. */
  alsoInTx?: (tx: Tx) => Promise<Record<string, number | string | null>>;
};

/** One change of a provider in one transaction: the row (only if nobody changed it since it was
 * read), its communities, the audit entry and the outbox row with the bumped version. */
async function writeChange(actor: Actor, row: DetailRow, change: Change) {
  await db()
    .$transaction(async (tx) => {
      const { count } = await tx.provider.updateMany({
        where: { id: row.id, version: row.version },
        data: { ...change.data, status: change.to, version: row.version + 1 },
      });
      if (count === 0) throw conflict("该机构的信息刚被他人修改，请刷新页面后重试");
      if (change.communityIds) {
        await tx.providerCommunity.deleteMany({ where: { providerId: row.id } });
        await tx.providerCommunity.createMany({
          data: change.communityIds.map((communityId) => ({ providerId: row.id, communityId })),
        });
      }
      const effects = change.alsoInTx ? await change.alsoInTx(tx) : {};
      await recordAudit(tx, {
        actorId: actor.userId,
        action: change.action,
        targetType: "Provider",
        targetId: row.id,
        data: {
          role: change.role ?? null,
          from: row.status,
          to: change.to,
          ...(change.communityIds ? { communities: change.communityIds.length } : {}),
          ...(change.conflictOfInterest ? { conflictOfInterest: true } : {}),
          ...effects,
        },
      });
      await recordOutbox(tx, "Provider", row.id, row.version + 1);
    })
    .catch(usccRace);
  return toDetail(await findProvider(row.id), true);
}

/** Anyone signed in applies; they become the provider's owner. The application waits for review. */
export async function applyForProvider(actor: Actor, values: ApplyProviderInput): Promise<ProviderDetail> {
  authorize(actor, "provider.apply", null);
  await assertUnderLimit(LIMITS.providerApplyPerUser, actor.userId);
  const communityIds = await resolveCommunities(values);
  await assertUsccFree(values.uscc);
  const created = await db()
    .$transaction(async (tx) => {
      const provider = await tx.provider.create({
        data: {
          kind: values.kind,
          name: values.name,
          uscc: values.uscc,
          contactName: values.contactName,
          contactPhone: values.contactPhone,
          address: values.address,
          description: values.description,
          status: "PENDING",
          communities: { create: communityIds.map((communityId) => ({ communityId })) },
          members: { create: { userId: actor.userId, role: "OWNER" } },
        },
        select: { id: true, version: true },
      });
      await recordAudit(tx, {
        actorId: actor.userId,
        action: "provider.apply",
        targetType: "Provider",
        targetId: provider.id,
        data: { role: "OWNER", from: null, to: "PENDING", communities: communityIds.length },
      });
      await recordOutbox(tx, "Provider", provider.id, provider.version);
      return provider;
    })
    .catch(usccRace);
  await countAgainstLimit(LIMITS.providerApplyPerUser, actor.userId);
  return toDetail(await findProvider(created.id), true);
}

/** Approved providers are public; any other status only for its members and staff in scope. */
export async function getProvider(actor: Actor | null, id: string): Promise<ProviderDetail> {
  const row = await findProvider(id);
  const isPrivate = can(actor, "provider.viewPrivate", { providerId: row.id, paths: pathsOf(row) });
  if (row.status !== "APPROVED" && !isPrivate) throw notFound("该机构不存在");
  return toDetail(row, isPrivate);
}

/** The owner edits the application. A rejected one goes back to review; any other keeps its status. */
export async function updateProvider(
  actor: Actor,
  id: string,
  values: UpdateProviderInput,
): Promise<ProviderDetail> {
  const row = await findProvider(id);
  authorize(actor, "provider.edit", { providerId: row.id });
  const { communityIds, subdistrictIds, ...fields } = values;
  const places =
    communityIds === undefined && subdistrictIds === undefined
      ? undefined
      : await resolveCommunities({ communityIds: communityIds ?? [], subdistrictIds: subdistrictIds ?? [] });
  if (fields.uscc !== undefined) await assertUsccFree(fields.uscc, row.id);
  if (row.status === "APPROVED" || row.status === "SUSPENDED")
    return requestChange(actor, row, fields, places);
  const reapply = row.status === "REJECTED";
  return writeChange(actor, row, {
    action: reapply ? "provider.reapply" : "provider.update",
    role: "OWNER",
    to: reapply ? "PENDING" : row.status,
    data: { ...fields, ...(reapply ? { submittedAt: new Date() } : {}) },
    communityIds: places,
  });
}

type IdentityFields = Pick<UpdateProviderInput, "kind" | "name" | "uscc">;

/** An approved (or suspended) provider's contact, address and description change at once, and so
 * does giving up communities; a new name, USCC or kind, and any community added, wait for staff
 * review while the provider keeps working as reviewed (ADR 0017). A later request adds to the
 * pending one. */
async function requestChange(
  actor: Actor,
  row: DetailRow,
  fields: Omit<UpdateProviderInput, "communityIds" | "subdistrictIds">,
  places: string[] | undefined,
) {
  const { kind, name, uscc, ...immediate } = fields;
  const identity: IdentityFields = {
    ...(kind !== undefined && kind !== row.kind ? { kind } : {}),
    ...(name !== undefined && name !== row.name ? { name } : {}),
    ...(uscc !== undefined && uscc !== row.uscc ? { uscc } : {}),
  };
  const served = row.communities.map(({ community }) => community);
  const added = places?.filter((id) => !served.some((community) => community.id === id)) ?? [];
  if (Object.keys(identity).length === 0 && added.length === 0) {
    return writeChange(actor, row, {
      action: "provider.update",
      role: "OWNER",
      to: row.status,
      data: immediate,
      communityIds: places,
    });
  }
  const area: StoredChange =
    places && added.length > 0
      ? {
          communityIds: places,
          addedCommunities: await describeCommunities(added),
          removedCommunities: served
            .filter((community) => !places.includes(community.id))
            .map((community) => ({
              id: community.id,
              name: community.name,
              subdistrictId: community.subdistrictId,
              subdistrictName: community.subdistrict.name,
            })),
        }
      : {};
  const change: StoredChange = { ...storedChangeOf(row), ...identity, ...area };
  return writeChange(actor, row, {
    action: "provider.change.request",
    role: "OWNER",
    to: row.status,
    data: {
      ...immediate,
      pendingChange: change,
      pendingChangeAt: new Date(),
      pendingCommunityIds: change.addedCommunities?.map((community) => community.id) ?? [],
    },
    // Giving up communities needs nobody's approval; with additions it waits for the whole change.
    communityIds: added.length === 0 ? places : undefined,
  });
}

/** Where the communities a pending change adds sit in the territory tree (for the review rule). */
async function addedPathsOf(change: StoredChange | null): Promise<TerritoryPath[]> {
  const ids = change?.addedCommunities?.map((community) => community.id) ?? [];
  if (ids.length === 0) return [];
  const rows = await db().community.findMany({
    where: { id: { in: ids } },
    select: { id: true, subdistrictId: true, subdistrict: { select: { districtId: true } } },
  });
  return rows.map(pathOf);
}

async function describeCommunities(ids: string[]) {
  const rows = await db().community.findMany({
    where: { id: { in: ids } },
    orderBy: { name: "asc" },
    select: { id: true, name: true, subdistrictId: true, subdistrict: { select: { name: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    subdistrictId: row.subdistrictId,
    subdistrictName: row.subdistrict.name,
  }));
}

/** Staff approve or reject a pending change. Added communities are reviewed by staff whose scope
 * covers every one of them (ADR 0017); a change without additions by staff covering the provider. */
export async function reviewProviderChange(
  actor: Actor,
  id: string,
  values: { decision: "APPROVE" | "REJECT"; reason?: string },
): Promise<ProviderDetail> {
  const row = await findProvider(id);
  const change = storedChangeOf(row);
  const paths = pathsOf(row);
  const addedPaths = await addedPathsOf(change);
  const conflictOfInterest = isMember(actor, row);
  authorizeDespiteConflict(actor, "provider.reviewChange", { paths, addedPaths, conflictOfInterest });
  if (!change) throw conflict("该机构没有待审核的变更");
  const approve = values.decision === "APPROVE";
  if (approve && change.uscc !== undefined) await assertUsccFree(change.uscc, row.id);
  const owners = row.members.filter((member) => member.role === "OWNER").map((member) => member.userId);
  return writeChange(actor, row, {
    action: approve ? "provider.change.approve" : "provider.change.reject",
    role: staffRoleAt(actor, [...paths, ...addedPaths]),
    to: row.status,
    data: {
      ...(approve ? { kind: change.kind, name: change.name, uscc: change.uscc } : {}),
      pendingChange: Prisma.DbNull,
      pendingChangeAt: null,
      pendingCommunityIds: [],
    },
    communityIds: approve ? change.communityIds : undefined,
    conflictOfInterest,
    alsoInTx: async (tx) => {
      await notify(tx, {
        userIds: owners,
        kind: approve ? "provider.change.approved" : "provider.change.rejected",
        title: approve ? "机构信息变更已通过审核" : "机构信息变更未通过审核",
        body: approve
          ? `“${change.name ?? row.name}”的变更已生效。`
          : `“${row.name}”的变更未通过${values.reason ? `：${values.reason}` : "。"}机构仍按原信息服务。`,
        link: `/me/providers/${row.id}`,
        dedupeKey: `provider.change.${approve ? "approved" : "rejected"}:${row.id}:${row.version}`,
      });
      return {};
    },
  });
}

const isMember = (actor: Actor, row: Pick<DetailRow, "members">) =>
  row.members.some((member) => member.userId === actor.userId);
const isOnlyOwner = (actor: Actor, row: Pick<DetailRow, "members">) => {
  const owners = row.members.filter((member) => member.role === "OWNER");
  return owners.length === 1 && owners[0]?.userId === actor.userId;
};

const CONFLICT_REFUSED = "您是该机构的成员，不能审核或处理自己所在的机构，请由街道或区管理员处理";

/** A member of the provider who would otherwise be allowed is told why not (the policy's conflict
 * rule), rather than getting a bare refusal. */
function authorizeDespiteConflict<A extends "provider.review" | "provider.reviewChange">(
  actor: Actor,
  action: A,
  resource: Parameters<typeof authorize<A>>[2],
) {
  if (resource.conflictOfInterest && !can(actor, action, resource)) {
    if (can(actor, action, { ...resource, conflictOfInterest: false })) throw forbidden(CONFLICT_REFUSED);
  }
  authorize(actor, action, resource);
}

/** What a decision needs the provider's status to be, and what it says when it is not. */
const WRONG_STATUS = {
  PENDING: "只能审核待审核的申请",
  APPROVED: "只能暂停已通过的机构",
  SUSPENDED: "只能恢复已暂停的机构",
} satisfies Partial<Record<ProviderStatus, string>>;

type Decision = {
  action: string;
  /** The only status the decision applies to. */
  from: keyof typeof WRONG_STATUS;
  to: ProviderStatus;
  reason: string | null;
  alsoInTx?: Change["alsoInTx"];
};

async function decide(
  actor: Actor,
  id: string,
  permission: "provider.review" | "provider.suspend",
  decision: Decision,
) {
  const row = await findProvider(id);
  const paths = pathsOf(row);
  const conflictOfInterest = isMember(actor, row);
  if (permission === "provider.review") {
    authorizeDespiteConflict(actor, permission, { paths, conflictOfInterest });
  } else authorize(actor, permission, { paths });
  if (row.status !== decision.from) {
    throw conflict(`${WRONG_STATUS[decision.from]}（当前状态：${PROVIDER_STATUS_LABELS[row.status]}）`);
  }
  return writeChange(actor, row, {
    action: decision.action,
    role: staffRoleAt(actor, paths),
    to: decision.to,
    data: {
      statusReason: decision.reason,
      ...(permission === "provider.review" ? { reviewedAt: new Date(), reviewedById: actor.userId } : {}),
    },
    conflictOfInterest,
    alsoInTx: decision.alsoInTx,
  });
}

/** Staff whose scope covers one of the provider's communities approve or reject (with a reason the
 * applicant sees). */
export function reviewProvider(
  actor: Actor,
  id: string,
  values: { decision: "APPROVE" | "REJECT"; reason?: string },
): Promise<ProviderDetail> {
  return decide(
    actor,
    id,
    "provider.review",
    values.decision === "APPROVE"
      ? { action: "provider.approve", from: "PENDING", to: "APPROVED", reason: null }
      : { action: "provider.reject", from: "PENDING", to: "REJECTED", reason: values.reason || null },
  );
}

/** Admins in scope take an approved provider off the platform for a while, with a reason. */
export function suspendProvider(actor: Actor, id: string, values: { reason: string }) {
  return decide(actor, id, "provider.suspend", {
    action: "provider.suspend",
    from: "APPROVED",
    to: "SUSPENDED",
    reason: values.reason,
    alsoInTx: (tx) => stopActingFor(tx, id),
  });
}

/** A suspended provider does nothing (ADR 0017): its open proposals are withdrawn, and the staff of
 * each community where it organises a coming activity are told, so they decide what becomes of it. */
async function stopActingFor(tx: Tx, providerId: string) {
  const now = new Date();
  const provider = await tx.provider.findUniqueOrThrow({ where: { id: providerId }, select: { name: true } });
  const proposals = await tx.match.findMany({
    where: { providerId, status: "PROPOSED" },
    select: { id: true, need: { select: { id: true, title: true, communityId: true } } },
  });
  await tx.match.updateMany({
    where: { id: { in: proposals.map((p) => p.id) } },
    data: { status: "WITHDRAWN", decidedAt: now },
  });
  for (const { id, need } of proposals) {
    await notify(tx, {
      userIds: await communityStaffIds(tx, need.communityId),
      kind: "match.withdrawn",
      title: "机构已暂停，对接已撤回",
      body: `“${provider.name}”已被暂停，需求“${need.title}”的对接已撤回，请重新为该需求寻找服务。`,
      link: `/needs/${need.id}`,
      dedupeKey: `match.withdrawn:${id}`,
    });
  }
  const activities = await tx.activity.findMany({
    where: {
      status: { in: ["DRAFT", "PUBLISHED", "ONGOING"] },
      OR: [{ providerId }, { providers: { some: { providerId } } }],
    },
    select: { id: true, title: true, communityId: true },
  });
  for (const activity of activities) {
    await notify(tx, {
      userIds: await communityStaffIds(tx, activity.communityId),
      kind: "activity.providerSuspended",
      title: "活动的组织机构已暂停",
      body: `“${provider.name}”已被暂停，不能再管理活动“${activity.title}”（签到、报名名单等）。请决定由社区接手还是取消。`,
      link: `/activities/${activity.id}`,
      dedupeKey: `activity.providerSuspended:${activity.id}:${providerId}:${now.getTime()}`,
    });
  }
  return { withdrawnProposals: proposals.length, activitiesFlagged: activities.length };
}

export function restoreProvider(actor: Actor, id: string) {
  return decide(actor, id, "provider.suspend", {
    action: "provider.restore",
    from: "SUSPENDED",
    to: "APPROVED",
    reason: null,
  });
}

async function pageOfProviders(
  where: Prisma.ProviderWhereInput,
  orderBy: Prisma.ProviderOrderByWithRelationInput[],
  paging: Paging,
) {
  const [rows, total] = await Promise.all([
    db().provider.findMany({
      where,
      orderBy,
      skip: (paging.page - 1) * paging.pageSize,
      take: paging.pageSize,
      select: summarySelect,
    }),
    db().provider.count({ where }),
  ]);
  return { items: rows.map(toSummary), total, page: paging.page, pageSize: paging.pageSize };
}

/** Staff see the providers serving a community in their reach, newest application first: this is
 * also the review queue (status=PENDING). */
export async function listProviders(actor: Actor, query: ProviderListQuery) {
  authorize(actor, "workbench.open", null);
  const reach = await reachableTerritory(actor);
  const communityIds = query.communityId
    ? reach.communityIds.filter((communityId) => communityId === query.communityId)
    : reach.communityIds;
  return pageOfProviders(
    {
      // A pending change is also for the staff of the communities it would add (ADR 0017).
      OR: [
        { communities: { some: { communityId: { in: communityIds } } } },
        { pendingCommunityIds: { hasSome: communityIds } },
      ],
      ...(query.changePending ? { pendingChangeAt: { not: null } } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
    },
    [{ submittedAt: "desc" }, { id: "desc" }],
    query,
  );
}

/** The public directory (组织): approved providers only, most recently approved first. */
export function listDirectory(query: DirectoryQuery) {
  const place = {
    ...(query.communityId ? { communityId: query.communityId } : {}),
    ...(query.subdistrictId ? { community: { subdistrictId: query.subdistrictId } } : {}),
  };
  return pageOfProviders(
    {
      status: "APPROVED",
      ...(query.kind ? { kind: query.kind } : {}),
      ...(Object.keys(place).length > 0 ? { communities: { some: place } } : {}),
    },
    [{ reviewedAt: "desc" }, { id: "asc" }],
    query,
  );
}

/** The providers the actor belongs to, whatever their status, with the reviewer's latest reason. */
export async function listMyProviders(actor: Actor): Promise<MyProvider[]> {
  const rows = await db().providerMember.findMany({
    where: { userId: actor.userId },
    orderBy: { createdAt: "desc" },
    select: { role: true, provider: { select: summarySelect } },
  });
  return rows.map((row) => ({ ...toSummary(row.provider), myRole: row.role }));
}

const auditDataSchema = z.object({
  role: z.string().nullable().optional(),
  to: z.enum(PROVIDER_STATUSES).nullable().optional(),
  conflictOfInterest: z.boolean().optional(),
});

/** Everything its members and the staff in scope may do with a provider, with its audit history:
 * what the dashboard and the review page show. */
export async function getProviderWorkspace(actor: Actor, id: string) {
  const row = await findProvider(id);
  const paths = pathsOf(row);
  authorize(actor, "provider.viewPrivate", { providerId: row.id, paths });
  const entries = await db().auditLog.findMany({
    where: { targetType: "Provider", targetId: row.id },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, action: true, createdAt: true, data: true },
  });
  const history: ProviderHistoryEntry[] = entries.map((entry) => {
    const data = auditDataSchema.safeParse(entry.data);
    return {
      id: entry.id,
      action: entry.action,
      at: entry.createdAt.toISOString(),
      role: data.success ? (data.data.role ?? null) : null,
      to: data.success ? (data.data.to ?? null) : null,
      conflictOfInterest: data.success && data.data.conflictOfInterest === true,
    };
  });
  const conflictOfInterest = isMember(actor, row);
  const change = storedChangeOf(row);
  const addedPaths = await addedPathsOf(change);
  return {
    provider: toDetail(row, true),
    history,
    conflictOfInterest: conflictOfInterest && isStaff(actor),
    can: {
      edit: can(actor, "provider.edit", { providerId: row.id }),
      manageServices: can(actor, "service.manage", { providerId: row.id }),
      invite: can(actor, "provider.invite", { providerId: row.id }) && row.status === "APPROVED",
      leave: can(actor, "provider.leave", { providerId: row.id }) && !isOnlyOwner(actor, row),
      review: can(actor, "provider.review", { paths, conflictOfInterest }),
      suspend: can(actor, "provider.suspend", { paths }),
      reviewChange:
        change !== null && can(actor, "provider.reviewChange", { paths, addedPaths, conflictOfInterest }),
    },
  };
}
