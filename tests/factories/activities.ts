import type { ActivityStatus, PrismaClient, RegistrationStatus } from "@prisma/client";
import type { CategoryCode } from "~/domain/catalog/categories";

export type HeldActivityValues = {
  communityId: string;
  createdById: string;
  startsAt: Date;
  category?: CategoryCode;
  /** FINISHED unless told otherwise (e.g. CANCELLED, to show it counts nowhere). */
  status?: ActivityStatus;
  walkIns?: number;
  /** Who registered, whether they checked in, and their registration's status (REGISTERED). */
  attendees?: { userId: string; checkedIn: boolean; status?: RegistrationStatus }[];
};

/** An activity that already took place, written directly (as the life cycle would have left it). */
export async function createHeldActivity(db: PrismaClient, values: HeldActivityValues) {
  const activity = await db.activity.create({
    data: {
      title: "已举办的活动",
      description: "为测试写入的活动。",
      category: values.category ?? "culture",
      communityId: values.communityId,
      venue: "活动室",
      startsAt: values.startsAt,
      endsAt: new Date(values.startsAt.getTime() + 2 * 3600 * 1000),
      capacity: 100,
      status: values.status ?? "FINISHED",
      createdById: values.createdById,
      walkIns: values.walkIns ?? 0,
      publishedAt: new Date(values.startsAt.getTime() - 7 * 24 * 3600 * 1000),
    },
  });
  await db.registration.createMany({
    data: (values.attendees ?? []).map((attendee, i) => ({
      activityId: activity.id,
      userId: attendee.userId,
      status: attendee.status ?? "REGISTERED",
      checkInCode: String(100000 + i),
      checkedInAt: attendee.checkedIn ? values.startsAt : null,
    })),
  });
  return activity;
}
