import { Form, Link } from "@remix-run/react";
import { type ReactNode, useEffect, useRef } from "react";
import { Pager } from "~/components/pager";
import { type Highlight, MAX_QUERY_LENGTH } from "~/domain/search/search.schema";
import type { FacetGroup, SearchPage } from "~/domain/search/search-page.server";

// 搜索: one box, a tab per kind of thing, facet links with counts, the chosen filters as chips.
// Everything is a link or a GET form, so it works without JavaScript and every state has an address.

/** The text with the matched characters in <mark>, from [start, end) ranges (never engine HTML). */
function Highlighted({ text, ranges }: { text: string; ranges: readonly Highlight[] }) {
  const pieces: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    // An overlapping or out-of-range highlight is dropped rather than garbling the text.
    if (start < at || end <= start || end > text.length) continue;
    if (start > at) pieces.push(text.slice(at, start));
    pieces.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) pieces.push(text.slice(at));
  return <>{pieces}</>;
}

/** Facets sit in a <details>: folded on a phone so the results come first, opened on a wide screen
 * once JavaScript runs (without it they stay one tap away). */
function FacetPanel({ groups, chosen }: { groups: FacetGroup[]; chosen: number }) {
  const panel = useRef<HTMLDetailsElement>(null);
  const shown = groups.length > 0;
  useEffect(() => {
    if (shown && panel.current && window.matchMedia("(min-width: 48rem)").matches) panel.current.open = true;
  }, [shown]);
  if (!shown) return null;
  return (
    <details className="card search-facets" ref={panel}>
      <summary>
        按条件筛选
        {chosen ? `（已选 ${chosen} 项）` : null}
      </summary>
      {groups.map((group) => (
        <section key={group.name} className="facet" aria-labelledby={`facet-${group.name}`}>
          <h3 id={`facet-${group.name}`}>{group.title}</h3>
          <ul className="facet__list">
            {group.options.map((option) => (
              <li key={option.value}>
                <Link
                  className="facet__link"
                  to={option.href}
                  aria-current={option.selected ? "true" : undefined}
                  preventScrollReset
                >
                  {option.selected ? <span aria-hidden="true">✓</span> : null}
                  <span>{option.label}</span>
                  <span className="facet__count">
                    {option.count}
                    <span className="visually-hidden">条</span>
                  </span>
                  {option.selected ? <span className="visually-hidden">（已选，点击取消）</span> : null}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </details>
  );
}

/** The 搜索 page: the box, the tabs, the chosen filters, and the hits or what to try instead. */
export function SearchView({
  state,
  typeLabel,
  tabs,
  fieldErrors,
  clearHref,
  kept,
  chips,
  facets,
  result,
  popular,
  notice,
  signInHref,
  serviceSearchHref,
  pagerSearch,
}: SearchPage) {
  const qError = fieldErrors.q;
  const otherErrors = Object.entries(fieldErrors)
    .filter(([name]) => name !== "q")
    .map(([, message]) => message);
  return (
    <>
      <h1>搜索</h1>
      <Form
        method="get"
        action="/search"
        role="search"
        className={qError ? "card search-box search-box--invalid" : "card search-box"}
      >
        <label htmlFor="search-q" className="search-box__label">
          您想找什么？
        </label>
        <p className="field__hint" id="search-q-hint">
          如：助餐、理发、心理咨询、法律援助
        </p>
        <div className="search-box__row">
          <input
            key={state.q}
            id="search-q"
            name="q"
            type="search"
            enterKeyHint="search"
            maxLength={MAX_QUERY_LENGTH}
            defaultValue={state.q}
            aria-invalid={qError ? true : undefined}
            aria-describedby={qError ? "search-q-hint search-q-error" : "search-q-hint"}
          />
          <button type="submit" className="button button--primary">
            搜索
          </button>
        </div>
        {qError ? (
          <p className="field__error" id="search-q-error">
            {qError}
          </p>
        ) : null}
        {/* A new word keeps the tab and the chosen filters (shown as chips below, each removable). */}
        <input type="hidden" name="type" value={state.type} />
        {kept.map(({ name, value }) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
      </Form>

      <nav aria-label="搜索范围" className="tabs">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.type}>
              <Link className="tabs__link" to={tab.href} aria-current={tab.current ? "page" : undefined}>
                {tab.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {otherErrors.length ? (
        <div className="form-message form-message--error" role="alert">
          <p>筛选条件有误：{otherErrors.join("；")}</p>
          <Link to={clearHref}>清除筛选条件，重新搜索</Link>
        </div>
      ) : null}
      {qError ? (
        <p className="form-message form-message--error" role="alert">
          搜索词有误，请按提示修改后再搜索。
        </p>
      ) : null}

      {chips.length ? (
        <section aria-labelledby="chips-title" className="search-chips">
          <h2 id="chips-title" className="visually-hidden">
            已选条件
          </h2>
          <ul className="chips">
            <li className="chips__lead" aria-hidden="true">
              已选：
            </li>
            {chips.map((chip) => (
              <li key={chip.name}>
                <Link className="chip" to={chip.href} preventScrollReset>
                  <span>{chip.label}</span>
                  <span className="chip__x" aria-hidden="true">
                    ✕
                  </span>
                  <span className="visually-hidden">（点击去掉这个条件）</span>
                </Link>
              </li>
            ))}
            {chips.length > 1 ? (
              <li>
                <Link to={clearHref}>清除全部条件</Link>
              </li>
            ) : null}
          </ul>
        </section>
      ) : null}

      {notice ? (
        <div className="card empty-state" role="alert">
          <p>{notice}</p>
          {signInHref ? (
            <p>
              <Link className="button button--primary" to={signInHref}>
                登录
              </Link>
            </p>
          ) : (
            <p>
              居民可以在<Link to="/me/needs">我的需求</Link>里查看自己提交的需求。
            </p>
          )}
          <p>
            <Link to={serviceSearchHref}>改为搜索服务</Link>
          </p>
        </div>
      ) : null}

      {result ? (
        <div className="search-layout">
          <FacetPanel groups={facets} chosen={chips.length} />
          <section aria-labelledby="results-title" className="search-results">
            <h2 id="results-title">
              {state.q
                ? `找到${result.totalIsExact ? " " : "超过 "}${result.total} 条与“${state.q}”有关的${typeLabel}`
                : `${result.totalIsExact ? "共 " : "超过 "}${result.total} 条${typeLabel}`}
            </h2>
            {result.leniency ? <p className="search-leniency">{result.leniency}</p> : null}
            {result.total > 0 && result.items.length === 0 ? (
              <p className="card empty-state">
                这一页没有内容了。<Link to={`/search?${pagerSearch}`}>回到第一页</Link>
              </p>
            ) : null}
            {result.total === 0 ? (
              <div className="card empty-state search-empty">
                <p>
                  <strong>
                    {state.q
                      ? `没有找到与“${state.q}”有关的${typeLabel}。`
                      : `没有找到符合条件的${typeLabel}。`}
                  </strong>
                </p>
                {state.type === "activity" ? (
                  <p>
                    也可以到<Link to="/activities">社区活动</Link>按日期和社区找找看。
                  </p>
                ) : null}
                {state.type === "venue" ? (
                  <p>
                    也可以到<Link to="/venues">阵地</Link>按街道查看全部阵地。
                  </p>
                ) : null}
                {chips.length ? (
                  <>
                    <p>可以少选几个条件再找：</p>
                    <ul className="chips chips--center">
                      {chips.map((chip) => (
                        <li key={chip.name}>
                          <Link className="chip" to={chip.href}>
                            去掉“{chip.label}”
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </>
                ) : state.q ? (
                  <p>可以换个说法，或者少写几个字，比如只写“助餐”“理发”。</p>
                ) : null}
                {popular.length ? (
                  <>
                    <p>也可以看看大家常找的类别：</p>
                    <ul className="chips chips--center">
                      {popular.map((category) => (
                        <li key={category.href}>
                          <Link className="chip" to={category.href}>
                            {category.label}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
                <p>
                  找不到合适的？<Link to="/needs/new">告诉社区您的需求</Link>，社区工作人员会帮您联系。
                </p>
              </div>
            ) : (
              <ol className="search-hits">
                {result.items.map((hit) => (
                  <li key={hit.id}>
                    <article className="card search-hit" aria-labelledby={`hit-${hit.id}`}>
                      <h3 id={`hit-${hit.id}`}>
                        <Link to={hit.href}>
                          <Highlighted text={hit.title} ranges={hit.titleHighlights} />
                        </Link>
                      </h3>
                      {hit.facts.length ? (
                        <p className="search-hit__facts">
                          {hit.facts.map((fact) => (
                            <span key={fact}>{fact}</span>
                          ))}
                        </p>
                      ) : null}
                      {hit.snippet ? (
                        <p className="search-hit__snippet">
                          <Highlighted text={hit.snippet} ranges={hit.snippetHighlights} />
                        </p>
                      ) : null}
                    </article>
                  </li>
                ))}
              </ol>
            )}
            <Pager page={result.page} pageSize={result.pageSize} total={result.total} search={pagerSearch} />
          </section>
        </div>
      ) : null}
    </>
  );
}
