import type { ActivityStatus, PrismaClient, RegistrationStatus } from "@prisma/client";
import type { CategoryCode } from "~/domain/catalog/categories";

export type HeldActivityValues = {
  communityId: string;
  createdById: string;
  startsAt: Date;
  category?: CategoryCode;
  /** What residents read; a placeholder by default. */
  title?: string;
  description?: string;
  venue?: string;
  capacity?: number;
  /** FINISHED unless told otherwise (e.g. CANCELLED, to show it counts nowhere). */
  status?: ActivityStatus;
  walkIns?: number;
  /** Who registered, whether they checked in, and their registration's status (REGISTERED). */
  attendees?: { userId: string; checkedIn: boolean; status?: RegistrationStatus }[];
};

/** An activity that already took place, written directly (as the life cycle would have left it); with
 * status PUBLISHED and a start ahead, one open for registration. */
export async function createHeldActivity(db: PrismaClient, values: HeldActivityValues) {
  const activity = await db.activity.create({
    data: {
      title: values.title ?? "已举办的活动",
      description: values.description ?? "为测试写入的活动。",
      category: values.category ?? "culture",
      communityId: values.communityId,
      venue: values.venue ?? "活动室",
      startsAt: values.startsAt,
      endsAt: new Date(values.startsAt.getTime() + 2 * 3600 * 1000),
      capacity: values.capacity ?? 100,
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
      place: i + 1,
    })),
  });
  // The seat counter as registering would have left it (ADR 0019).
  const attendees = values.attendees ?? [];
  await db.activitySeats.update({
    where: { activityId: activity.id },
    data: {
      taken: attendees.filter((a) => (a.status ?? "REGISTERED") === "REGISTERED").length,
      lastPlace: attendees.length,
      waiting: attendees.filter((a) => a.status === "WAITLISTED").length,
    },
  });
  return activity;
}
