import { db, type Tx } from "~/lib/db.server";
import { notFound } from "~/lib/errors";
import type { Paging } from "~/lib/paging";
import { ID_PATTERN } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { NOTIFICATION_CHANNELS, type OutgoingNotification } from "./channels.server";
import type { NotificationView } from "./notifications.schema";

// The notification centre: what is sent (through every channel, inside the caller's transaction so a
// rolled-back change notifies nobody), who receives it, and each person's own list.

export async function notify(tx: Tx, notification: OutgoingNotification) {
  if (!notification.userIds.length) return;
  for (const channel of NOTIFICATION_CHANNELS) await channel.deliver(tx, notification);
}

/** The workers of a community, or its subdistrict's admins when it has none, so a need is never
 * announced to nobody. */
export async function communityStaffIds(tx: Tx, communityId: string): Promise<string[]> {
  const workers = await tx.roleAssignment.findMany({
    where: { role: "COMMUNITY_WORKER", scopeId: communityId },
    select: { userId: true },
  });
  if (workers.length) return workers.map((w) => w.userId);
  const community = await tx.community.findUnique({
    where: { id: communityId },
    select: { subdistrictId: true },
  });
  if (!community) return [];
  const admins = await tx.roleAssignment.findMany({
    where: { role: "SUBDISTRICT_ADMIN", scopeId: community.subdistrictId },
    select: { userId: true },
  });
  return admins.map((a) => a.userId);
}

export async function providerMemberIds(tx: Tx, providerId: string): Promise<string[]> {
  const members = await tx.providerMember.findMany({ where: { providerId }, select: { userId: true } });
  return members.map((m) => m.userId);
}

export async function providerOwnerIds(tx: Tx, providerId: string): Promise<string[]> {
  const owners = await tx.providerMember.findMany({
    where: { providerId, role: "OWNER" },
    select: { userId: true },
  });
  return owners.map((m) => m.userId);
}

const toView = (row: {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  readAt: Date | null;
  createdAt: Date;
}): NotificationView => ({
  id: row.id,
  kind: row.kind,
  title: row.title,
  body: row.body,
  link: row.link,
  read: row.readAt !== null,
  createdAt: row.createdAt.toISOString(),
});

export async function listNotifications(actor: Actor, query: Paging & { unread?: boolean }) {
  const where = { userId: actor.userId, ...(query.unread ? { readAt: null } : {}) };
  const [total, unread, rows] = await Promise.all([
    db().notification.count({ where }),
    unreadCount(actor),
    db().notification.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return { items: rows.map(toView), total, unread, page: query.page, pageSize: query.pageSize };
}

export const unreadCount = (actor: Pick<Actor, "userId">) =>
  db().notification.count({ where: { userId: actor.userId, readAt: null } });

/** Marks the given notifications (or all) read; only the actor's own are touched. */
export async function markNotificationsRead(actor: Actor, ids: readonly string[] | "all") {
  const { count } = await db().notification.updateMany({
    where: { userId: actor.userId, readAt: null, ...(ids === "all" ? {} : { id: { in: [...ids] } }) },
    data: { readAt: new Date() },
  });
  return { marked: count, unread: await unreadCount(actor) };
}

/** Opens one notification: marks it read and returns where it points (the centre's links). */
export async function openNotification(actor: Actor, id: string) {
  if (!ID_PATTERN.test(id)) throw notFound("该通知不存在");
  const row = await db().notification.findFirst({ where: { id, userId: actor.userId } });
  if (!row) throw notFound("该通知不存在");
  if (!row.readAt) await db().notification.update({ where: { id }, data: { readAt: new Date() } });
  return toView({ ...row, readAt: row.readAt ?? new Date() });
}
