import { db } from "~/lib/db.server";
import { validationError } from "~/lib/errors";
import type { Actor } from "../accounts/actor";
import { assertUnderLimit, countAgainstLimit, LIMITS } from "../accounts/throttle.server";
import { recordAudit } from "../audit.server";
import { recordOutbox } from "../outbox.server";
import { authorize } from "../policy";
import { getTerritoryTree } from "../territory/territory.server";
import { findNode, nodesUnder } from "../territory/tree";
import type { ApplyProviderInput, ProviderDetail, UpdateProviderInput } from "./providers.schema";

import {
  assertUsccFree,
  type DetailRow,
  findProvider,
  type StoredChange,
  storedChangeOf,
  toDetail,
  usccRace,
  writeChange,
} from "./rows.server";
// Provider onboarding (入驻): apply, edit the application, re-apply after a rejection, and ask for a
// change once approved (ADR 0017). Every change is audited, and a change to the provider itself
// bumps its version and announces it through the outbox (rows.server.ts).

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
          businessPhone: values.businessPhone ?? null,
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

/** The communities served: the chosen ones plus every community of each chosen subdistrict. */
async function resolveCommunities(places: { communityIds: string[]; subdistrictIds: string[] }) {
  const tree = await getTerritoryTree();
  const levelOf = (id: string) => findNode(tree, id)?.level;
  const fields: Record<string, string> = {};
  if (!places.communityIds.every((id) => levelOf(id) === "community"))
    fields.communityIds = "所选社区不存在，请重新选择";
  if (!places.subdistrictIds.every((id) => levelOf(id) === "subdistrict"))
    fields.subdistrictIds = "所选街道不存在，请重新选择";
  if (Object.keys(fields).length > 0) throw validationError(fields);
  const ids = nodesUnder(tree, [...places.communityIds, ...places.subdistrictIds]).communityIds;
  if (ids.length === 0) throw validationError({ communityIds: "所选街道下还没有社区，请选择具体的社区" });
  return ids;
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
