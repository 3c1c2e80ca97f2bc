import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { Pager } from "~/components/pager";
import { markReadSchema, notificationListQuerySchema } from "~/domain/notifications/notifications.schema";
import { listNotifications, markNotificationsRead } from "~/domain/notifications/notifications.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntent } from "~/http/route.server";
import type { FieldErrors } from "~/lib/errors";
import { formatTime } from "~/lib/format";
import { fieldErrorsFrom } from "~/lib/zod";

// /me/notifications, the notification centre (outside the /me layout, like /me/needs): newest first,
// 全部 / 未读, mark read one by one or all at once. “查看” posts to /me/notifications/:id, which marks
// the notification read on the way to where it points.

export const meta: MetaFunction = () => [{ title: "我的通知 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const params = new URL(request.url).searchParams;
    const parsed = notificationListQuerySchema.safeParse(Object.fromEntries(params));
    // A hand-edited address still shows the list, from the first page, with what was wrong.
    const errors: FieldErrors | null = parsed.success ? null : fieldErrorsFrom(parsed.error);
    const query = parsed.success ? parsed.data : notificationListQuerySchema.parse({});
    const list = await listNotifications(actor, query);
    // Formatted here, so the page and its hydration show the same text whatever the browser's ICU.
    const items = list.items.map((n) => ({ ...n, timeText: formatTime(n.createdAt) }));
    return data(
      { list: { ...list, items }, unreadOnly: query.unread, errors },
      { status: errors ? 400 : 200 },
    );
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  return runIntent(request, {
    readAll: async () => {
      const { marked } = await markNotificationsRead(actor, "all");
      return marked ? `已将 ${marked} 条通知标为已读。` : "没有未读的通知。";
    },
    read: async (form) => {
      const values = parseInput(markReadSchema, { ids: [form.id ?? ""] });
      const { marked } = await markNotificationsRead(actor, values.ids ?? "all");
      // Someone else's notification (or an unknown one) marks nothing and says nothing about it.
      return marked ? "已标为已读。" : "没有需要标记的通知。";
    },
  });
}

export default function NotificationsPage() {
  const { list, unreadOnly, errors } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const failed = result && !result.ok ? result : undefined;
  const search = unreadOnly ? "unread=true" : "";
  const tabs = [
    { label: "全部", to: "/me/notifications", current: !unreadOnly },
    { label: `未读（${list.unread}）`, to: "/me/notifications?unread=true", current: unreadOnly },
  ];
  return (
    <>
      <h1>我的通知</h1>
      <FormMessage message={errors ? Object.values(errors).join("；") : null} />
      {params.get("missing") && !result ? <FormMessage message="这条通知不存在，可能已被删除。" /> : null}
      <FormMessage tone="success" message={result?.ok ? result.message : null} />
      <FormMessage message={failed?.formError} />
      <nav aria-label="按是否已读查看" className="tabs">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.label}>
              <Link className="tabs__link" to={tab.to} aria-current={tab.current ? "page" : undefined}>
                {tab.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="actions">
        {list.unread > 0 ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="readAll" />
            <button type="submit" className="button button--primary">
              全部标为已读
            </button>
          </Form>
        ) : null}
        <Link className="button" to="/me">
          返回“我的”
        </Link>
      </div>
      <h2>{unreadOnly ? `未读通知 ${list.total} 条` : `共 ${list.total} 条通知`}</h2>
      {list.items.length === 0 ? (
        <p className="card empty-state">
          {list.total > 0 ? (
            <>
              这一页没有内容了。<Link to={`?${search}`}>回到第一页</Link>
            </>
          ) : unreadOnly ? (
            <>
              没有未读的通知。<Link to="/me/notifications">查看全部通知</Link>
            </>
          ) : (
            "您还没有收到通知。需求有进展、活动有变动时，会在这里告诉您。"
          )}
        </p>
      ) : (
        <ul className="notification-list">
          {list.items.map((notification) => (
            <li
              key={notification.id}
              className={notification.read ? "card notification" : "card notification notification--unread"}
            >
              <h3 className="notification__title" id={`n-${notification.id}`}>
                {notification.read ? null : <span className="badge badge--unread">未读</span>}
                {notification.title}
              </h3>
              <p className="notification__body">{notification.body}</p>
              <p className="notification__time">
                <time dateTime={notification.createdAt}>{notification.timeText}</time>
              </p>
              <div className="actions">
                {notification.link ? (
                  <Form method="post" action={`/me/notifications/${notification.id}`} className="inline-form">
                    <button
                      type="submit"
                      className="button button--primary"
                      aria-describedby={`n-${notification.id}`}
                    >
                      查看
                    </button>
                  </Form>
                ) : null}
                {notification.read ? null : (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="read" />
                    <input type="hidden" name="id" value={notification.id} />
                    <button type="submit" className="button" aria-describedby={`n-${notification.id}`}>
                      标为已读
                    </button>
                  </Form>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pager page={list.page} pageSize={list.pageSize} total={list.total} search={search} />
    </>
  );
}
