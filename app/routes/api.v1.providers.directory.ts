import type { LoaderFunctionArgs } from "@remix-run/node";
import { directoryQuerySchema } from "~/domain/providers/providers.schema";
import { listDirectory } from "~/domain/providers/providers.server";
import { apiHandler, methodNotAllowed, parseInput } from "~/http/route.server";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const query = parseInput(directoryQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await listDirectory(query));
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
