import { Prisma, type ProviderStatus, type Role } from "@prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { conflict, notFound } from "~/lib/errors";
import { maskPhone } from "~/lib/masking";
import { ID_PATTERN, z } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { recordOutbox } from "../outbox.server";
import { grantCovers, type TerritoryPath } from "../policy";
import { namedCommunitySelect } from "../territory/places";
import { communityPath } from "../territory/tree";
import {
  type PendingChange,
  type ProviderDetail,
  type ProviderMember,
  type ProviderSummary,
  pendingChangeSchema,
} from "./providers.schema";

// One provider as the domain reads and writes it: what is selected and how it is shown, where it
// sits in the territory tree, and the one way a change is written (row, communities, audit, outbox).

export const summarySelect = {
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
    select: { community: namedCommunitySelect },
  },
} satisfies Prisma.ProviderSelect;

const detailSelect = {
  ...summarySelect,
  uscc: true,
  contactName: true,
  contactPhone: true,
  businessPhone: true,
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
export type DetailRow = Prisma.ProviderGetPayload<{ select: typeof detailSelect }>;

export function toSummary(row: SummaryRow): ProviderSummary {
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
export type StoredChange = z.infer<typeof storedChangeSchema>;

export const storedChangeOf = (row: Pick<DetailRow, "pendingChange" | "pendingChangeAt">) => {
  const stored = storedChangeSchema.safeParse(row.pendingChange);
  return stored.success && row.pendingChangeAt ? stored.data : null;
};

function pendingChangeOf(row: Pick<DetailRow, "pendingChange" | "pendingChangeAt">): PendingChange | null {
  const stored = storedChangeOf(row);
  if (!stored || !row.pendingChangeAt) return null;
  const { communityIds: _whole, ...shown } = stored;
  return { ...shown, submittedAt: row.pendingChangeAt.toISOString() };
}

/** The contact person's phone in full and the members only for those who may see them
 * (provider.viewPrivate); the business phone is public, given for that purpose (ADR 0030). */
export function toDetail(row: DetailRow, isPrivate: boolean): ProviderDetail {
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
    businessPhone: row.businessPhone,
    address: row.address,
    version: row.version,
    services: row.services,
  };
}

/** Where the provider works in the territory tree: the places staff scope is checked against. */
export const pathsOf = (row: SummaryRow): TerritoryPath[] =>
  row.communities.map(({ community }) => communityPath(community));

export async function findProvider(id: string): Promise<DetailRow> {
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
export async function assertUsccFree(uscc: string, exceptId?: string) {
  const clash = await db().provider.findFirst({
    where: { uscc, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw usccTaken();
}

/** A provider's only unique column besides its id is the USCC, so a unique violation means it. */
export function usccRace(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw usccTaken();
  throw error;
}

/** Who acted, as recorded in the audit log: the owner, or the highest staff role reaching the
 * provider's communities. */
type ActingRole = Role | "OWNER";
const STAFF_ROLES_HIGH_FIRST: Role[] = ["DISTRICT_ADMIN", "SUBDISTRICT_ADMIN", "COMMUNITY_WORKER"];
export const staffRoleAt = (actor: Actor, paths: TerritoryPath[]): ActingRole | undefined =>
  STAFF_ROLES_HIGH_FIRST.find((role) =>
    actor.roles.some((grant) => grant.role === role && paths.some((path) => grantCovers(grant, path))),
  );

export type Change = {
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
export async function writeChange(actor: Actor, row: DetailRow, change: Change) {
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

/** Where the communities a pending change adds sit in the territory tree (for the review rule). */
export async function addedPathsOf(change: StoredChange | null): Promise<TerritoryPath[]> {
  const ids = change?.addedCommunities?.map((community) => community.id) ?? [];
  if (ids.length === 0) return [];
  const rows = await db().community.findMany({
    where: { id: { in: ids } },
    select: { id: true, subdistrictId: true, subdistrict: { select: { districtId: true } } },
  });
  return rows.map(communityPath);
}

export const isMember = (actor: Actor, row: Pick<DetailRow, "members">) =>
  row.members.some((member) => member.userId === actor.userId);
export const isOnlyOwner = (actor: Actor, row: Pick<DetailRow, "members">) => {
  const owners = row.members.filter((member) => member.role === "OWNER");
  return owners.length === 1 && owners[0]?.userId === actor.userId;
};
