// How a suggestion is scored (DESIGN §5): named weights, and the reasons shown beside each suggestion.
// The unit tests pin the orderings these weights cause; change them together.

export const MATCH_WEIGHTS = {
  /** How well the texts agree, relative to the best text match among the candidates. */
  TEXT: 0.45,
  /** The need's category is the service's. */
  SAME_CATEGORY: 0.25,
  /** The service serves the need's own community, not only a neighbouring one of the subdistrict. */
  SERVES_COMMUNITY: 0.12,
  /** The provider's record: fulfilled matches and residents' ratings. */
  RECORD: 0.12,
  /** The service has room this week. */
  SPARE_CAPACITY: 0.06,
} as const;

/** Fulfilled matches at which the record counts in full. */
export const RECORD_FULFILLED_FOR_FULL_MARKS = 5;
/** A text score at or above this (relative to the best) is called 内容相符, if the content fits. */
export const TEXT_REASON_THRESHOLD = 0.5;
/** The content fits when the engine's own score reaches this: with PostgreSQL, the share of the
 * text's words (at most eight, those that say most) that the other side matched. Tuned on the
 * labelled needs (tests/integration/matching-relevance.test.ts): recall@5 stays at 0.964, while a
 * need for 代买菜 no longer brings 书法兴趣班 because both mention 老人. */
export const MIN_CONTENT_FIT = 0.25;

export type MatchFeatures = {
  /** 0…1: the engine's score divided by the best among the candidates (0 without a text match). */
  text: number;
  /** 0…1: the engine's own score, how much of the text matched (see MIN_CONTENT_FIT). */
  content: number;
  sameCategory: boolean;
  servesCommunity: boolean;
  record: { fulfilled: number; averageRating: number | null };
  /** Seats left this week; null when the service states no weekly capacity. */
  spareThisWeek: number | null;
};

export type Scored = { score: number; reasons: string[] };

function recordScore({ fulfilled, averageRating }: MatchFeatures["record"]) {
  const experience = Math.min(1, fulfilled / RECORD_FULFILLED_FOR_FULL_MARKS);
  // Without ratings the provider is neither helped nor hurt by them: the middle of the scale.
  const rating = averageRating === null ? 0.5 : (averageRating - 1) / 4;
  return 0.6 * experience + 0.4 * rating;
}

function capacityScore(spare: number | null) {
  if (spare === null) return 0.5;
  return spare > 0 ? 1 : 0;
}

/** Whether a candidate may be suggested at all: the same category, or content that truly fits. A
 * shared common word (老人, 服务) is neither. */
export const fits = (features: Pick<MatchFeatures, "content" | "sameCategory">) =>
  features.sameCategory || features.content >= MIN_CONTENT_FIT;

export function scoreMatch(features: MatchFeatures): Scored {
  const text = Math.max(0, Math.min(1, features.text));
  const score =
    MATCH_WEIGHTS.TEXT * text +
    MATCH_WEIGHTS.SAME_CATEGORY * (features.sameCategory ? 1 : 0) +
    MATCH_WEIGHTS.SERVES_COMMUNITY * (features.servesCommunity ? 1 : 0) +
    MATCH_WEIGHTS.RECORD * recordScore(features.record) +
    MATCH_WEIGHTS.SPARE_CAPACITY * capacityScore(features.spareThisWeek);

  const reasons: string[] = [];
  if (text >= TEXT_REASON_THRESHOLD && features.content >= MIN_CONTENT_FIT) reasons.push("内容相符");
  if (features.sameCategory) reasons.push("同类别");
  reasons.push(features.servesCommunity ? "服务本社区" : "服务本街道");
  if (features.record.fulfilled > 0) reasons.push(`已完成 ${features.record.fulfilled} 次`);
  if (features.record.averageRating !== null)
    reasons.push(`评分 ${features.record.averageRating.toFixed(1)}`);
  if (features.spareThisWeek !== null)
    reasons.push(features.spareThisWeek > 0 ? "本周有名额" : "本周名额已满");
  return { score: Math.round(score * 1000) / 1000, reasons };
}
