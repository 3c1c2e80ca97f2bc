import { getTerritoryTree } from "~/domain/territory/territory.server";
import { apiHandler, methodNotAllowed } from "~/lib/http.server";

export const loader = apiHandler(async () => Response.json(await getTerritoryTree()));

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
