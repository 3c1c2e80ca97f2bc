import { type Endpoint, errorResponses } from "~/lib/openapi";
import { searchQuerySchema, searchResultSchema } from "./search.schema";

export const SEARCH_ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/search",
    summary: "搜索服务、组织、活动（所有人）和需求（工作人员与服务机构，不含个人信息），带分面统计",
    auth: false,
    query: searchQuerySchema,
    responses: {
      200: { description: "搜索结果", schema: searchResultSchema },
      ...errorResponses(400, 401, 403),
    },
  },
];
