import { apiHandler } from "~/lib/http.server";
import { openApiDocument } from "~/lib/openapi.server";

export const loader = apiHandler(async () => Response.json(openApiDocument()));
