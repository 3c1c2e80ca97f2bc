import type { Prisma } from "@prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { notFound } from "~/lib/errors";
import { cachedPublicRead } from "~/lib/public-reads.server";
import { ID_PATTERN } from "~/lib/zod";
import { communityPlaceSelect, placeOf } from "../territory/places";
import { ATTENDANCE_WINDOW_MS } from "./activities.schema";

// An activity as stored: what is read of it, the kept copy of the public read, and its lock. The
// modules beside this one (the activity's views, commands, registrations, the desk) build on it.

export const activitySelect = {
  id: true,
  title: true,
  description: true,
  category: true,
  communityId: true,
  venue: true,
  startsAt: true,
  endsAt: true,
  capacity: true,
  status: true,
  createdById: true,
  providerId: true,
  serviceId: true,
  projectId: true,
  walkIns: true,
  cancelReason: true,
  version: true,
  community: communityPlaceSelect,
  providers: { select: { provider: { select: { id: true, name: true } } } },
  needs: { select: { needId: true } },
  corrections: {
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      createdAt: true,
      reason: true,
      walkInsFrom: true,
      walkInsTo: true,
      checkInsAdded: true,
    },
  },
} satisfies Prisma.ActivitySelect;
export type ActivityRow = Prisma.ActivityGetPayload<{ select: typeof activitySelect }>;

export const organiserOf = (row: Pick<ActivityRow, "communityId" | "community" | "providerId">) => ({
  communityPath: placeOf(row),
  providerId: row.providerId,
});

/** The organiser's desk takes check-ins and walk-ins until a day after the end (ADR 0018). */
export const attendanceLocksAt = (row: Pick<ActivityRow, "endsAt">) =>
  new Date(row.endsAt.getTime() + ATTENDANCE_WINDOW_MS);
export const attendanceLocked = (row: Pick<ActivityRow, "endsAt">) =>
  attendanceLocksAt(row).getTime() <= Date.now();

export async function loadActivity(id: string, tx: Tx = db()): Promise<ActivityRow> {
  const row = ID_PATTERN.test(id)
    ? await tx.activity.findUnique({ where: { id }, select: activitySelect })
    : null;
  if (!row) throw notFound("该活动不存在或已被删除");
  return row;
}

/** An activity as stored, the same for every viewer (what the viewer may do is worked out from it),
 * kept in memory between changes: its page is among the most visited. Seat counts are read live. */
export const publicActivity = cachedPublicRead(
  {
    tables: [
      "Activity",
      "ActivityProvider",
      "ActivityNeed",
      "AttendanceCorrection",
      "Provider",
      "Community",
      "Subdistrict",
    ],
    key: (id: string) => id,
    maxEntries: 500,
  },
  (id: string) => loadActivity(id),
);

/** Locks the activity for the rest of the transaction and reads it afresh. NO KEY UPDATE: a
 * registration's insert takes KEY SHARE on its activity (the foreign key) while it holds the seat
 * counter, which the holder of this lock may wait for next; FOR UPDATE would deadlock with it. */
export async function lockActivity(tx: Tx, id: string): Promise<ActivityRow> {
  await tx.$queryRaw`SELECT id FROM "Activity" WHERE id = ${id} FOR NO KEY UPDATE`;
  return loadActivity(id, tx);
}
