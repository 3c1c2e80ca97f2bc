import type { ActionFunctionArgs } from "@remix-run/node";
import { DECLARED_METHODS } from "~/http/methods.server";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

// An API route names its methods once, as a map from method to endpoint; the loader, the action, the
// 405 and its Allow header all come from that map (ADR 0022). The web server reads the same list
// (methods.server.ts), so an OPTIONS or a PUT that no endpoint takes is refused before Remix runs.

export type ApiMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/** Loader and action arguments have the same shape; one type serves every method. */
export type ApiEndpoint = (args: ActionFunctionArgs) => Promise<Response>;

/** The order Allow lists methods in, whatever order a route declares them. */
const ORDER: readonly ApiMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** The route's loader and action: each request goes to its method's endpoint, or gets the 405 with
 * Allow. Export both (`export const { loader, action } = apiMethods({...})`) so every method reaches
 * the map. */
export function apiMethods(endpoints: Partial<Record<ApiMethod, ApiEndpoint>>) {
  const declared = ORDER.filter((method) => endpoints[method]);
  // A GET answers HEAD too (Remix runs the loader and drops the body).
  const allowed = declared.flatMap((method) => (method === "GET" ? ["GET", "HEAD"] : [method]));
  const allow = allowed.join(", ");
  const endpointFor = (method: string) => ORDER.find((known) => known === method);
  const answer = apiHandler(async (args: ActionFunctionArgs) => {
    const method = endpointFor(args.request.method === "HEAD" ? "GET" : args.request.method);
    const endpoint = method ? endpoints[method] : undefined;
    if (!endpoint) throw methodNotAllowed(allow);
    return endpoint(args);
  });
  const route = Object.assign(answer, { [DECLARED_METHODS]: allowed });
  return { loader: route, action: route };
}
