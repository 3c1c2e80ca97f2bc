import type { Prisma } from "@prisma/client";
import { db } from "~/lib/db.server";
import { validationError } from "~/lib/errors";
import { ID_PATTERN } from "~/lib/zod";
import { publicServices } from "~/search/visibility";
import { categoryName } from "../catalog/categories";
import type { RequestedService } from "./needs.schema";

// 「我要这个服务」 (ADR 0030): a need may name the service the resident asked for from its page. Only a
// service the public can see may be named; the need form is pre-filled from it.

export const requestedServiceSelect = {
  id: true,
  title: true,
  category: true,
  provider: { select: { id: true, name: true } },
} satisfies Prisma.ServiceSelect;
type RequestedServiceRow = Prisma.ServiceGetPayload<{ select: typeof requestedServiceSelect }>;

/** A public service by id, or null (an unknown, hidden or malformed id alike). */
async function findPublicService(id: string) {
  if (!ID_PATTERN.test(id) || id.length > 64) return null;
  return db().service.findFirst({ where: publicServices({ id }), select: requestedServiceSelect });
}

export const toRequestedService = (row: RequestedServiceRow): RequestedService => ({
  id: row.id,
  title: row.title,
  category: row.category,
  categoryName: categoryName(row.category),
  providerId: row.provider.id,
  providerName: row.provider.name,
});

/** The service a need form was opened for (`?serviceId=`), to pre-fill it; null when there is none
 * or it is not public (the form then starts blank rather than failing). */
export async function requestableService(id: string | null): Promise<RequestedService | null> {
  const row = id ? await findPublicService(id) : null;
  return row ? toRequestedService(row) : null;
}

/** Refuses a posted need naming a service that does not exist or is not public, as a field error. */
export async function assertRequestableService(id: string | undefined): Promise<void> {
  if (id !== undefined && !(await findPublicService(id))) {
    throw validationError({ requestedServiceId: "所选服务不存在或已下架，请回到服务页面重新选择" });
  }
}
