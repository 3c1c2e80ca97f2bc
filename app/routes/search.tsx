import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { type ReactNode, useEffect, useRef } from "react";
import { Pager } from "~/components/pager";
import {
  CATEGORY_CODES,
  CATEGORY_NAMES,
  FUNDING_LABELS,
  PROVIDER_KIND_LABELS,
} from "~/domain/catalog/categories";
import { NEED_STATUS_LABELS, NEED_STATUSES } from "~/domain/needs/needs.schema";
import { can } from "~/domain/policy";
import { PROVIDER_KINDS } from "~/domain/providers/providers.schema";
import {
  type Highlight,
  MAX_QUERY_LENGTH,
  SEARCH_FILTERS,
  SEARCH_TYPE_LABELS,
  SEARCH_TYPES,
  type SearchResult,
  type SearchType,
  searchQuerySchema,
} from "~/domain/search/search.schema";
import { searchSite } from "~/domain/search/search.server";
import { FUNDINGS } from "~/domain/services/services.schema";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import { getActor } from "~/http/auth.server";
import { pageData, STATUS_OF } from "~/http/route.server";
import { DomainError, type FieldErrors } from "~/lib/errors";
import { fieldErrorsFrom } from "~/lib/zod";

// 搜索: one box, a tab per kind of thing, facet links with counts, the chosen filters as chips.
// Everything is a link or a GET form, so it works without JavaScript and every state has an address.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title:
      data?.state.q && !data.fieldErrors.q
        ? `“${data.state.q}”的搜索结果 · 三社联动服务平台`
        : "搜索 · 三社联动服务平台",
  },
];

const FILTER_NAMES = [
  "category",
  "subdistrictId",
  "communityId",
  "funding",
  "providerKind",
  "status",
] as const;
type FilterName = (typeof FILTER_NAMES)[number];
type Filters = Partial<Record<FilterName, string>>;
type SearchState = { q: string; type: SearchType; filters: Filters };

/** The filters each tab offers: the ones searchSite applies and counts for that type. */
const FILTERS_OF: Record<SearchType, readonly FilterName[]> = SEARCH_FILTERS;

const FILTER_TITLES: Record<FilterName, string> = {
  category: "类别",
  subdistrictId: "街道",
  communityId: "社区",
  funding: "收费方式",
  providerKind: "机构类型",
  status: "需求状态",
};

/** How many categories the empty state offers. */
const POPULAR_CATEGORIES = 6;

const isSearchType = (value: unknown): value is SearchType => SEARCH_TYPES.some((type) => type === value);

const labelIn = (labels: Readonly<Record<string, string>>, key: string) =>
  Object.hasOwn(labels, key) ? labels[key] : undefined;

/** The query of a search; only the filters the tab offers are kept, the page starts again at 1. */
function searchParamsOf({ q, type, filters }: SearchState) {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  params.set("type", type);
  for (const name of FILTERS_OF[type]) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  return params;
}
const searchHref = (state: SearchState) => `/search?${searchParamsOf(state)}`;

/** The state with one filter set or removed. A community belongs to its subdistrict, so changing the
 * subdistrict lets go of the community too. */
function withFilter(state: SearchState, name: FilterName, value: string | undefined): SearchState {
  const filters: Filters = { ...state.filters, [name]: value };
  if (name === "subdistrictId") filters.communityId = undefined;
  return { ...state, filters };
}

type Place = { id: string; name: string; subdistrictId: string };

async function placeNames() {
  const tree = await getTerritoryTree();
  const subdistricts = tree.districts.flatMap((district) => district.subdistricts);
  const communities: Place[] = subdistricts.flatMap((subdistrict) =>
    subdistrict.communities.map((community) => ({ ...community, subdistrictId: subdistrict.id })),
  );
  return { subdistricts, communities };
}

type FacetOption = { value: string; label: string; count: number; selected: boolean; href: string };
type FacetGroup = { name: FilterName; title: string; options: FacetOption[] };

/** The facet links of a result: every value with a count (and the chosen one, even at 0), in a fixed
 * order, with the address that chooses it (or, when chosen, lets go of it). */
