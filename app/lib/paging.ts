import { wholeNumber, z } from "./zod";

// Paging of every list: the query it reads and the envelope it answers with (API.md).

/** ?page=&pageSize= (pageSize ≤ 100), shared by every list endpoint. */
export const pagingSchema = z.object({
  page: wholeNumber("页码", 1, 10_000).default(1),
  pageSize: wholeNumber("每页条数", 1, 100).default(20),
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
