import { Jieba, TfIdf } from "@node-rs/jieba";
import { dict, idf } from "@node-rs/jieba/dict.js";
import { COMMUNITY_SERVICE_TERMS } from "./dictionary";
import { RESIDENT_SYNONYMS } from "./synonyms";

// Chinese word segmentation shared by both engines, so a document and a query are split alike
// (DESIGN §5). Documents are cut in search mode: 心理咨询师协会 also yields 心理 and 咨询, which is what
// lets a search for 心理 find it.

let jieba: Jieba | undefined;

/** Loaded on first use (about 0.3 s): the bundled dictionary plus our community-service terms, with a
 * high frequency so that jieba keeps them whole (红色物业, not 红色 / 物业). */
function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(COMMUNITY_SERVICE_TERMS.map((term) => `${term} 200000 n`).join("\n")));
  }
  return jieba;
}

/** Words that carry no meaning for search: a need written as "我想找人帮我…" should not match every
 * service that also says 我 or 帮. */
const STOPWORDS = new Set(
  "的 了 不 没 和 与 及 或 在 是 我 你 他 她 它 们 我们 你们 他们 有 没有 想 要 想要 能 能不能 可以 请 帮 帮忙 吗 呢 啊 吧 呀 个 一 一个 这 那 这个 那个 给 就 都 也 还 把 被 对 从 到 为 很 找 人 有人 什么 怎么 如何 谁 哪里 哪 多 些 一些 等 等等 每 及其 以及 其 之 并 但 而 又 或者 如果 因为 所以 需要 希望 自己 家 家里".split(
    " ",
  ),
);

/** Full-width forms to half-width, case folded, so ＡＢＣ１２ finds abc12. */
const normalise = (text: string) => text.normalize("NFKC").toLowerCase();

/** Keeps letters and digits only; tsquery syntax characters and punctuation never reach an engine. */
function cleanTokens(tokens: string[]): string[] {
  const words: string[] = [];
  for (const token of tokens) {
    const word = token.replace(/[^\p{L}\p{N}]/gu, "");
    if (word && !STOPWORDS.has(word)) words.push(word);
  }
  return words;
}

/** The index terms of a text, in order (positions matter to ranking), sub-words included. */
export function indexTerms(text: string): string[] {
  return cleanTokens(segmenter().cutForSearch(normalise(text), true));
}

/** A query word, the smaller words it contains (心理咨询 → [心理, 咨询]) and the service words residents
 * mean by it (洗澡 → [助浴], app/search/synonyms.ts). A document matches the word when it has the
 * whole word, all of its parts, or one of the synonyms. */
export type QueryWord = { word: string; parts: string[]; synonyms: string[] };

export function queryWords(text: string): QueryWord[] {
  const seen = new Set<string>();
  const words: QueryWord[] = [];
  for (const word of cleanTokens(segmenter().cut(normalise(text), true))) {
    if (seen.has(word)) continue;
    seen.add(word);
    const parts = [...new Set(cleanTokens(segmenter().cutForSearch(word, true)))].filter(
      (part) => part !== word,
    );
    words.push({ word, parts, synonyms: [...(RESIDENT_SYNONYMS[word] ?? [])] });
  }
  return words;
}

/** How many words an "any word" query keeps at most (those that say the most about the text). */
const MAX_ANY_WORDS = 8;

let tfIdf: TfIdf | undefined;
/** Parts of speech that can name what someone needs: nouns (ns too: jieba tags 上门 as a place),
 * verbs, adjectives, idioms. Numbers, particles and the unknown words jieba's HMM makes up from
 * fragments and estate names (人住, 汇景苑) weigh nothing. */
const KEYWORD_TAGS = ["n", "nz", "nt", "ns", "vn", "v", "a", "an", "l", "i"];

/** Each word's TF-IDF weight in a text, with jieba's general-language IDF table (loaded on first use,
 * about 0.5 s). Words it does not know, such as most of our service terms, weigh as rare words. */
function wordWeights(text: string): Map<string, number> {
  if (!tfIdf) {
    tfIdf = TfIdf.withDict(idf);
    tfIdf.setConfig({ minKeywordLength: 1, useHmm: true });
  }
  const keywords = tfIdf.extractKeywords(segmenter(), normalise(text), 1000, KEYWORD_TAGS);
  return new Map(keywords.map(({ keyword, weight }) => [keyword, weight]));
}

/** The words a request searches with. Matching ("any" word) leaves out one-character words without
 * synonyms unless nothing else is left: in a resident's long description 走, 哭 or 来 would match half
 * the catalogue, while 捐 still means 捐赠. Of a long description it keeps the MAX_ANY_WORDS words
 * with synonyms first, then by TF-IDF: 了解, 电话 or 社区 would otherwise match nearly every service,
 * which costs time and leaves the few that offer 助浴 to compete with all the rest. */
export function searchWords(text: string, match: "all" | "any"): QueryWord[] {
  const words = queryWords(text);
  if (match === "all") return words;
  const meaningful = words.filter((w) => w.word.length > 1 || w.synonyms.length > 0);
  const kept = meaningful.length ? meaningful : words;
  if (kept.length <= MAX_ANY_WORDS) return kept;
  const weights = wordWeights(text);
  const weight = (w: QueryWord) => weights.get(w.word) ?? 0;
  const best = new Set(
    [...kept]
      .sort((a, b) => Number(b.synonyms.length > 0) - Number(a.synonyms.length > 0) || weight(b) - weight(a))
      .slice(0, MAX_ANY_WORDS),
  );
  return kept.filter((w) => best.has(w));
}

/** Every string a highlighter should mark for these query words, longest first. */
export const highlightTerms = (words: readonly QueryWord[]) =>
  [...new Set(words.flatMap((w) => [w.word, ...w.parts, ...w.synonyms]))].sort((a, b) => b.length - a.length);
