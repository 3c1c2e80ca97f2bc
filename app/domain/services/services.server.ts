import type { Prisma, ServiceStatus } from "@prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { conflict, notFound, validationError } from "~/lib/errors";
import { cachedPublicRead } from "~/lib/public-reads.server";
import { ID_PATTERN } from "~/lib/zod";
import { isPublicService, publicServices } from "~/search/visibility";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { categoryName } from "../catalog/categories";
import { recordOutbox } from "../outbox.server";
import { authorize, can, type TerritoryPath } from "../policy";
import { namedCommunitySelect } from "../territory/places";
import { communityPath } from "../territory/tree";
import {
  type BrowseItem,
  type BrowseQuery,
  type CreateServiceValues,
  fundingPriceError,
  type ServiceProvider,
  type ServiceView,
  type UpdateServiceValues,
} from "./services.schema";

// The service catalog (服务项目): a provider's owner and members create, edit, publish and archive
// services for the communities the provider serves; the public sees published services of approved
// providers only. Life cycle DRAFT → PUBLISHED → ARCHIVED (DESIGN §4).

const communitySelect = { community: namedCommunitySelect } as const;

const providerSelect = {
  id: true,
  name: true,
  kind: true,
  businessPhone: true,
  status: true,
  communities: { select: communitySelect },
} as const;

const serviceInclude = {
  communities: { select: communitySelect, orderBy: { community: { name: "asc" } } },
  provider: { select: providerSelect },
} as const;

type ServiceRow = Prisma.ServiceGetPayload<{ include: typeof serviceInclude }>;
type CommunityRow = { community: ServiceRow["communities"][number]["community"] };

const pathOf = ({ community }: CommunityRow): TerritoryPath => communityPath(community);

const toProvider = ({ id, name, kind, status, businessPhone }: ServiceRow["provider"]): ServiceProvider => ({
  id,
  name,
  kind,
  status,
  businessPhone,
});

