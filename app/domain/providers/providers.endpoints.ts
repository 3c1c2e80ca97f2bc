import type { Endpoint } from "~/lib/openapi";

// Providers endpoints, for the OpenAPI document (app/lib/openapi.server.ts).

export const PROVIDER_ENDPOINTS: Endpoint[] = [];
