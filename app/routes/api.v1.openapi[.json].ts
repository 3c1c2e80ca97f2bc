import { apiMethods } from "~/http/api-methods.server";
import { openApiDocument } from "~/http/openapi.server";

export const { loader, action } = apiMethods({
  GET: async () => Response.json(openApiDocument()),
});