function toView(row: ServiceRow): ServiceView {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: row.id,
    providerId: row.providerId,
    title: row.title,
    description: row.description,
    category: row.category,
    categoryName: categoryName(row.category),
    funding: row.funding,
    priceFen: row.priceFen,
    capacityPerWeek: row.capacityPerWeek,
    status: row.status,
    communityIds: row.communities.map(({ community }) => community.id),
    communities: row.communities.map(({ community }) => ({
      id: community.id,
      name: community.name,
      subdistrictId: community.subdistrictId,
      subdistrictName: community.subdistrict.name,
    })),
    publishedAt: iso(row.publishedAt),
    archivedAt: iso(row.archivedAt),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const isMember = (actor: Actor, providerId: string) =>
  actor.memberships.some((membership) => membership.providerId === providerId);

/** The provider's people and staff whose scope covers one of the provider's communities. */
const seesPrivately = (actor: Actor | null, provider: ServiceRow["provider"]) =>
  can(actor, "provider.viewPrivate", { providerId: provider.id, paths: provider.communities.map(pathOf) });

/** A service's id from a URL: a malformed one cannot name a service (and must not reach SQL). */
async function findService(serviceId: string): Promise<ServiceRow> {
  const row = ID_PATTERN.test(serviceId)
    ? await db().service.findUnique({ where: { id: serviceId }, include: serviceInclude })
    : null;
  if (!row) throw notFound("该服务不存在或已下架");
  return row;
}

async function findProvider(providerId: string) {
  return db().provider.findUnique({ where: { id: providerId }, select: providerSelect });
}

function assertWithinArea(provider: { communities: CommunityRow[] }, communityIds: string[]) {
  const served = new Set(provider.communities.map(({ community }) => community.id));
  if (!communityIds.every((id) => served.has(id)))
    throw validationError({ communityIds: "只能选择本机构服务的社区" });
}

function assertPriceFits(funding: CreateServiceValues["funding"], priceFen: number | null | undefined) {
  const message = fundingPriceError(funding, priceFen);
  if (message) throw validationError({ priceFen: message });
}

/** One transaction's closing steps for a changed service: audit, then announce the new version. */
async function announce(
  tx: Tx,
  actor: Actor,
  action: string,
  service: { id: string; version: number },
  data?: Prisma.InputJsonObject,
) {
  await recordAudit(tx, { actorId: actor.userId, action, targetType: "Service", targetId: service.id, data });
  await recordOutbox(tx, "Service", service.id, service.version);
}

/** Moves a service on only if it is still in one of the expected states (a concurrent archive
 * cannot be overwritten), bumping its version; the caller says what a refusal means. */
async function advance(
  tx: Tx,
  serviceId: string,
  from: ServiceStatus[],
  data: Prisma.ServiceUpdateManyMutationInput,
  refusal: string,
) {
  const { count } = await tx.service.updateMany({
    where: { id: serviceId, status: { in: from } },
    data: { ...data, version: { increment: 1 } },
  });
  if (count === 0) throw conflict(refusal);
  return tx.service.findUniqueOrThrow({ where: { id: serviceId }, include: serviceInclude });
}

export async function createService(actor: Actor, values: CreateServiceValues) {
  const provider = await findProvider(values.providerId);
  if (!provider) throw validationError({ providerId: "所选机构不存在" });
  authorize(actor, "service.manage", { providerId: provider.id });
  assertWithinArea(provider, values.communityIds);
  const status = values.status ?? "PUBLISHED";
  const row = await db().$transaction(async (tx) => {
    const created = await tx.service.create({
      data: {
        providerId: provider.id,
        title: values.title,
        description: values.description,
        category: values.category,
        funding: values.funding,
        priceFen: values.priceFen ?? null,
        capacityPerWeek: values.capacityPerWeek ?? null,
        status,
        publishedAt: status === "PUBLISHED" ? new Date() : null,
        communities: { create: values.communityIds.map((communityId) => ({ communityId })) },
      },
      include: serviceInclude,
    });
    await announce(tx, actor, "service.create", created, {
      providerId: provider.id,
      status,
      category: values.category,
      funding: values.funding,
    });
    return created;
  });
  return { service: toView(row), provider: toProvider(row.provider) };
}

/** PATCH semantics: the fields sent replace the stored ones and the merged result obeys the same
 * rules as a new service. Switching away from PAID drops the price unless one is sent (then it is
 * an error). `publish` saves a draft and publishes it in the same transaction (the edit form). */
export async function updateService(
  actor: Actor,
  serviceId: string,
  patch: UpdateServiceValues,
  options: { publish?: boolean } = {},
) {
  const current = await findService(serviceId);
  authorize(actor, "service.manage", { providerId: current.providerId });
  if (current.status === "ARCHIVED") throw conflict("已下架的服务不能修改");
  if (options.publish && current.status !== "DRAFT") throw conflict("该服务已经发布");
  const funding = patch.funding ?? current.funding;
  const priceFen =
    patch.priceFen !== undefined ? patch.priceFen : funding === "PAID" ? current.priceFen : null;
  assertPriceFits(funding, priceFen);
  const communityIds = patch.communityIds ?? current.communities.map(({ community }) => community.id);
  assertWithinArea(current.provider, communityIds);

  const changed = Object.entries(patch)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field);
  const row = await db().$transaction(async (tx) => {
    if (patch.communityIds) {
      await tx.serviceCommunity.deleteMany({ where: { serviceId } });
      await tx.serviceCommunity.createMany({
        data: patch.communityIds.map((communityId) => ({ serviceId, communityId })),
      });
    }
    const updated = await advance(
      tx,
      serviceId,
      options.publish ? ["DRAFT"] : ["DRAFT", "PUBLISHED"],
      {
        title: patch.title,
        description: patch.description,
        category: patch.category,
        funding,
        priceFen,
        capacityPerWeek: patch.capacityPerWeek,
        ...(options.publish ? { status: "PUBLISHED", publishedAt: new Date() } : {}),
      },
      "该服务刚被下架或已发布，请刷新后再试",
    );
    if (options.publish) {
      await recordAudit(tx, {
        actorId: actor.userId,
        action: "service.publish",
        targetType: "Service",
        targetId: serviceId,
      });
    }
    await announce(tx, actor, "service.update", updated, { fields: changed });
    return updated;
  });
  return { service: toView(row), provider: toProvider(row.provider) };
}

export async function publishService(actor: Actor, serviceId: string) {
  const current = await findService(serviceId);
  authorize(actor, "service.manage", { providerId: current.providerId });
  const refusal = current.status === "ARCHIVED" ? "已下架的服务不能再发布" : "该服务已经发布";
  const row = await db().$transaction(async (tx) => {
    const updated = await advance(
      tx,
      serviceId,
      ["DRAFT"],
      { status: "PUBLISHED", publishedAt: new Date() },
      refusal,
    );
    await announce(tx, actor, "service.publish", updated);
    return updated;
  });
  return { service: toView(row), provider: toProvider(row.provider) };
}

