import { Form, Link, NavLink, useLocation } from "@remix-run/react";

type NavItem = { to: string; label: string; end?: boolean };

const MAIN_NAV: NavItem[] = [
  { to: "/", label: "首页", end: true },
  { to: "/services", label: "服务" },
  { to: "/needs", label: "需求" },
  { to: "/activities", label: "活动" },
  { to: "/venues", label: "阵地" },
  { to: "/providers", label: "组织" },
  { to: "/stats", label: "统计" },
  { to: "/me", label: "我的" },
];
const STAFF_NAV: NavItem = { to: "/workbench", label: "工作台" };

/** "99+" rather than a number too wide for a phone's header. */
const badgeText = (count: number) => (count > 99 ? "99+" : String(count));

export function SiteHeader({
  user,
  elderMode,
  unreadNotifications,
}: {
  user: { name: string; isStaff: boolean } | null;
  elderMode: boolean;
  /** null when signed out. */
  unreadNotifications: number | null;
}) {
  const location = useLocation();
  const items = user?.isStaff ? [...MAIN_NAV, STAFF_NAV] : MAIN_NAV;
  // The search page has its own big box; a second one in the header would only confuse.
  const onSearchPage = location.pathname === "/search";
  return (
    <header className="site-header">
      <div className="site-header__bar">
        <a className="brand" href="/">
          <span aria-hidden="true" className="brand__mark">
            社
          </span>
          三社联动服务平台
        </a>
        <div className="site-header__tools">
          {user ? (
            <a className="header-link" href="/me/notifications">
              通知
              {unreadNotifications ? (
                <span className="count-badge">
                  {badgeText(unreadNotifications)}
                  <span className="visually-hidden">条未读</span>
                </span>
              ) : null}
            </a>
          ) : null}
          <Form method="post" action="/settings/elder-mode" className="inline-form">
            <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
            <input type="hidden" name="elderMode" value={elderMode ? "off" : "on"} />
            <button type="submit" className="button button--ghost" aria-pressed={elderMode}>
              {elderMode ? "关闭适老化" : "适老化模式"}
            </button>
          </Form>
          {user ? (
            <span className="greeting">您好，{user.name}</span>
          ) : (
            <a className="button button--ghost" href="/login">
              登录
            </a>
          )}
        </div>
        {onSearchPage ? null : elderMode ? (
          // 适老化: the search row folds away so the page's own action is on the first screen of a
          // phone; one tap opens it.
          <details className="header-search-toggle">
            <summary className="button button--ghost">搜索</summary>
            <HeaderSearch />
          </details>
        ) : (
          <HeaderSearch />
        )}
      </div>
      <nav aria-label="主导航" className="main-nav">
        <ul>
          {items.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.end} prefetch="intent">
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

/** The signed-in resident's community and its service phone (null when none is registered). */
export type HomeCommunity = { name: string; servicePhone: string | null };

export function ServicePhoneLine({ community }: { community: HomeCommunity }) {
  if (!community.servicePhone) return <>如需帮助，请联系{community.name}的工作人员。</>;
  return (
    <>
      {community.name}服务电话：<a href={`tel:${community.servicePhone}`}>{community.servicePhone}</a>
    </>
  );
}

export function SiteFooter({ community }: { community: HomeCommunity | null }) {
  return (
    <footer className="site-footer">
      <p>三社联动服务平台 · 社区、社会组织、社会工作者携手服务居民</p>
      <p>
        {community ? <ServicePhoneLine community={community} /> : "如需帮助，请联系您所在社区的工作人员。"}
      </p>
      <p>
        <Link to="/privacy">隐私政策</Link>
      </p>
    </footer>
  );
}

/** Asks a signed-in person who has not agreed to the current privacy notice (an account opened
 * through the API or by an admin, or after the notice changed) to read it and agree. */
export function PrivacyConsentBanner() {
  const location = useLocation();
  if (location.pathname === "/privacy") return null;
  return (
    <aside className="consent-banner" aria-labelledby="consent-banner-text">
      <p id="consent-banner-text">请阅读《隐私政策》并表示同意：我们只为提供社区服务使用您的信息。</p>
      <Link className="button button--primary" to="/privacy#agree">
        阅读并同意
      </Link>
    </aside>
  );
}

function HeaderSearch() {
  return (
    <Form method="get" action="/search" role="search" className="header-search">
      <label htmlFor="site-search-q" className="visually-hidden">
        搜索服务、组织
      </label>
      <input
        id="site-search-q"
        name="q"
        type="search"
        enterKeyHint="search"
        // search.schema's MAX_QUERY_LENGTH, written out so every page's bundle stays free of zod.
        maxLength={100}
        placeholder="搜索服务、组织"
      />
      <button type="submit" className="button">
        搜索
      </button>
    </Form>
  );
}
