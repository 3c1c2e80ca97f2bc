import { ACCOUNT_ENDPOINTS } from "~/domain/accounts/accounts.endpoints";
import { ACTIVITY_ENDPOINTS } from "~/domain/activities/activities.endpoints";
import { MATCH_ENDPOINTS } from "~/domain/matching/matching.endpoints";
import { NEED_ENDPOINTS } from "~/domain/needs/needs.endpoints";
import { NOTIFICATION_ENDPOINTS } from "~/domain/notifications/notifications.endpoints";
import { PROJECT_ENDPOINTS } from "~/domain/projects/projects.endpoints";
import { PROVIDER_ENDPOINTS } from "~/domain/providers/providers.endpoints";
import { SEARCH_ENDPOINTS } from "~/domain/search/search.endpoints";
import { SERVICE_ENDPOINTS } from "~/domain/services/services.endpoints";
import { STATS_ENDPOINTS } from "~/domain/stats/stats.endpoints";
import { VENUE_ENDPOINTS } from "~/domain/venues/venues.endpoints";
import type { Endpoint } from "~/lib/openapi";
import { z } from "~/lib/zod";

// The OpenAPI document is generated from the same zod schemas the endpoints parse with. Each area
// lists its endpoints beside its schemas (paths use {id} for route params); a test checks that every
// /api/v1 route file is described.

export const ENDPOINTS: Endpoint[] = [
  ...ACCOUNT_ENDPOINTS,
  ...PROVIDER_ENDPOINTS,
  ...SERVICE_ENDPOINTS,
  ...NEED_ENDPOINTS,
  ...SEARCH_ENDPOINTS,
  ...MATCH_ENDPOINTS,
  ...NOTIFICATION_ENDPOINTS,
  ...ACTIVITY_ENDPOINTS,
  ...STATS_ENDPOINTS,
  ...VENUE_ENDPOINTS,
  ...PROJECT_ENDPOINTS,
  {
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "本文档",
    auth: false,
    responses: { 200: { description: "OpenAPI 3.1 文档" } },
  },
];

const jsonSchema = (schema: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });

/** A JSON body, and for an upload the same fields as multipart/form-data with the files beside them. */
function requestBody(body: z.ZodType, upload: Endpoint["upload"]) {
  const schema = jsonSchema(body, "input");
  const content: Record<string, { schema: unknown }> = { "application/json": { schema } };
  if (upload) {
    const files = {
      type: "array",
      maxItems: upload.maxFiles,
      items: { type: "string", contentMediaType: "application/octet-stream" },
    };
    content["multipart/form-data"] = {
      schema: { ...schema, properties: { ...schema.properties, [upload.field]: files } },
    };
  }
  return { required: true, content };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of ENDPOINTS) {
    paths[endpoint.path] ??= {};
    const operation = paths[endpoint.path] ?? {};
    const pathParameters = [...endpoint.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const queryParameters = Object.entries(endpoint.query?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: "query",
      required: false,
      schema: jsonSchema(schema, "input"),
    }));
    const parameters = [...pathParameters, ...queryParameters];
    operation[endpoint.method] = {
      summary: endpoint.summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(endpoint.auth ? { security: [{ bearer: [] }] } : {}),
      ...(endpoint.body ? { requestBody: requestBody(endpoint.body, endpoint.upload) } : {}),
      responses: Object.fromEntries(
        Object.entries(endpoint.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.schema
              ? { content: { "application/json": { schema: jsonSchema(response.schema, "output") } } }
              : {}),
          },
        ]),
      ),
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "三社联动服务平台 API", version: "1.0.0" },
    servers: [{ url: "/" }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths,
  };
}
