import genericWordFile from "./vocabulary/generic-words.json";
import categoryFile from "./vocabulary/query-categories.json";
import synonymFile from "./vocabulary/resident-synonyms.json";
import stopWordFile from "./vocabulary/stop-words.json";

// Residents' vocabulary, kept as data (app/search/vocabulary/*.json) so that it grows by editing
// lists, not code: the words services are written in for what residents type (洗澡 → 助浴, 理法 →
// 理发), the filler that says nothing about a match (我, 想, 找人, 帮忙, 一下), and the words that name
// a category (头晕 → 医疗健康). Both engines read it through the segmenter; tests check its shape.

/** Resident word → service words, one way. Sections of the file (养老助老, 常见错别字 …) are for
 * the people who edit it. */
export const RESIDENT_SYNONYMS: Readonly<Record<string, readonly string[]>> = Object.assign(
  {},
  ...Object.values(synonymFile.sections),
);

export const STOP_WORDS: ReadonlySet<string> = new Set(stopWordFile.words);

/** Words about the person or the rhythm (老人, 行动不便, 每周), not the service: no content fit on their
 * own, so matching leaves them out (segmenter searchWords). */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(genericWordFile.words);

/** Query word → the category code it names. */
export const QUERY_CATEGORIES: ReadonlyMap<string, string> = new Map(
  Object.entries(categoryFile.categories).flatMap(([code, words]) =>
    words.map((word) => [word, code] as const),
  ),
);

/** Resident words the segmenter must keep whole (腿脚不方便, 剪头发, 代买菜): the synonym keys and the
 * category words of two characters or more. */
export const RESIDENT_TERMS: readonly string[] = [
  ...new Set([...Object.keys(RESIDENT_SYNONYMS), ...QUERY_CATEGORIES.keys()].filter((w) => w.length > 1)),
];

/** The category most of these words name (the first named on a tie), or null when none names one. */
export function inferCategory(words: readonly string[]): string | null {
  const votes = new Map<string, number>();
  for (const word of words) {
    const code = QUERY_CATEGORIES.get(word);
    if (code) votes.set(code, (votes.get(code) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [code, n] of votes) if (best === null || n > (votes.get(best) ?? 0)) best = code;
  return best;
}
