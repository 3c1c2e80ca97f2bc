import type { Tx } from "~/lib/db.server";
import { maskContactsInText } from "~/lib/masking";
import type { DocumentRef, FacetField, SearchDocument, SearchEngine } from "./engine";
import { publicServices } from "./visibility";

// What the index holds for each searchable thing, read from PostgreSQL (the truth) at relay or
// reindex time. A thing that should not be findable (a draft, a suspended provider's services) has
// no document, and the relay removes it. Needs carry no personal data: no requester, no contact.

const NO_FIELDS: Record<FacetField, string[]> = {
  category: [],
  subdistrictId: [],
  communityId: [],
  funding: [],
  providerKind: [],
  status: [],
  providerId: [],
};

const territoryOf = (communities: { communityId: string; community: { subdistrictId: string } }[]) => ({
  communityId: communities.map((c) => c.communityId),
  subdistrictId: [...new Set(communities.map((c) => c.community.subdistrictId))],
});

const communitiesSelect = { select: { communityId: true, community: { select: { subdistrictId: true } } } };

async function serviceDocuments(tx: Tx, ids: string[]): Promise<SearchDocument[]> {
  const rows = await tx.service.findMany({
    where: publicServices({ id: { in: ids } }),
    select: {
      id: true,
      version: true,
      title: true,
      description: true,
      category: true,
      funding: true,
      providerId: true,
      publishedAt: true,
      updatedAt: true,
      provider: { select: { kind: true, name: true } },
      communities: communitiesSelect,
    },
  });
  return rows.map((row) => ({
    type: "service",
    id: row.id,
    version: row.version,
    title: row.title,
    // The provider's name is searchable too: residents look for 阳光社工 as often as for 助浴.
    body: `${row.description} ${row.provider.name}`,
    fields: {
      ...NO_FIELDS,
      ...territoryOf(row.communities),
      category: [row.category],
      funding: [row.funding],
      providerKind: [row.provider.kind],
      status: ["PUBLISHED"],
      providerId: [row.providerId],
    },
    sortAt: row.publishedAt ?? row.updatedAt,
  }));
}

async function providerDocuments(tx: Tx, ids: string[]): Promise<SearchDocument[]> {
  const rows = await tx.provider.findMany({
    where: { id: { in: ids }, status: "APPROVED" },
    select: {
      id: true,
      version: true,
      name: true,
      description: true,
      kind: true,
      reviewedAt: true,
      updatedAt: true,
      communities: communitiesSelect,
      services: { where: { status: "PUBLISHED" }, select: { category: true } },
    },
  });
  return rows.map((row) => ({
    type: "provider",
    id: row.id,
    version: row.version,
    title: row.name,
    body: row.description,
    fields: {
      ...NO_FIELDS,
      ...territoryOf(row.communities),
      category: [...new Set(row.services.map((s) => s.category))],
      providerKind: [row.kind],
      status: ["APPROVED"],
      providerId: [row.id],
    },
    sortAt: row.reviewedAt ?? row.updatedAt,
  }));
}

async function needDocuments(tx: Tx, ids: string[]): Promise<SearchDocument[]> {
  const rows = await tx.need.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      version: true,
      title: true,
      description: true,
      category: true,
      status: true,
      communityId: true,
      createdAt: true,
      community: { select: { subdistrictId: true } },
    },
  });
  return rows.map((row) => ({
    type: "need",
    id: row.id,
    version: row.version,
    title: maskContactsInText(row.title),
    body: maskContactsInText(row.description),
    fields: {
      ...NO_FIELDS,
      category: [row.category],
      communityId: [row.communityId],
      subdistrictId: [row.community.subdistrictId],
      status: [row.status],
    },
    sortAt: row.createdAt,
  }));
}

