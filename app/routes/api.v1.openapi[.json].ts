import { apiHandler, methodNotAllowed } from "~/lib/http.server";
import { openApiDocument } from "~/lib/openapi.server";

export const loader = apiHandler(async () => Response.json(openApiDocument()));

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
