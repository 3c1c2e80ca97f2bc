import type {
  Funding,
  NeedStatus,
  PrismaClient,
  ProviderKind,
  ProviderMemberRole,
  ProviderStatus,
  ServiceStatus,
  Urgency,
} from "@prisma/client";
import type { CategoryCode } from "~/domain/catalog/categories";
import { usccCheckCharacter } from "~/domain/providers/uscc";
import { uniquePhone } from "./index";

// Providers, services and needs for tests and the demo seed: rows written directly, valid by
// construction (a USCC with the right check character, communities that exist).

let sequence = 0;
const next = () => ++sequence;

/** A valid unified social credit code: 9 (merchant) or 5 (social organization), a Beijing division
 * code, a serial organization code and the GB 32100-2015 check character. */
export function makeUscc(kind: ProviderKind, serial: number = next() + process.pid * 1000): string {
  const first17 = `${kind === "MERCHANT" ? "91" : "53"}110105${String(serial).padStart(9, "0").slice(-9)}`;
  return first17 + usccCheckCharacter(first17);
}

export type ProviderValues = {
  kind?: ProviderKind;
  name?: string;
  uscc?: string;
  status?: ProviderStatus;
  statusReason?: string | null;
  contactName?: string;
  contactPhone?: string;
  /** The public business phone (ADR 0030); none by default. */
  businessPhone?: string | null;
  address?: string;
  description?: string;
  communityIds: string[];
  /** Users to add, the first as OWNER unless a role is given. */
  members?: { userId: string; role?: ProviderMemberRole }[];
  /** When it was reviewed (approved or rejected); now by default. */
  reviewedAt?: Date;
};

export async function createProvider(db: PrismaClient, values: ProviderValues) {
  const kind = values.kind ?? "SOCIAL_ORG";
  const n = next();
  return db.provider.create({
    data: {
      kind,
      name: values.name ?? `测试${kind === "MERCHANT" ? "商家" : "社会组织"}${n}`,
      uscc: values.uscc ?? makeUscc(kind),
      status: values.status ?? "APPROVED",
      statusReason: values.statusReason ?? null,
      reviewedAt: values.status === "PENDING" ? null : (values.reviewedAt ?? new Date()),
      contactName: values.contactName ?? "联系人",
      contactPhone: values.contactPhone ?? uniquePhone(),
      businessPhone: values.businessPhone ?? null,
      address: values.address ?? "测试路1号",
      description: values.description ?? "为社区居民提供服务。",
      communities: { create: values.communityIds.map((communityId) => ({ communityId })) },
      members: {
        create: (values.members ?? []).map((member, i) => ({
          userId: member.userId,
          role: member.role ?? (i === 0 ? "OWNER" : "MEMBER"),
        })),
      },
    },
    include: { communities: true, members: true },
  });
}

export type ServiceValues = {
  providerId: string;
  communityIds: string[];
  title?: string;
  description?: string;
  category?: CategoryCode;
  funding?: Funding;
  priceFen?: number | null;
  capacityPerWeek?: number | null;
  status?: ServiceStatus;
  /** When it was published (unless a draft); now by default. */
  publishedAt?: Date;
};

export async function createService(db: PrismaClient, values: ServiceValues) {
  const status = values.status ?? "PUBLISHED";
  const funding = values.funding ?? "FREE";
  return db.service.create({
    data: {
      providerId: values.providerId,
      title: values.title ?? `测试服务${next()}`,
      description: values.description ?? "上门为老人提供服务。",
      category: values.category ?? "elderly-care",
      funding,
      priceFen: funding === "PAID" ? (values.priceFen ?? 5000) : null,
      capacityPerWeek: values.capacityPerWeek ?? null,
      status,
      publishedAt: status === "DRAFT" ? null : (values.publishedAt ?? new Date()),
      archivedAt: status === "ARCHIVED" ? new Date() : null,
      communities: { create: values.communityIds.map((communityId) => ({ communityId })) },
    },
    include: { communities: true },
  });
}

export type NeedValues = {
  requesterId: string;
  communityId: string;
  createdById?: string;
  title?: string;
  description?: string;
  category?: CategoryCode;
  urgency?: Urgency;
  preferredTime?: string | null;
  status?: NeedStatus;
  createdAt?: Date;
};

export async function createNeed(db: PrismaClient, values: NeedValues) {
  const createdById = values.createdById ?? values.requesterId;
  return db.need.create({
    data: {
      requesterId: values.requesterId,
      createdById,
      onBehalf: createdById !== values.requesterId,
      communityId: values.communityId,
      title: values.title ?? `测试需求${next()}`,
      description: values.description ?? "家里老人需要每周上门探访。",
      category: values.category ?? "elderly-care",
      urgency: values.urgency ?? "NORMAL",
      preferredTime: values.preferredTime ?? null,
      status: values.status ?? "OPEN",
      ...(values.createdAt ? { createdAt: values.createdAt } : {}),
    },
  });
}