/** The provider's people, or staff whose scope covers one of the service's communities. A draft
 * may be archived too (that is how a provider discards it); archiving is final. */
export async function archiveService(actor: Actor, serviceId: string) {
  const current = await findService(serviceId);
  authorize(actor, "service.archive", {
    providerId: current.providerId,
    paths: current.communities.map(pathOf),
  });
  const row = await db().$transaction(async (tx) => {
    const updated = await advance(
      tx,
      serviceId,
      ["DRAFT", "PUBLISHED"],
      { status: "ARCHIVED", archivedAt: new Date() },
      "该服务已经下架",
    );
    await announce(tx, actor, "service.archive", updated, { byStaff: !isMember(actor, current.providerId) });
    return updated;
  });
  return { service: toView(row), provider: toProvider(row.provider) };
}

/** A published service of an approved provider is public; anything else only its provider's people
 * and staff in scope may see (to the rest it does not exist). Also says what the viewer may do. */
export async function getService(actor: Actor | null, serviceId: string) {
  const row = await findService(serviceId);
  if (!isPublicService(row) && !seesPrivately(actor, row.provider)) throw notFound("该服务不存在或已下架");
  const open = row.status !== "ARCHIVED";
  return {
    service: toView(row),
    provider: toProvider(row.provider),
    isPublic: isPublicService(row),
    canManage: open && can(actor, "service.manage", { providerId: row.providerId }),
    canArchive:
      open &&
      can(actor, "service.archive", { providerId: row.providerId, paths: row.communities.map(pathOf) }),
  };
}

/** Public browsing: published services of approved providers, newest first. The most asked-for
 * pages of it are kept in memory between changes. */
export const browseServices = cachedPublicRead(
  {
    tables: ["Service", "ServiceCommunity", "Provider", "Community", "Subdistrict"],
    key: (query: BrowseQuery) => JSON.stringify(query),
    maxEntries: 200,
  },
  async (query: BrowseQuery) => {
    const where = publicServices({
      ...(query.providerKind ? { provider: { kind: query.providerKind } } : {}),
      ...(query.category ? { category: query.category } : {}),
      ...(query.funding ? { funding: query.funding } : {}),
      AND: [
        query.communityId ? { communities: { some: { communityId: query.communityId } } } : {},
        query.subdistrictId
          ? { communities: { some: { community: { subdistrictId: query.subdistrictId } } } }
          : {},
      ],
    });
    const [total, rows] = await db().$transaction([
      db().service.count({ where }),
      db().service.findMany({
        where,
        include: serviceInclude,
        orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
        skip: (query.page - 1) * query.pageSize,
        take: query.pageSize,
      }),
    ]);
    const items: BrowseItem[] = rows.map((row) => ({ ...toView(row), provider: toProvider(row.provider) }));
    return { items, total, page: query.page, pageSize: query.pageSize };
  },
);

/** A provider as its own people manage services for it: its summary and the communities it serves
 * (the only ones its services may name). */
export async function getProviderForServices(actor: Actor, providerId: string) {
  const provider = ID_PATTERN.test(providerId) ? await findProvider(providerId) : null;
  if (!provider) throw notFound("该机构不存在");
  authorize(actor, "service.manage", { providerId: provider.id });
  const communities = provider.communities
    .map(({ community }) => ({
      id: community.id,
      name: community.name,
      subdistrictId: community.subdistrictId,
      subdistrictName: community.subdistrict.name,
    }))
    .sort((a, b) => a.subdistrictName.localeCompare(b.subdistrictName) || a.name.localeCompare(b.name));
  return {
    provider: { id: provider.id, name: provider.name, kind: provider.kind, status: provider.status },
    communities,
  };
}

/** Every service of a provider, whatever its status, for its own people; recently changed first. */
export async function listProviderServices(actor: Actor, providerId: string) {
  const { provider } = await getProviderForServices(actor, providerId);
  const rows = await db().service.findMany({
    where: { providerId: provider.id },
    include: serviceInclude,
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
  });
  return { provider, services: rows.map(toView) };
}
