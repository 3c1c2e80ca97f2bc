import { CATEGORIES } from "~/domain/catalog/categories";
import { apiMethods } from "~/http/api-methods.server";

export const { loader, action } = apiMethods({
  GET: async () => Response.json({ categories: CATEGORIES }),
});
