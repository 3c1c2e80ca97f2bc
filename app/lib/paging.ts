import { z } from "./zod";

// Paging of every list: the query it reads and the envelope it answers with (API.md).

/** ?page=&pageSize= (pageSize ≤ 100), shared by every list endpoint. */
export const pagingSchema = z.object({
  page: z.coerce.number().int().min(1, "页码从1开始").max(10_000, "页码过大").default(1),
  pageSize: z.coerce.number().int().min(1, "每页至少1条").max(100, "每页最多100条").default(20),
});
export type Paging = z.output<typeof pagingSchema>;

/** The list envelope of API.md: { items, total, page, pageSize }. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
