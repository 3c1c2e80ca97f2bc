import type { BookingChannel, BookingStatus, PrismaClient, VenueApproval } from "@prisma/client";

// Venues and bookings written directly (tests), as createVenue and createBooking would leave them; a
// booking may start in the past, which the domain never allows, for attendance and figures.

export type VenueValues = {
  subdistrictId: string;
  communityId?: string | null;
  name?: string;
  capacity?: number;
  approval?: VenueApproval;
  /** Open every day over these China-time minutes (08:00–21:00 by default). */
  opensMinute?: number;
  closesMinute?: number;
  minLeadMinutes?: number;
  menu?: { title: string; minutes: number; maxGroupSize?: number | null }[];
};

export function createVenueRow(db: PrismaClient, values: VenueValues) {
  return db.venue.create({
    data: {
      name: values.name ?? "党群服务中心多功能厅",
      subdistrictId: values.subdistrictId,
      communityId: values.communityId ?? null,
      address: "映月路12号",
      capacity: values.capacity ?? 60,
      description: "可开展主题党日、讲座和居民议事。",
      approval: values.approval ?? "STAFF",
      minLeadMinutes: values.minLeadMinutes ?? 0,
      openingHours: {
        create: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
          weekday,
          opensMinute: values.opensMinute ?? 8 * 60,
          closesMinute: values.closesMinute ?? 21 * 60,
        })),
      },
      menu: {
        create: (values.menu ?? []).map((item, position) => ({
          position,
          title: item.title,
          minutes: item.minutes,
          maxGroupSize: item.maxGroupSize ?? null,
        })),
      },
    },
    include: { menu: true },
  });
}

export type BookingValues = {
  venueId: string;
  startsAt: Date;
  endsAt?: Date;
  status?: BookingStatus;
  channel?: BookingChannel;
  bookerId?: string | null;
  createdById: string;
  groupName?: string;
  expectedPersons?: number;
  contactPhone?: string;
  attended?: number | null;
  createdAt?: Date;
  answerBy?: Date | null;
};

/** A booking (90 minutes, REQUESTED by the web unless told otherwise). */
export function createBookingRow(db: PrismaClient, values: BookingValues) {
  return db.booking.create({
    data: {
      venueId: values.venueId,
      status: values.status ?? "REQUESTED",
      channel: values.channel ?? "WEB",
      startsAt: values.startsAt,
      endsAt: values.endsAt ?? new Date(values.startsAt.getTime() + 90 * 60_000),
      bookerId: values.bookerId === undefined ? values.createdById : values.bookerId,
      createdById: values.createdById,
      groupName: values.groupName ?? "映月科技公司党支部",
      expectedPersons: values.expectedPersons ?? 20,
      contactName: "欧阳明",
      contactPhone: values.contactPhone ?? "13987654321",
      purpose: "主题党日：重温入党誓词",
      attended: values.attended ?? null,
      answerBy: values.answerBy ?? null,
      ...(values.createdAt ? { createdAt: values.createdAt } : {}),
    },
  });
}
