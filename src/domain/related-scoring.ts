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
  /** Unit-length tf-idf vector of those terms, for the neighbourhood signal; none, none of it. */
  vector?: ReadonlyMap<string, number>;
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
  /** Jaccard similarity of the distinctive (headline and body) terms at which two items count as the same story… */
  duplicateJaccard: number;
  /** …provided their headlines are this alike too (a follow-up reusing background text is a new story). */
  duplicateHeadlineJaccard: number;
  /**
   * Tag and entity evidence (sum of idf, in nats) at which those components reach one
   * half: they grow with how unlikely the overlap is by chance, not with the raw count.
   */
  evidenceHalf: number;
  /**
   * Neighbourhood agreement: a candidate's mean cosine with the `coherenceLead` best
   * text matches. An item that resembles the whole neighbourhood, not just a few shared
   * words, is more likely about the same subject (cluster-based re-ranking).
   */
  coherence: number;
  coherenceLead: number;
}

// Tuned on the even-numbered half of the Reuters-21578 training queries only
// (`npm run eval:related -- --split tune`); the odd half is held out for reporting.
export const DEFAULT_RELATED_WEIGHTS: RelatedWeights = {
  text: 1,
  tags: 0.005,
  entities: 0.005,
  halfLifeDays: 45,
  recencyFloor: 0.9,
  minScore: 0.15,
  duplicateJaccard: 0.9,
  duplicateHeadlineJaccard: 0.5,
  evidenceHalf: 4,
  coherence: 2,
  coherenceLead: 20,
};

export interface ScoredCandidate extends RelatedCandidate {
  score: number;
  components: { text: number; tags: number; entities: number; coherence: number; recency: number };
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

/** Dot product of two sparse vectors (the cosine when both have unit length). */
export function dot(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  if (a.size > b.size) [a, b] = [b, a];
  let sum = 0;
  for (const [t, w] of a) {
    const x = b.get(t);
    if (x !== undefined) sum += w * x;
  }
  return sum;
}

/**
 * Combines the signals: a weighted sum of normalized text, tag and entity overlap and
 * neighbourhood agreement, times recency. Agreement is measured against the best items
 * by the other signals (the lead), each item never against itself.
 */
export function scoreCandidates(source: RelatedSource, candidates: RelatedCandidate[], w: RelatedWeights = DEFAULT_RELATED_WEIGHTS): ScoredCandidate[] {
  const maxText = source.selfTextScore > 0 ? source.selfTextScore : Math.max(0, ...candidates.map((c) => c.textScore));
  const first = candidates.map((c) => {
    const text = maxText > 0 ? Math.min(1, c.textScore / maxText) : 0;
    // Sharing "usa" with half the archive says little; sharing a rare tag says a lot.
    const tags = evidenceScore(c.tagEvidence ?? c.sharedTags.length, w.evidenceHalf);
    const entities = evidenceScore(c.entityEvidence ?? c.sharedEntities.length, w.evidenceHalf);
    return { c, text, tags, entities, base: w.text * text + w.tags * tags + w.entities * entities };
  });
  const lead = [...first]
    .sort((a, b) => b.base - a.base || b.c.id - a.c.id)
    .slice(0, w.coherenceLead)
    .filter((x) => x.c.vector);
  return first
    .map(({ c, text, tags, entities, base }) => {
      let coherence = 0;
      if (c.vector && lead.length) {
        const others = lead.filter((o) => o.c.id !== c.id);
        coherence = others.length ? others.reduce((sum, o) => sum + dot(c.vector!, o.c.vector!), 0) / others.length : 0;
      }
      const recency = recencyFactor(source.publishedAt, c.publishedAt, w);
      const score = (base + w.coherence * coherence) * recency;
      return { ...c, score, components: { text, tags, entities, coherence, recency } };
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
  type Item = { headlineTerms: string[]; contentTerms?: string[] };
  const same = (a: Item, b: Item) =>
    jaccard(a.contentTerms ?? a.headlineTerms, b.contentTerms ?? b.headlineTerms) >= w.duplicateJaccard &&
    jaccard(a.headlineTerms, b.headlineTerms) >= w.duplicateHeadlineJaccard;
  for (const c of scored) {
    if (c.score < w.minScore) continue;
    const dup = same(c, source) || chosen.some((o) => same(c, o));
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
