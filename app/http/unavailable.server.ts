import { type ActionFunction, data, type LoaderFunction, type ServerBuild } from "@remix-run/node";
import { isDatabaseUnavailable, UNAVAILABLE_MESSAGE } from "./route.server";

// A page whose loader or action meets a database that is down, restarting or unreachable answers
// 503 with the error page's friendly text, not a 500 that reads as a bug (API routes do the same
// through apiHandler). Done once over the whole build, so no page can forget it; other failures
// pass through untouched.

/** How long a client might wait before trying again: about what a PostgreSQL restart takes. */
const RETRY_AFTER_SECONDS = "5";

function unavailableAs503(handler: LoaderFunction | ActionFunction): LoaderFunction & ActionFunction {
  return async (args) => {
    try {
      return await handler(args);
    } catch (thrown) {
      if (thrown instanceof Response || !isDatabaseUnavailable(thrown)) throw thrown;
      throw data(
        { message: UNAVAILABLE_MESSAGE },
        { status: 503, headers: { "Retry-After": RETRY_AFTER_SECONDS } },
      );
    }
  };
}

/** The build with every route's loader and action answering 503 while the database is away. */
export function withUnavailablePages(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue;
    const { loader, action } = route.module;
    routes[id] = {
      ...route,
      module: {
        ...route.module,
        ...(loader ? { loader: unavailableAs503(loader) } : {}),
        ...(action ? { action: unavailableAs503(action) } : {}),
      },
    };
  }
  return { ...build, routes };
}
