import type { Endpoint } from "~/lib/openapi";

// Services endpoints, for the OpenAPI document (app/lib/openapi.server.ts).

export const SERVICE_ENDPOINTS: Endpoint[] = [];
