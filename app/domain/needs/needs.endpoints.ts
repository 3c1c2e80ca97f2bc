import type { Endpoint } from "~/lib/openapi";

// Needs endpoints, for the OpenAPI document (app/lib/openapi.server.ts).

export const NEED_ENDPOINTS: Endpoint[] = [];
