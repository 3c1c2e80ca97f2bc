import { apiHandler, methodNotAllowed } from "~/http/route.server";
import { openApiDocument } from "~/lib/openapi.server";

export const loader = apiHandler(async () => Response.json(openApiDocument()));

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
