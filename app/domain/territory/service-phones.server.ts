import type { z } from "zod";
import { db } from "~/lib/db.server";
import { notFound } from "~/lib/errors";
import { ID_PATTERN } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { authorize } from "../policy";
import type { servicePhoneSchema } from "./territory.schema";
import { getTerritoryTree } from "./territory.server";
import { findNode } from "./tree";

// 社区服务电话 (#15 item 7): the number residents call for their community, e.g. to ask for a password
// reset code (ADR 0028). It is the community's public number, so anyone may read it; staff whose
// scope covers the community keep it. It travels with the kept territory tree, so the footer on
// every page reads it from memory.

export type CommunityServicePhone = { communityId: string; name: string; servicePhone: string | null };

/** The community's service phone, or null when there is no such community. */
export async function communityServicePhone(communityId: string): Promise<CommunityServicePhone | null> {
  for (const district of (await getTerritoryTree()).districts) {
    for (const subdistrict of district.subdistricts) {
      const community = subdistrict.communities.find((c) => c.id === communityId);
      if (community) {
        return { communityId: community.id, name: community.name, servicePhone: community.servicePhone };
      }
    }
  }
  return null;
}

/** Every community with a service phone, by subdistrict (for /forgot-password). */
export async function servicePhoneDirectory() {
  const tree = await getTerritoryTree();
  return tree.districts
    .flatMap((district) => district.subdistricts)
    .map((subdistrict) => ({
      id: subdistrict.id,
      name: subdistrict.name,
      communities: subdistrict.communities
        .filter((community) => community.servicePhone !== null)
        .map(({ id, name, servicePhone }) => ({ id, name, servicePhone: servicePhone ?? "" })),
    }))
    .filter((subdistrict) => subdistrict.communities.length > 0);
}

const NO_COMMUNITY = "该社区不存在";

export async function getCommunityServicePhone(communityId: string): Promise<CommunityServicePhone> {
  const found = ID_PATTERN.test(communityId) ? await communityServicePhone(communityId) : null;
  if (!found) throw notFound(NO_COMMUNITY);
  return found;
}

/** Sets (or, with null, takes down) the number; audited without the number (it is in the row). */
export async function setCommunityServicePhone(
  actor: Actor,
  communityId: string,
  values: z.output<typeof servicePhoneSchema>,
): Promise<CommunityServicePhone> {
  const node = ID_PATTERN.test(communityId) ? findNode(await getTerritoryTree(), communityId) : undefined;
  if (node?.level !== "community") throw notFound(NO_COMMUNITY);
  authorize(actor, "community.editServicePhone", node.path);
  return db().$transaction(async (tx) => {
    const community = await tx.community.update({
      where: { id: communityId },
      data: { servicePhone: values.servicePhone },
      select: { id: true, name: true, servicePhone: true },
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "territory.community.servicePhone",
      targetType: "Community",
      targetId: community.id,
      data: { cleared: community.servicePhone === null },
    });
    return { communityId: community.id, name: community.name, servicePhone: community.servicePhone };
  });
}