function facetGroups(
  state: SearchState,
  facets: Record<string, Record<string, number>>,
  places: Awaited<ReturnType<typeof placeNames>>,
): FacetGroup[] {
  const option = (name: FilterName, value: string, label: string): FacetOption => {
    const selected = state.filters[name] === value;
    return {
      value,
      label,
      count: facets[name]?.[value] ?? 0,
      selected,
      href: searchHref(withFilter(state, name, selected ? undefined : value)),
    };
  };
  const shown = (options: FacetOption[]) => options.filter((o) => o.count > 0 || o.selected);
  const chosenSubdistrict =
    state.filters.subdistrictId ??
    places.communities.find((c) => c.id === state.filters.communityId)?.subdistrictId;
  const groups: FacetGroup[] = [];
  for (const name of FILTERS_OF[state.type]) {
    if (!facets[name]) continue;
    let options: FacetOption[] = [];
    let title = FILTER_TITLES[name];
    if (name === "category") {
      // Most results first; the catalogue's order breaks ties, so the list does not jump about.
      options = shown(CATEGORY_CODES.map((code) => option(name, code, CATEGORY_NAMES[code]))).sort(
        (a, b) => b.count - a.count,
      );
    } else if (name === "subdistrictId") {
      options = shown(places.subdistricts.map((s) => option(name, s.id, s.name)));
    } else if (name === "communityId") {
      // Communities only within the chosen subdistrict: a whole district's would be a wall of links.
      const subdistrict = places.subdistricts.find((s) => s.id === chosenSubdistrict);
      if (!subdistrict) continue;
      title = `社区（${subdistrict.name}）`;
      options = shown(subdistrict.communities.map((c) => option(name, c.id, c.name)));
    } else if (name === "funding") {
      options = shown(FUNDINGS.map((f) => option(name, f, FUNDING_LABELS[f])));
    } else if (name === "providerKind") {
      options = shown(PROVIDER_KINDS.map((k) => option(name, k, PROVIDER_KIND_LABELS[k])));
    } else {
      options = shown(NEED_STATUSES.map((s) => option(name, s, NEED_STATUS_LABELS[s])));
    }
    if (options.length) groups.push({ name, title, options });
  }
  return groups;
}

type Chip = { name: FilterName; label: string; href: string };

/** The chosen filters, each with the address that lets go of it. */
function chipsOf(state: SearchState, places: Awaited<ReturnType<typeof placeNames>>): Chip[] {
  const labelOf = (name: FilterName, value: string) => {
    if (name === "category") return labelIn(CATEGORY_NAMES, value);
    if (name === "subdistrictId") return places.subdistricts.find((s) => s.id === value)?.name;
    if (name === "communityId") return places.communities.find((c) => c.id === value)?.name;
    if (name === "funding") return labelIn(FUNDING_LABELS, value);
    if (name === "providerKind") return labelIn(PROVIDER_KIND_LABELS, value);
    return labelIn(NEED_STATUS_LABELS, value);
  };
  return FILTERS_OF[state.type].flatMap((name) => {
    const value = state.filters[name];
    if (!value) return [];
    const label = `${FILTER_TITLES[name]}：${labelOf(name, value) ?? "（已不存在）"}`;
    return [{ name, label, href: searchHref(withFilter(state, name, undefined)) }];
  });
}

const HIT_PATHS: Record<SearchType, (id: string) => string> = {
  service: (id) => `/services/${id}`,
  provider: (id) => `/providers/${id}`,
  need: (id) => `/needs/${id}`,
  activity: (id) => `/activities/${id}`,
};