async function activityDocuments(tx: Tx, ids: string[]): Promise<SearchDocument[]> {
  const rows = await tx.activity.findMany({
    where: { id: { in: ids }, status: { in: ["PUBLISHED", "ONGOING", "FINISHED"] } },
    select: {
      id: true,
      version: true,
      title: true,
      description: true,
      venue: true,
      category: true,
      status: true,
      communityId: true,
      startsAt: true,
      community: { select: { subdistrictId: true } },
      providers: { select: { providerId: true, provider: { select: { name: true } } } },
    },
  });
  return rows.map((row) => ({
    type: "activity",
    id: row.id,
    version: row.version,
    title: row.title,
    body: `${row.description} ${row.venue} ${row.providers.map((p) => p.provider.name).join(" ")}`,
    fields: {
      ...NO_FIELDS,
      category: [row.category],
      communityId: [row.communityId],
      subdistrictId: [row.community.subdistrictId],
      status: [row.status],
      providerId: row.providers.map((p) => p.providerId),
    },
    sortAt: row.startsAt,
  }));
}

/** Venues are found by name, address, description, menu and place; their bookings are no part of
 * the document (who booked what is nobody's search). */
async function venueDocuments(tx: Tx, ids: string[]): Promise<SearchDocument[]> {
  const rows = await tx.venue.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      version: true,
      name: true,
      address: true,
      description: true,
      subdistrictId: true,
      communityId: true,
      createdAt: true,
      subdistrict: { select: { name: true } },
      community: { select: { name: true } },
      menu: { select: { title: true }, orderBy: { position: "asc" } },
    },
  });
  return rows.map((row) => ({
    type: "venue",
    id: row.id,
    version: row.version,
    title: row.name,
    body: [
      row.address,
      row.description,
      row.menu.map((item) => item.title).join(" "),
      row.subdistrict.name,
      row.community?.name ?? "",
    ].join(" "),
    fields: {
      ...NO_FIELDS,
      subdistrictId: [row.subdistrictId],
      communityId: row.communityId ? [row.communityId] : [],
    },
    sortAt: row.createdAt,
  }));
}

/** The documents for these refs as PostgreSQL has them now, and the refs that should have none. */
export async function buildDocuments(
  tx: Tx,
  refs: readonly DocumentRef[],
): Promise<{ upserts: SearchDocument[]; removals: DocumentRef[] }> {
  const builders = {
    service: serviceDocuments,
    provider: providerDocuments,
    need: needDocuments,
    activity: activityDocuments,
    venue: venueDocuments,
  };
  const built: SearchDocument[] = [];
  for (const [type, build] of Object.entries(builders)) {
    const ids = refs.filter((r) => r.type === type).map((r) => r.id);
    if (ids.length) built.push(...(await build(tx, ids)));
  }
  const present = new Set(built.map((doc) => `${doc.type}:${doc.id}`));
  return { upserts: built, removals: refs.filter((ref) => !present.has(`${ref.type}:${ref.id}`)) };
}

/** A provider's services are indexed with its name and kind and only while it is approved, so a
 * change to the provider changes their documents too. */
export async function dependentRefs(tx: Tx, providerIds: readonly string[]): Promise<DocumentRef[]> {
  if (!providerIds.length) return [];
  const services = await tx.service.findMany({
    where: { providerId: { in: [...providerIds] } },
    select: { id: true },
  });
  return services.map((s) => ({ type: "service", id: s.id }));
}

/** Locks each document for the rest of the transaction, in one order, so two relays (or a relay and
 * a reindex) never interleave "read the rows, write the document" for the same document: whoever
 * writes last has read the latest state. */
async function lockDocuments(tx: Tx, refs: readonly DocumentRef[]) {
  const keys = [...new Set(refs.map((r) => `search:${r.type}:${r.id}`))].sort();
  if (keys.length) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(k)) FROM (SELECT unnest(${keys}::text[]) AS k ORDER BY 1) s`;
  }
}

/** Makes the engine's documents for these refs what PostgreSQL says they are now. */
export async function syncDocuments(tx: Tx, engine: SearchEngine, refs: readonly DocumentRef[]) {
  await lockDocuments(tx, refs);
  const { upserts, removals } = await buildDocuments(tx, refs);
  await engine.upsert(upserts);
  await engine.remove(removals);
  return { upserted: upserts.length, removed: removals.length };
}
