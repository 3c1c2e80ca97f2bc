import { directoryQuerySchema } from "~/domain/providers/providers.schema";
import { listDirectory } from "~/domain/providers/providers.server";
import { apiMethods } from "~/http/api-methods.server";
import { readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const query = readQuery(directoryQuerySchema, request);
    return Response.json(await listDirectory(query));
  },
});
