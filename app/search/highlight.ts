import type { Highlight } from "./engine";

// Highlights are computed here from the query words rather than by an engine, so both engines mark
// the same characters and the UI renders <mark> from ranges instead of trusting engine HTML.

/** The text folded as the segmenter folds it (NFKC, lower case), which is what the terms are made of,
 * with the [start, end) of the original characters behind each folded code unit: folding can change
 * lengths (ＷｉＦｉ stays 4, ㈱ becomes 3, İ becomes 2), so ranges are mapped back, not reused. */
function fold(text: string): { folded: string; starts: number[]; ends: number[] } {
  let folded = "";
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  // A character with its combining marks, so that e + ◌́ folds to é as in the whole-text NFKC.
  for (const [cluster] of text.matchAll(/\P{M}\p{M}*|\p{M}+/gsu)) {
    const piece = cluster.normalize("NFKC").toLowerCase();
    for (let i = 0; i < piece.length; i++) {
      starts.push(at);
      ends.push(at + cluster.length);
    }
    folded += piece;
    at += cluster.length;
  }
  return { folded, starts, ends };
}

/** Non-overlapping [start, end) ranges of the text where any of the terms occurs (longest term wins). */
export function findHighlights(text: string, terms: readonly string[]): Highlight[] {
  const { folded, starts, ends } = fold(text);
  const ranges: Highlight[] = [];
  for (const term of [...terms].sort((a, b) => b.length - a.length)) {
    if (!term) continue;
    for (let at = folded.indexOf(term); at !== -1; at = folded.indexOf(term, at + term.length)) {
      const start = starts[at] ?? 0;
      const end = ends[at + term.length - 1] ?? text.length;
      if (!ranges.some(([s, e]) => start < e && end > s)) ranges.push([start, end]);
    }
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

const SNIPPET_LENGTH = 90;
const LEAD = 24;

/** A window of the body around its first match, with the highlights shifted into it. */
export function makeSnippet(
  body: string,
  terms: readonly string[],
): { snippet: string; highlights: Highlight[] } {
  const all = findHighlights(body, terms);
  if (body.length <= SNIPPET_LENGTH) return { snippet: body, highlights: all };
  const first = all[0]?.[0] ?? 0;
  const start = Math.max(0, Math.min(first - LEAD, body.length - SNIPPET_LENGTH));
  const end = start + SNIPPET_LENGTH;
  const prefix = start > 0 ? "…" : "";
  const suffix = end < body.length ? "…" : "";
  const shift = prefix.length - start;
  return {
    snippet: prefix + body.slice(start, end) + suffix,
    highlights: all
      .filter(([s, e]) => s >= start && e <= end)
      .map(([s, e]): Highlight => [s + shift, e + shift]),
  };
}
