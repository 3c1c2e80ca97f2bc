import { getTerritoryTree } from "~/domain/territory/territory.server";
import { apiMethods } from "~/http/api-methods.server";

export const { loader, action } = apiMethods({
  GET: async () => Response.json(await getTerritoryTree()),
});
