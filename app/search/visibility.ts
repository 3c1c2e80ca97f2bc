import type { Prisma } from "@prisma/client";

// The one rule for what the public sees of services (DESIGN §4): published, by an approved provider.
// The index builds documents by it, and the domain's browsing, search cards and matching read by it.

export const PUBLIC_SERVICE = {
  status: "PUBLISHED",
  provider: { status: "APPROVED" },
} as const satisfies Prisma.ServiceWhereInput;

/** Public services that also meet `where`. */
export const publicServices = (where: Prisma.ServiceWhereInput): Prisma.ServiceWhereInput => ({
  AND: [PUBLIC_SERVICE, where],
});

/** The same rule for a service already read. */
export const isPublicService = (service: { status: string; provider: { status: string } }) =>
  service.status === PUBLIC_SERVICE.status && service.provider.status === PUBLIC_SERVICE.provider.status;
