import type { LoaderFunctionArgs } from "@remix-run/node";
import { directoryQuerySchema } from "~/domain/providers/providers.schema";
import { listDirectory } from "~/domain/providers/providers.server";
import { apiHandler, methodNotAllowed, readQuery } from "~/http/route.server";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const query = readQuery(directoryQuerySchema, request);
  return Response.json(await listDirectory(query));
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
