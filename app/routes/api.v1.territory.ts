import { getTerritoryTree } from "~/domain/territory/territory.server";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

export const loader = apiHandler(async () => Response.json(await getTerritoryTree()));

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
