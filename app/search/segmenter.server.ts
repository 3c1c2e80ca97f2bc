import { Jieba, TfIdf } from "@node-rs/jieba";
import { dict, idf } from "@node-rs/jieba/dict.js";
import { COMMUNITY_SERVICE_TERMS } from "./dictionary";
import { GENERIC_WORDS, inferCategory, RESIDENT_SYNONYMS, RESIDENT_TERMS, STOP_WORDS } from "./vocabulary";

// Chinese word segmentation shared by both engines, so a document and a query are split alike
// (DESIGN §5). Documents are cut in search mode: 心理咨询师协会 also yields 心理 and 咨询, which is what
// lets a search for 心理 find it.

let jieba: Jieba | undefined;

/** Loaded on first use (about 0.3 s): the bundled dictionary plus our community-service terms and
 * residents' words (app/search/vocabulary), with a high frequency so that jieba keeps them whole
 * (红色物业, not 红色 / 物业; 剪头发, not 剪 / 头发). */
function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    const terms = [...COMMUNITY_SERVICE_TERMS, ...RESIDENT_TERMS];
    jieba.loadDict(Buffer.from(terms.map((term) => `${term} 200000 n`).join("\n")));
  }
  return jieba;
}

/** Full-width forms to half-width, case folded, so ＡＢＣ１２ finds abc12. */
const normalise = (text: string) => text.normalize("NFKC").toLowerCase();

/** Keeps letters and digits only; tsquery syntax characters and punctuation never reach an engine. */
function cleanTokens(tokens: string[]): string[] {
  const words: string[] = [];
  for (const token of tokens) {
    const word = token.replace(/[^\p{L}\p{N}]/gu, "");
    if (word && !STOP_WORDS.has(word)) words.push(word);
  }
  return words;
}

/** The index terms of a text, in order (positions matter to ranking), sub-words included. */
export function indexTerms(text: string): string[] {
  return cleanTokens(segmenter().cutForSearch(normalise(text), true));
}

/** A query word, the smaller words it contains (心理咨询 → [心理, 咨询]) and the service words residents
 * mean by it (洗澡 → [助浴], app/search/vocabulary). A document matches the word when it has the
 * whole word, all of its parts, one of the synonyms, or (postgres) the word inside a title. */
export type QueryWord = { word: string; parts: string[]; synonyms: string[]; weight: number };

let idfTable: Map<string, number> | undefined;
/** How rare a word is in general Chinese (jieba's IDF table, loaded on first use); words it does not
 * know, such as most service terms, count as its median. */
function inverseFrequency(word: string): number {
  if (!idfTable) {
    idfTable = new Map();
    for (const line of Buffer.from(idf).toString("utf8").split("\n")) {
      const [entry, value] = line.split(" ");
      if (entry && value) idfTable.set(entry, Number(value));
    }
  }
  return idfTable.get(word) ?? UNKNOWN_WORD_IDF;
}
/** The median of jieba's IDF table. */
const UNKNOWN_WORD_IDF = 11.95;
/** A word's share in "how much of the query matched" is its IDF less this, so 老人 (6.4) or 服务 (5.3)
 * count for little beside 理发 (10.1) or 助浴 (unknown: 11.95); never less than WORD_WEIGHT_FLOOR. */
const IDF_OFFSET = 5;
const WORD_WEIGHT_FLOOR = 0.5;

/** How much a word says about what is wanted: its rarity, or its service words' if they are rarer
 * (洗澡 means 助浴). */
const wordWeight = (word: string, synonyms: readonly string[]) =>
  Math.max(WORD_WEIGHT_FLOOR, Math.max(...[word, ...synonyms].map(inverseFrequency)) - IDF_OFFSET);

export function queryWords(text: string): QueryWord[] {
  const seen = new Set<string>();
  const words: QueryWord[] = [];
  for (const word of cleanTokens(segmenter().cut(normalise(text), true))) {
    if (seen.has(word)) continue;
    seen.add(word);
    const parts = [...new Set(cleanTokens(segmenter().cutForSearch(word, true)))].filter(
      (part) => part !== word,
    );
    const synonyms = [...(RESIDENT_SYNONYMS[word] ?? [])];
    words.push({ word, parts, synonyms, weight: wordWeight(word, synonyms) });
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
  const meaningful = specific(words).filter((w) => w.word.length > 1 || w.synonyms.length > 0);
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

/** Matching's words without the generic ones (GENERIC_WORDS: 老人, 每周), which alone made 代买菜 fit
 * 书法兴趣班; a compound keeps its specific parts only (上门理发 fits 便民理发 through 理发). When every
 * word is generic they are all kept: the text says nothing more. */
function specific(words: readonly QueryWord[]): QueryWord[] {
  const kept = words
    .filter((w) => !GENERIC_WORDS.has(w.word))
    .map((w) => {
      const parts = w.parts.filter((part) => !GENERIC_WORDS.has(part));
      return parts.length === w.parts.length || !parts.length ? w : { ...w, parts };
    });
  return kept.length ? kept : [...words];
}

/** Every string a highlighter should mark for these query words, longest first. */
export const highlightTerms = (words: readonly QueryWord[]) =>
  [...new Set(words.flatMap((w) => [w.word, ...w.parts, ...w.synonyms]))].sort((a, b) => b.length - a.length);

const HAN_RUN = /\p{Script=Han}{2,}/gu;
/** Marks a title's character pairs in the index, apart from its words. */
const GRAM_MARK = "ng";

/** The character pairs of a run of Han characters, in order, as index terms (周末亲子 → 周末ng 末亲ng
 * 亲子ng). A title's pairs let any part of it of two characters or more be found, whatever jieba made
 * of it (绘本 in 周末亲子绘本共读, 适老 in 居家适老化改造): the part's pairs stand next to each other. */
export function characterPairs(run: string): string[] {
  const chars = [...run];
  return chars.slice(1).map((char, i) => `${chars[i]}${char}${GRAM_MARK}`);
}

/** The runs of two or more Han characters in a text, folded as everything else is. */
export const hanRuns = (text: string): string[] => normalise(text).match(HAN_RUN) ?? [];

/** A title's character pairs, run by run: the index terms of sub-word search. */
export const titlePairs = (title: string): string[] => hanRuns(title).flatMap(characterPairs);

/** The category the words of a query name most (头晕 → medical), from the vocabulary's category
 * words, or null. */
export function queryCategory(text: string): string | null {
  return inferCategory(queryWords(text).flatMap((w) => [w.word, ...w.parts]));
}
