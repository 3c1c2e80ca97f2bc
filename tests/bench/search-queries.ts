import type { CategoryCode } from "~/domain/catalog/categories";
import type { FacetField, SearchFilters, SearchRequest } from "~/search/engine";
import { RESIDENT_QUERIES } from "../fixtures/resident-queries";
import { CATEGORY_LIST, estateName, ITEMS, prng, VOCABULARY } from "./corpus";

// The search benchmark's query set (tests/bench/search.ts), apart so that a one-off look at the
// statements' plans can use the same queries.

type Filter = "category" | "communityId" | "subdistrictId";
export type BenchQuery = {
  label: string;
  type: "service" | "provider";
  q: string;
  category?: CategoryCode;
  communityId?: string;
  subdistrictId?: string;
};

/** About 200 queries as people type them: common words (老人、上门), the names of services (助浴、
 * 四点半课堂), two or three words, rare terms, a few that find nothing, some provider searches, and a
 * third of them narrowed by a category, a community or a subdistrict. */
export function buildQueries(territory: { id: string; subdistrictId: string }[]): BenchQuery[] {
  const random = prng(4242);
  const queries: BenchQuery[] = [];
  const common = [
    "老人",
    "上门",
    "服务",
    "儿童",
    "社区",
    "免费",
    "预约",
    "护理",
    "培训",
    "咨询",
    "老年人",
    "志愿者",
  ];
  const rare = [
    "手语翻译",
    "三伏贴",
    "遗嘱见证",
    "海姆立克",
    "防溺水",
    "导尿管",
    "象棋比赛",
    "创业担保贷款",
    "飞线充电",
    "孤独症",
    "压疮护理",
    "婆媳关系",
    "考前减压",
    "开荒保洁",
    "旧衣回收",
  ];
  const nothing = ["潜水培训", "钢琴调音", "宠物寄养", "婚纱摄影", "汽车美容", "留学中介"];
  const providerWords = ["阳光", "社工", "协会", "律师事务所", "家政", "养老", "心理咨询师协会", "长者食堂"];
  const topicOf = (category: CategoryCode) => random.pick(VOCABULARY[category].topics);
  const categoryWeights = CATEGORY_LIST.map((c) => [c, VOCABULARY[c].services] as const);
  const add = (
    label: string,
    q: string,
    category: CategoryCode | null,
    type: BenchQuery["type"] = "service",
  ) => {
    const query: BenchQuery = { label, type, q };
    const roll = random.next();
    const place = random.pick(territory);
    const filter: Filter | null =
      roll < 0.12 ? "category" : roll < 0.24 ? "communityId" : roll < 0.34 ? "subdistrictId" : null;
    if (filter === "category") query.category = category ?? random.weighted(categoryWeights);
    if (filter === "communityId") query.communityId = place.id;
    if (filter === "subdistrictId") query.subdistrictId = place.subdistrictId;
    if (filter && random.chance(0.2)) query.category = category ?? random.weighted(categoryWeights);
    queries.push(query);
  };
  for (let i = 0; i < 30; i += 1) add("common word", random.pick(common), null);
  for (let i = 0; i < 70; i += 1) {
    const category = random.weighted(categoryWeights);
    add("service name", random.pick(topicOf(category).names), category);
  }
  for (let i = 0; i < 40; i += 1) {
    const category = random.weighted(categoryWeights);
    const vocab = VOCABULARY[category];
    const name = random.pick(topicOf(category).names);
    add(
      "two words",
      random.chance(0.5) ? `${random.pick(vocab.audiences)} ${name}` : `${name} ${random.pick(common)}`,
      category,
    );
  }
  for (let i = 0; i < 20; i += 1) {
    const category = random.weighted(categoryWeights);
    const vocab = VOCABULARY[category];
    add(
      "three words",
      `${random.pick(vocab.audiences)} ${random.pick(topicOf(category).names)} ${random.pick(common)}`,
      category,
    );
  }
  for (const word of rare) add("rare term", word, null);
  for (let i = 0; i < 10; i += 1) {
    const items = ITEMS[random.weighted(categoryWeights)];
    add("rare term", random.pick(items.slice(Math.floor((items.length * 2) / 3))), null);
  }
  for (let i = 0; i < 4; i += 1) add("place", estateName(random), null);
  for (const word of nothing) add("no match", word, null);
  for (const word of providerWords) add("provider", word, null, "provider");
  for (let i = 0; i < 11; i += 1) add("empty box + filters", "", random.weighted(categoryWeights));
  // As residents type (#16): every fifth of the labelled set; the API may search twice or three times
  // for them (part of the words, then the category), the raw SQL below times the first search only.
  for (const resident of RESIDENT_QUERIES.filter((_, i) => i % 5 === 0))
    add("resident phrasing", resident.q, null);
  return queries.map((q) =>
    q.q === "" && !q.category && !q.communityId && !q.subdistrictId ? { ...q, category: "elderly-care" } : q,
  );
}

const FACETS: Record<BenchQuery["type"], readonly FacetField[]> = {
  service: ["category", "subdistrictId", "communityId", "funding", "providerKind"],
  provider: ["category", "subdistrictId", "communityId", "providerKind"],
};

/** What searchSite asks the engine for this query (app/domain/search/search.server.ts). */
export function engineRequest(query: BenchQuery): SearchRequest {
  const filters: SearchFilters = {
    category: query.category ? [query.category] : undefined,
    subdistrictId: query.subdistrictId ? [query.subdistrictId] : undefined,
    communityId: query.communityId ? [query.communityId] : undefined,
  };
  return {
    type: query.type,
    text: query.q,
    match: "all",
    filters,
    facets: FACETS[query.type],
    offset: 0,
    limit: 20,
  };
}
