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
  /** Evidence of the shared tags: the sum of their idf, so a rare tag counts far more than "usa"; defaults to their number. */
  tagEvidence?: number;
  /** The same for shared named entities. */
  entityEvidence?: number;
  publishedAt: number;
  /** A photo gallery or video item. */
  isMedia: boolean;
  /** Index terms of the headline. */
  headlineTerms: string[];
  /** The item's most distinctive terms (headline and body), for near-duplicate detection; headline terms when absent. */
  contentTerms?: string[];
}

export interface RelatedSource {
  publishedAt: number;
  headlineTerms: string[];
  contentTerms?: string[];
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
  /** Jaccard similarity of the distinctive (headline and body) terms at which two items count as the same story. */
  duplicateJaccard: number;
  /**
   * Tag and entity evidence (sum of idf, in nats) at which those components reach one
   * half: they grow with how unlikely the overlap is by chance, not with the raw count.
   */
  evidenceHalf: number;
}

// Tuned on the even-numbered half of the Reuters-21578 training queries only
// (`npm run eval:related -- --split tune`); the odd half is held out for reporting.
export const DEFAULT_RELATED_WEIGHTS: RelatedWeights = {
  text: 0.7,
  tags: 0.2,
  entities: 0.1,
  halfLifeDays: 45,
  recencyFloor: 0.6,
  minScore: 0.1,
  duplicateJaccard: 0.75,
  evidenceHalf: 4,
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

/** Saturating score of overlap evidence: 0 for none, 1/2 at `half`, towards 1 beyond. */
export function evidenceScore(evidence: number, half: number): number {
  return evidence > 0 ? evidence / (evidence + half) : 0;
}

/** Combines the signals: weighted sum of normalized text, tag and entity overlap, times recency. */
export function scoreCandidates(source: RelatedSource, candidates: RelatedCandidate[], w: RelatedWeights = DEFAULT_RELATED_WEIGHTS): ScoredCandidate[] {
  const maxText = source.selfTextScore > 0 ? source.selfTextScore : Math.max(0, ...candidates.map((c) => c.textScore));
  return candidates
    .map((c) => {
      const text = maxText > 0 ? Math.min(1, c.textScore / maxText) : 0;
      // Sharing "usa" with half the archive says little; sharing a rare tag says a lot.
      const tags = evidenceScore(c.tagEvidence ?? c.sharedTags.length, w.evidenceHalf);
      const entities = evidenceScore(c.entityEvidence ?? c.sharedEntities.length, w.evidenceHalf);
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
  // Headlines alone mislead (wire headlines look alike): compare the distinctive terms of the whole text.
  const terms = (x: { headlineTerms: string[]; contentTerms?: string[] }) => x.contentTerms ?? x.headlineTerms;
  for (const c of scored) {
    if (c.score < w.minScore) continue;
    const dup =
      jaccard(terms(c), terms(source)) >= w.duplicateJaccard ||
      chosen.some((o) => jaccard(terms(c), terms(o)) >= w.duplicateJaccard);
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
