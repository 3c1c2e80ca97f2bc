import { type Endpoint, errorResponses, lifecycleStep } from "~/lib/openapi";
import { z } from "~/lib/zod";
import {
  declineMatchSchema,
  matchListQuerySchema,
  matchSchema,
  needSuggestionSchema,
  proposeMatchSchema,
  serviceSuggestionSchema,
  suggestionQuerySchema,
  withdrawMatchSchema,
} from "./matching.schema";

// Matching endpoints, for the OpenAPI document (app/http/openapi.server.ts).

const matchBody = z.object({ match: matchSchema });
const step = (path: string, summary: string, body: z.ZodType) =>
  lifecycleStep(path, summary, body, { description: "对接记录", schema: matchBody });
const suggestions = (path: string, summary: string, item: z.ZodType): Endpoint => ({
  method: "get",
  path,
  summary,
  auth: true,
  query: suggestionQuerySchema,
  responses: {
    200: { description: "推荐，按得分从高到低，附推荐理由", schema: z.object({ items: z.array(item) }) },
    ...errorResponses(400, 401, 403, 404),
  },
});

export const MATCH_ENDPOINTS: Endpoint[] = [
  suggestions(
    "/api/v1/needs/{id}/matches",
    "为需求推荐服务（提出人、辖区工作人员）",
    serviceSuggestionSchema,
  ),
  suggestions(
    "/api/v1/services/{id}/matches",
    "适合该服务的待对接需求（机构成员、工作人员）",
    needSuggestionSchema,
  ),
  suggestions(
    "/api/v1/providers/{id}/suggested-needs",
    "适合该机构各项服务的待对接需求（机构成员、工作人员）",
    needSuggestionSchema,
  ),
  {
    method: "post",
    path: "/api/v1/matches",
    summary: "发起对接：工作人员推荐服务，或机构以自己的服务主动接单",
    auth: true,
    body: proposeMatchSchema,
    responses: {
      201: { description: "已发起，状态 PROPOSED", schema: matchBody },
      ...errorResponses(400, 401, 403, 404, 409, 413, 429),
    },
  },
  {
    method: "get",
    path: "/api/v1/matches",
    summary: "某需求（needId）或某机构（providerId）的对接记录",
    auth: true,
    query: matchListQuerySchema,
    responses: {
      200: { description: "对接记录", schema: z.object({ items: z.array(matchSchema) }) },
      ...errorResponses(400, 401, 403, 404),
    },
  },
  {
    method: "get",
    path: "/api/v1/matches/{id}",
    summary: "一条对接记录",
    auth: true,
    responses: { 200: { description: "对接记录", schema: matchBody }, ...errorResponses(401, 403, 404) },
  },
  step("/api/v1/matches/{id}/accept", "接受对接（未发起的一方）；需求变为 MATCHED", withdrawMatchSchema),
  step("/api/v1/matches/{id}/decline", "婉拒对接（未发起的一方）", declineMatchSchema),
  step("/api/v1/matches/{id}/withdraw", "撤回对接（发起的一方）", withdrawMatchSchema),
];
