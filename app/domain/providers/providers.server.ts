import { Prisma, type ProviderStatus, type Role } from "@prisma/client";
import { db } from "~/lib/db.server";
import { conflict, forbidden, notFound, validationError } from "~/lib/errors";
import { maskPhone } from "~/lib/masking";
import type { Paging } from "~/lib/paging";
import { ID_PATTERN, z } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { recordOutbox } from "../outbox.server";
import { authorize, can, grantCovers, type TerritoryPath } from "../policy";
import { reachableTerritory } from "../territory/territory.server";
import {
  type ApplyProviderInput,
  type DirectoryQuery,
  type MyProvider,
  PROVIDER_STATUS_LABELS,
  PROVIDER_STATUSES,
  type ProviderDetail,
  type ProviderHistoryEntry,
  type ProviderListQuery,
  type ProviderMember,
  type ProviderSummary,
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

/** The contact phone in full and the members only for those who may see them (provider.viewPrivate). */
function toDetail(row: DetailRow, isPrivate: boolean): ProviderDetail {
  return {
    ...toSummary(row),
    uscc: row.uscc,
    contactName: row.contactName,
    contactPhoneMasked: maskPhone(row.contactPhone),
    ...(isPrivate ? { contactPhone: row.contactPhone, members: row.members.map(toMember) } : {}),
    address: row.address,
    version: row.version,
    services: row.services,
  };
}

/** Where the provider works in the territory tree: the places staff scope is checked against. */
const pathsOf = (row: SummaryRow): TerritoryPath[] =>
  row.communities.map(({ community }) => ({
    districtId: community.subdistrict.districtId,
    subdistrictId: community.subdistrictId,
    communityId: community.id,
  }));

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
  const reapply = row.status === "REJECTED";
  return writeChange(actor, row, {
    action: reapply ? "provider.reapply" : "provider.update",
    role: "OWNER",
    to: reapply ? "PENDING" : row.status,
    data: { ...fields, ...(reapply ? { submittedAt: new Date() } : {}) },
    communityIds: places,
  });
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
};

async function decide(
  actor: Actor,
  id: string,
  permission: "provider.review" | "provider.suspend",
  decision: Decision,
) {
  const row = await findProvider(id);
  const paths = pathsOf(row);
  authorize(actor, permission, { paths });
  if (row.members.some((member) => member.userId === actor.userId)) {
    throw forbidden("您是该机构的成员，不能审核或处理自己所在的机构，请由其他工作人员处理");
  }
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
  });
}

export function restoreProvider(actor: Actor, id: string) {
  return decide(actor, id, "provider.suspend", {
    action: "provider.restore",
    from: "SUSPENDED",
    to: "APPROVED",
    reason: null,
  });
}

// Membership is not part of what the search index shows, so it is audited but not versioned.

/** The owner adds a person who already has an account, by phone, as a member. */
export async function addMember(
  actor: Actor,
  id: string,
  values: { phone: string },
): Promise<ProviderMember> {
  const row = await findProvider(id);
  authorize(actor, "provider.edit", { providerId: row.id });
  const user = await db().user.findUnique({ where: { phone: values.phone }, select: { id: true } });
  if (!user) throw validationError({ phone: "该手机号尚未注册，请对方先在平台注册后再添加" });
  if (row.members.some((member) => member.userId === user.id)) {
    throw conflict("该用户已是本机构成员", { phone: "该用户已是本机构成员" });
  }
  const member = await db().$transaction(async (tx) => {
    const created = await tx.providerMember.create({
      data: { providerId: row.id, userId: user.id, role: "MEMBER" },
      select: { userId: true, role: true, user: { select: { name: true, phone: true } } },
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "provider.member.add",
      targetType: "Provider",
      targetId: row.id,
      data: { role: "OWNER", memberId: user.id },
    });
    return created;
  });
  return toMember(member);
}

/** The owner removes a member; the owner cannot be removed. */
export async function removeMember(actor: Actor, id: string, userId: string) {
  const row = await findProvider(id);
  authorize(actor, "provider.edit", { providerId: row.id });
  const member = row.members.find((m) => m.userId === userId);
  if (!member) throw notFound("该用户不是本机构成员");
  if (member.role === "OWNER") throw conflict("机构负责人不能被移除");
  await db().$transaction(async (tx) => {
    await tx.providerMember.delete({ where: { providerId_userId: { providerId: row.id, userId } } });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "provider.member.remove",
      targetType: "Provider",
      targetId: row.id,
      data: { role: "OWNER", memberId: userId },
    });
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
      communities: { some: { communityId: { in: communityIds } } },
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
    };
  });
  const isMember = row.members.some((member) => member.userId === actor.userId);
  return {
    provider: toDetail(row, true),
    history,
    can: {
      edit: can(actor, "provider.edit", { providerId: row.id }),
      manageServices: can(actor, "service.manage", { providerId: row.id }),
      review: !isMember && can(actor, "provider.review", { paths }),
      suspend: !isMember && can(actor, "provider.suspend", { paths }),
    },
  };
}
