import { openApiDocument } from "~/http/openapi.server";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

export const loader = apiHandler(async () => Response.json(openApiDocument()));

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
