import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { openNotification } from "~/domain/notifications/notifications.server";
import { requirePageActor, safeRedirectPath } from "~/http/auth.server";
import { DomainError } from "~/lib/errors";

// “查看” in the notification centre: a POST that marks the notification read and goes where it
// points. Only a path on this site is followed; a notification that is gone (or someone else's) sends
// the person back to the centre with a note instead of an error page.

const CENTRE = "/me/notifications";

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") {
    return new Response("不支持此请求方法，请使用 POST", { status: 405, headers: { Allow: "POST" } });
  }
  const actor = await requirePageActor(request);
  try {
    const notification = await openNotification(actor, params.id ?? "");
    return redirect(safeRedirectPath(notification.link, CENTRE));
  } catch (error) {
    if (error instanceof DomainError && error.code === "NOT_FOUND") return redirect(`${CENTRE}?missing=1`);
    throw error;
  }
}

export const loader = () => redirect(CENTRE);