/** Why the hits are not all the query's words: said above them, so a resident knows what she sees. */
function leniencyNote(result: Pick<SearchResult, "matchedBy" | "inferredCategory" | "total">) {
  if (result.total === 0) return null;
  if (result.matchedBy === "some") return "没有同时包含所有词的结果，下面按相符程度排列。";
  if (result.matchedBy === "category" && result.inferredCategory) {
    return `没有找到相符的内容，下面是“${CATEGORY_NAMES[result.inferredCategory]}”类的。`;
  }
  return null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const params = new URL(request.url).searchParams;
    const [actor, places] = await Promise.all([getActor(request), placeNames()]);
    const canSearchNeeds = can(actor, "search.needs", null);
    const typedType = params.get("type");
    const typed: SearchState = {
      q: params.get("q") ?? "",
      type: isSearchType(typedType) ? typedType : "service",
      filters: Object.fromEntries(FILTER_NAMES.map((name) => [name, params.get(name) || undefined])),
    };
    const tabsFor = (state: SearchState) =>
      SEARCH_TYPES.filter((type) => type !== "need" || canSearchNeeds).map((type) => ({
        type,
        label: SEARCH_TYPE_LABELS[type],
        href: searchHref({ ...state, type }),
        current: type === state.type,
      }));
    const empty: {
      facets: FacetGroup[];
      chips: Chip[];
      popular: { label: string; href: string }[];
      fieldErrors: FieldErrors;
      result: null;
      notice: null;
      signIn: boolean;
    } = { facets: [], chips: [], popular: [], fieldErrors: {}, result: null, notice: null, signIn: false };

    const parsed = searchQuerySchema.safeParse(Object.fromEntries(params));
    if (!parsed.success) {
      // A hand-edited or over-long address: say what is wrong, keep what was typed in the box.
      const fieldErrors: FieldErrors = fieldErrorsFrom(parsed.error);
      const safe: SearchState = { q: fieldErrors.q ? "" : typed.q, type: typed.type, filters: {} };
      return data(
        {
          ...empty,
          state: typed,
          tabs: tabsFor(safe),
          fieldErrors,
          clearHref: searchHref(safe),
          pagerSearch: "",
        },
        { status: 400 },
      );
    }
    const query = parsed.data;
    const state: SearchState = {
      q: query.q,
      type: query.type,
      filters: Object.fromEntries(FILTERS_OF[query.type].map((name) => [name, query[name]])),
    };
    const base = {
      ...empty,
      state,
      tabs: tabsFor(state),
      clearHref: searchHref({ ...state, filters: {} }),
      chips: chipsOf(state, places),
    };

    let result: Awaited<ReturnType<typeof searchSite>>;
    try {
      result = await searchSite(actor, query);
    } catch (error) {
      // Needs are for staff and providers; anyone else who asks is told so on the page itself.
      if (error instanceof DomainError && (error.code === "UNAUTHENTICATED" || error.code === "FORBIDDEN")) {
        return data(
          {
            ...base,
            chips: [],
            pagerSearch: "",
            notice: error.message,
            signIn: error.code === "UNAUTHENTICATED",
          },
          { status: STATUS_OF[error.code] },
        );
      }
      throw error;
    }

    let popular: { label: string; href: string }[] = [];
    if (result.total === 0) {
      // The categories people find most among everything of the type searched for.
      const everything = await searchSite(actor, { q: "", type: query.type, page: 1, pageSize: 1 });
      popular = Object.entries(everything.facets.category ?? {})
        .filter(([code, count]) => count > 0 && labelIn(CATEGORY_NAMES, code))
        .sort((a, b) => b[1] - a[1])
        .slice(0, POPULAR_CATEGORIES)
        .map(([code, count]) => ({
          label: `${labelIn(CATEGORY_NAMES, code)}（${count}）`,
          href: searchHref({ q: "", type: query.type, filters: { category: code } }),
        }));
    }

    const pager = searchParamsOf(state);
    if (params.has("pageSize")) pager.set("pageSize", String(query.pageSize));
    return {
      ...base,
      popular,
      facets: facetGroups(state, result.facets, places),
      pagerSearch: pager.toString(),
      result: {
        total: result.total,
        totalIsExact: result.totalIsExact,
        page: result.page,
        pageSize: result.pageSize,
        leniency: leniencyNote(result),
        items: result.items.map((hit) => ({
          id: hit.id,
          href: HIT_PATHS[hit.type](hit.id),
          title: hit.title,
          snippet: hit.snippet,
          titleHighlights: hit.titleHighlights,
          snippetHighlights: hit.snippetHighlights,
          facts: hit.service
            ? [
                hit.service.providerName,
                hit.service.priceLabel,
                ...(hit.service.communityCount > 1 ? [`服务${hit.service.communityCount}个社区`] : []),
              ]
            : [],
        })),
      },
    };
  });
}

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

export default function SearchPage() {
  const { state, tabs, fieldErrors, clearHref, chips, facets, result, popular, notice, signIn, pagerSearch } =
    useLoaderData<typeof loader>();
  const typeLabel = SEARCH_TYPE_LABELS[state.type];
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
        {result
          ? FILTERS_OF[state.type].map((name) =>
              state.filters[name] ? (
                <input key={name} type="hidden" name={name} value={state.filters[name]} />
              ) : null,
            )
          : null}
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
          {signIn ? (
            <p>
              <Link
                className="button button--primary"
                to={`/login?redirectTo=${encodeURIComponent(searchHref(state))}`}
              >
                登录
              </Link>
            </p>
          ) : (
            <p>
              居民可以在<Link to="/me/needs">我的需求</Link>里查看自己提交的需求。
            </p>
          )}
          <p>
            <Link to={searchHref({ q: state.q, type: "service", filters: {} })}>改为搜索服务</Link>
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
