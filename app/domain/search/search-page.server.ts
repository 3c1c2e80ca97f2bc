import type { Actor } from "~/domain/accounts/actor";
import {
  CATEGORY_CODES,
  CATEGORY_NAMES,
  FUNDING_LABELS,
  PROVIDER_KIND_LABELS,
} from "~/domain/catalog/categories";
import { NEED_STATUS_LABELS, NEED_STATUSES } from "~/domain/needs/needs.schema";
import { can } from "~/domain/policy";
import { PROVIDER_KINDS } from "~/domain/providers/providers.schema";
import { FUNDINGS } from "~/domain/services/services.schema";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import { placesOf } from "~/domain/territory/tree";
import { DomainError, type ErrorCode, type FieldErrors } from "~/lib/errors";
import { fieldErrorsFrom } from "~/lib/zod";

import {
  type Highlight,
  SEARCH_FILTERS,
  SEARCH_TYPE_LABELS,
  SEARCH_TYPES,
  type SearchResult,
  type SearchType,
  searchQuerySchema,
} from "./search.schema";
import { searchSite } from "./search.server";

// The 搜索 page's state lives in its address: every tab, facet and chip is a link built here, so the
// page works without JavaScript. The filters each tab offers are the domain's SEARCH_FILTERS.

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
export type SearchState = { q: string; type: SearchType; filters: Filters };

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
  for (const name of SEARCH_FILTERS[type]) {
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

const placeNames = async () => placesOf((await getTerritoryTree()).districts);
type Places = Awaited<ReturnType<typeof placeNames>>;

type FacetOption = { value: string; label: string; count: number; selected: boolean; href: string };
export type FacetGroup = { name: FilterName; title: string; options: FacetOption[] };

/** The facet links of a result: every value with a count (and the chosen one, even at 0), in a fixed
 * order, with the address that chooses it (or, when chosen, lets go of it). */
function facetGroups(
  state: SearchState,
  facets: Record<string, Record<string, number>>,
  places: Places,
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
  for (const name of SEARCH_FILTERS[state.type]) {
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

export type Chip = { name: FilterName; label: string; href: string };

/** The chosen filters, each with the address that lets go of it. */
function chipsOf(state: SearchState, places: Places): Chip[] {
  const labelOf = (name: FilterName, value: string) => {
    if (name === "category") return labelIn(CATEGORY_NAMES, value);
    if (name === "subdistrictId") return places.subdistricts.find((s) => s.id === value)?.name;
    if (name === "communityId") return places.communities.find((c) => c.id === value)?.name;
    if (name === "funding") return labelIn(FUNDING_LABELS, value);
    if (name === "providerKind") return labelIn(PROVIDER_KIND_LABELS, value);
    return labelIn(NEED_STATUS_LABELS, value);
  };
  return SEARCH_FILTERS[state.type].flatMap((name) => {
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
  venue: (id) => `/venues/${id}`,
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

export type SearchHit = {
  id: string;
  href: string;
  title: string;
  snippet: string;
  titleHighlights: Highlight[];
  snippetHighlights: Highlight[];
  facts: string[];
};

export type SearchPage = {
  state: SearchState;
  typeLabel: string;
  tabs: { type: SearchType; label: string; href: string; current: boolean }[];
  fieldErrors: FieldErrors;
  clearHref: string;
  /** The chosen filters the box's form carries along, so a new word keeps them. */
  kept: { name: FilterName; value: string }[];
  chips: Chip[];
  facets: FacetGroup[];
  popular: { label: string; href: string }[];
  notice: string | null;
  /** Where 登录 leads (back to this search), when the notice asks to sign in. */
  signInHref: string | null;
  serviceSearchHref: string;
  pagerSearch: string;
  result: {
    total: number;
    totalIsExact: boolean;
    page: number;
    pageSize: number;
    leniency: string | null;
    items: SearchHit[];
  } | null;
};

/** The page and, when it is not a plain answer, why: the route turns the code into the status. */
export type SearchPageAnswer = { page: SearchPage; problem?: ErrorCode };

/** Everything the 搜索 page shows for an address: a bad address is answered with field errors and
 * the box kept; needs asked for by a resident or a visitor with a notice on the page itself. */
export async function searchPage(actor: Actor | null, params: URLSearchParams): Promise<SearchPageAnswer> {
  const places = await placeNames();
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
  const pageOf = (state: SearchState) => ({
    state,
    typeLabel: SEARCH_TYPE_LABELS[state.type],
    facets: [],
    chips: [],
    kept: [],
    popular: [],
    fieldErrors: {},
    result: null,
    notice: null,
    signInHref: null,
    serviceSearchHref: searchHref({ q: state.q, type: "service", filters: {} }),
    pagerSearch: "",
  });

  const parsed = searchQuerySchema.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    // A hand-edited or over-long address: say what is wrong, keep what was typed in the box.
    const fieldErrors: FieldErrors = fieldErrorsFrom(parsed.error);
    const safe: SearchState = { q: fieldErrors.q ? "" : typed.q, type: typed.type, filters: {} };
    return {
      page: { ...pageOf(typed), tabs: tabsFor(safe), fieldErrors, clearHref: searchHref(safe) },
      problem: "VALIDATION",
    };
  }
  const query = parsed.data;
  const state: SearchState = {
    q: query.q,
    type: query.type,
    filters: Object.fromEntries(SEARCH_FILTERS[query.type].map((name) => [name, query[name]])),
  };
  const base = {
    ...pageOf(state),
    tabs: tabsFor(state),
    clearHref: searchHref({ ...state, filters: {} }),
  };

  let result: Awaited<ReturnType<typeof searchSite>>;
  try {
    result = await searchSite(actor, query);
  } catch (error) {
    // Needs are for staff and providers; anyone else who asks is told so on the page itself.
    if (error instanceof DomainError && (error.code === "UNAUTHENTICATED" || error.code === "FORBIDDEN")) {
      const signInHref =
        error.code === "UNAUTHENTICATED"
          ? `/login?redirectTo=${encodeURIComponent(searchHref(state))}`
          : null;
      return { page: { ...base, notice: error.message, signInHref }, problem: error.code };
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
    page: {
      ...base,
      chips: chipsOf(state, places),
      kept: SEARCH_FILTERS[state.type].flatMap((name) => {
        const value = state.filters[name];
        return value ? [{ name, value }] : [];
      }),
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
    },
  };
}
