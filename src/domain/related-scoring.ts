/**
 * Related-story scoring: how the engine turns signals about candidate articles into
 * one ranked, de-duplicated list. Pure: the engine and the evaluation harness share it.
 */

export interface RelatedCandidate {
  id: number;
  /** Text similarity from the full-text index (more-like-this), 0 when none. */
  textScore: number;
  sharedTerms: string[];
  sharedTags: string[];
  sharedEntities: string[];
  publishedAt: number;
  /** A photo gallery or video item. */
  isMedia: boolean;
  /** Index terms of the headline, for near-duplicate detection. */
  headlineTerms: string[];
}

export interface RelatedSource {
  publishedAt: number;
  headlineTerms: string[];
  tagCount: number;
  entityCount: number;
  /** The source's own text score against its own query (normalizes `textScore`), 0 when unknown. */
  selfTextScore: number;
}

export interface RelatedWeights {
  text: number;
  tags: number;
  entities: number;
  /** Age difference (days) at which the recency factor is halfway down to its floor. */
  halfLifeDays: number;
  /** The recency factor never goes below this: an old story can still be the best link. */
  recencyFloor: number;
  /** Items scoring below this are left out rather than padding the list. */
  minScore: number;
  /** Headline-term Jaccard similarity at which two items count as the same story. */
  duplicateJaccard: number;
}

export const DEFAULT_RELATED_WEIGHTS: RelatedWeights = {
  text: 0.7,
  tags: 0.2,
  entities: 0.1,
  halfLifeDays: 45,
  recencyFloor: 0.6,
  minScore: 0.1,
  duplicateJaccard: 0.75,
};

export interface ScoredCandidate extends RelatedCandidate {
  score: number;
  components: { text: number; tags: number; entities: number; recency: number };
}

const DAY_MS = 86_400_000;

export function recencyFactor(sourceAt: number, candidateAt: number, w: RelatedWeights): number {
  const days = Math.abs(sourceAt - candidateAt) / DAY_MS;
  return w.recencyFloor + (1 - w.recencyFloor) * 2 ** (-days / w.halfLifeDays);
}

/** Combines the signals: weighted sum of normalized text, tag and entity overlap, times recency. */
export function scoreCandidates(source: RelatedSource, candidates: RelatedCandidate[], w: RelatedWeights = DEFAULT_RELATED_WEIGHTS): ScoredCandidate[] {
  const maxText = source.selfTextScore > 0 ? source.selfTextScore : Math.max(0, ...candidates.map((c) => c.textScore));
  return candidates
    .map((c) => {
      const text = maxText > 0 ? Math.min(1, c.textScore / maxText) : 0;
      // Overlap relative to what the source has: sharing 2 of its 3 tags says more than 2 of 20.
      const tags = source.tagCount ? Math.min(1, c.sharedTags.length / Math.min(source.tagCount, 3)) : 0;
      const entities = source.entityCount ? Math.min(1, c.sharedEntities.length / Math.min(source.entityCount, 4)) : 0;
      const recency = recencyFactor(source.publishedAt, c.publishedAt, w);
      const score = (w.text * text + w.tags * tags + w.entities * entities) * recency;
      return { ...c, score, components: { text, tags, entities, recency } };
    })
    .sort((a, b) => b.score - a.score || b.publishedAt - a.publishedAt || b.id - a.id);
}

export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  const sa = new Set(a);
  const sb = new Set(b);
  let shared = 0;
  for (const x of sa) if (sb.has(x)) shared++;
  return shared / (sa.size + sb.size - shared);
}

/**
 * The final list: best first, near-duplicates of the source or of a better item
 * collapsed, weak items dropped, and one photo/video item brought in when none made
 * the list but one scores at least half as well as the last item.
 */
export function selectDiverse(source: RelatedSource, scored: ScoredCandidate[], limit: number, w: RelatedWeights = DEFAULT_RELATED_WEIGHTS): ScoredCandidate[] {
  const chosen: ScoredCandidate[] = [];
  const rest: ScoredCandidate[] = [];
  for (const c of scored) {
    if (c.score < w.minScore) continue;
    const dup =
      jaccard(c.headlineTerms, source.headlineTerms) >= w.duplicateJaccard ||
      chosen.some((o) => jaccard(c.headlineTerms, o.headlineTerms) >= w.duplicateJaccard);
    if (dup) continue;
    if (chosen.length < limit) chosen.push(c);
    else rest.push(c);
  }
  const last = chosen.at(-1);
  if (last && chosen.length === limit && !chosen.some((c) => c.isMedia)) {
    const media = rest.find((c) => c.isMedia && c.score >= last.score * 0.5);
    if (media) chosen[chosen.length - 1] = media;
  }
  return chosen;
}
