import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { type ReactNode, useEffect } from "react";
import { PrivacyConsentBanner, SiteFooter, SiteHeader } from "./components/layout";
import { useNonce } from "./components/nonce";
import { isStaff } from "./domain/accounts/actor";
import { needsPrivacyConsent } from "./domain/accounts/privacy";
import { unreadCount } from "./domain/notifications/notifications.server";
import { communityServicePhone } from "./domain/territory/service-phones.server";
import { getActor, isElderMode } from "./http/auth.server";
import appStylesHref from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appStylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "三社联动服务平台" },
  { name: "description", content: "社区、社会组织、社会工作者联动，为居民对接服务与活动" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [actor, elderMode] = await Promise.all([getActor(request), isElderMode(request)]);
  return {
    user: actor ? { name: actor.name, isStaff: isStaff(actor) } : null,
    privacyConsentNeeded: actor ? needsPrivacyConsent(actor) : false,
    elderMode,
    /** Beside 通知 in the header; null when signed out (no notifications to count). */
    unreadNotifications: actor ? await unreadCount(actor) : null,
    /** The footer's 社区服务电话: the signed-in person's own community (read from the kept tree). */
    homeCommunity: actor?.communityId ? await communityServicePhone(actor.communityId) : null,
  };
}

/** The header's unread count follows the person from page to page, not only after a form post. */
export const shouldRevalidate: ShouldRevalidateFunction = () => true;

export type RootData = Awaited<ReturnType<typeof loader>>;
export const useRootData = () => useRouteLoaderData<typeof loader>("root");

export function Layout({ children }: { children: ReactNode }) {
  const data = useRootData();
  const nonce = useNonce();
  return (
    <html lang="zh-CN" className={data?.elderMode ? "elder" : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          跳到主要内容
        </a>
        <SiteHeader
          user={data?.user ?? null}
          elderMode={data?.elderMode ?? false}
          unreadNotifications={data?.unreadNotifications ?? null}
        />
        <main id="main" className="page">
          {data?.privacyConsentNeeded ? <PrivacyConsentBanner /> : null}
          {children}
        </main>
        <SiteFooter community={data?.homeCommunity ?? null} />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  // Marks the page as hydrated, so browser tests know when keys reach the page's scripts and not
  // only its plain HTML (entry.client.tsx says why hydration no longer yields to them).
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return <Outlet />;
}

/** The one error boundary: every page's failures end here, in Chinese. */
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const notFound = error.status === 404;
    const title = notFound ? "页面不存在" : error.status === 403 ? "没有权限" : "出错了";
    const detail = notFound
      ? "您要找的页面不存在或已被删除。"
      : typeof error.data?.message === "string"
        ? error.data.message
        : "请求未能完成，请稍后再试。";
    return <ErrorPage status={error.status} title={title} detail={detail} />;
  }
  return (
    <ErrorPage
      status={500}
      title="出错了"
      detail="服务器开小差了，请稍后再试。如果问题一直存在，请联系社区工作人员。"
    />
  );
}

function ErrorPage({ status, title, detail }: { status: number; title: string; detail: string }) {
  return (
    <section className="card error-page" aria-labelledby="error-title">
      <p className="error-status">{status}</p>
      <h1 id="error-title">{title}</h1>
      <p>{detail}</p>
      <p>
        <a className="button" href="/">
          返回首页
        </a>
      </p>
    </section>
  );
}
