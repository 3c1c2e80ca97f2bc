import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";

/** The Remix server build (`npm run build`); SERVER_BUILD_PATH picks another one, as remix.config.js does. */
export async function loadServerBuild(): Promise<ServerBuild> {
  return import(pathToFileURL(path.resolve(process.env.SERVER_BUILD_PATH ?? "build/index.js")).href);
}
