import { CATEGORIES } from "~/domain/catalog/categories";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

export const loader = apiHandler(async () => Response.json({ categories: CATEGORIES }));

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
