import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { elderModeCookie, safeRedirectPath } from "~/http/auth.server";
import { readForm } from "~/http/route.server";

/** 适老化 switch: remembered in a cookie for a year, works as a plain form post without JavaScript. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request).catch((): Record<string, string> => ({}));
  const mode = form.elderMode === "on" ? "on" : "off";
  return redirect(safeRedirectPath(form.redirectTo), {
    headers: { "Set-Cookie": await elderModeCookie.serialize(mode) },
  });
}

export const loader = () => redirect("/");
