import type { Prisma } from "@prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { conflict, notFound } from "~/lib/errors";
import { ID_PATTERN } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { notify, providerOwnerIds } from "../notifications/notifications.server";
import { recordOutbox } from "../outbox.server";
import { authorize } from "../policy";
import type { CoOrganiserInvitation } from "../providers/providers.schema";

// Co-organisers (ADR 0017): an organiser may name another provider on an activity only with that
// provider's consent. Naming one sends it an invitation; an owner of the provider accepts (it is
// then listed on the activity) or declines. Nothing of the provider is linked before that.

/** An activity that has ended or been called off takes no more co-organisers. */
const OPEN_ACTIVITY: Prisma.ActivityWhereInput = { status: { in: ["DRAFT", "PUBLISHED", "ONGOING"] } };

/** Inside the activity's creation: one invitation per named provider, its owners told. */
export async function inviteCoOrganisers(
  tx: Tx,
  activity: { id: string; title: string },
  providerIds: string[],
  actor: Actor,
) {
  for (const providerId of providerIds) {
    const invitation = await tx.coOrganiserInvitation.create({
      data: { activityId: activity.id, providerId, invitedById: actor.userId },
      select: { id: true },
    });
    await notify(tx, {
      userIds: await providerOwnerIds(tx, providerId),
      kind: "activity.coOrganiserInvited",
      title: "邀请贵机构共同组织活动",
      body: `活动“${activity.title}”的组织方邀请贵机构共同组织。请在 我的 → 我的机构 中接受或谢绝。`,
      link: "/me/providers",
      dedupeKey: `activity.coOrganiserInvited:${invitation.id}`,
    });
  }
}

/** The invitations waiting for an answer from providers the actor owns (and that may act). */
export async function listCoOrganiserInvitations(actor: Actor): Promise<CoOrganiserInvitation[]> {
  const owned = actor.memberships
    .filter((m) => m.role === "OWNER" && m.providerStatus === "APPROVED")
    .map((m) => m.providerId);
  const rows = await db().coOrganiserInvitation.findMany({
    where: { providerId: { in: owned }, status: "PENDING", activity: OPEN_ACTIVITY },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      activity: { select: { id: true, title: true, startsAt: true } },
      provider: { select: { id: true, name: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    activityId: row.activity.id,
    activityTitle: row.activity.title,
    startsAt: row.activity.startsAt.toISOString(),
    providerId: row.provider.id,
    providerName: row.provider.name,
  }));
}

/** An owner of the invited provider answers. Accepting lists the provider on the activity (a new
 * version for the search index); the organiser is told either way. */
export async function answerCoOrganiserInvitation(actor: Actor, id: string, accept: boolean) {
  const row = ID_PATTERN.test(id)
    ? await db().coOrganiserInvitation.findUnique({
        where: { id },
        select: {
          id: true,
          providerId: true,
          invitedById: true,
          activityId: true,
          activity: { select: { title: true, status: true } },
          provider: { select: { name: true } },
        },
      })
    : null;
  if (!row) throw notFound("该邀请不存在");
  authorize(actor, "provider.coOrganise", { providerId: row.providerId });
  await db().$transaction(async (tx) => {
    const { count } = await tx.coOrganiserInvitation.updateMany({
      where: { id: row.id, status: "PENDING", activity: OPEN_ACTIVITY },
      data: { status: accept ? "ACCEPTED" : "DECLINED", decidedById: actor.userId, decidedAt: new Date() },
    });
    if (count === 0) throw conflict("该邀请已处理，或活动已结束、已取消");
    if (accept) {
      await tx.activityProvider.create({ data: { activityId: row.activityId, providerId: row.providerId } });
      const { version } = await tx.activity.update({
        where: { id: row.activityId },
        data: { version: { increment: 1 } },
        select: { version: true },
      });
      await recordOutbox(tx, "Activity", row.activityId, version);
    }
    await recordAudit(tx, {
      actorId: actor.userId,
      action: accept ? "activity.coOrganiser.accept" : "activity.coOrganiser.decline",
      targetType: "Activity",
      targetId: row.activityId,
      data: { providerId: row.providerId, invitationId: row.id },
    });
    await notify(tx, {
      userIds: [row.invitedById],
      kind: accept ? "activity.coOrganiserAccepted" : "activity.coOrganiserDeclined",
      title: accept ? "对方已同意共同组织活动" : "对方谢绝了共同组织活动",
      body: `“${row.provider.name}”${accept ? "同意" : "谢绝"}共同组织活动“${row.activity.title}”。`,
      link: `/activities/${row.activityId}`,
      dedupeKey: `activity.coOrganiser:${row.id}`,
    });
  });
}
