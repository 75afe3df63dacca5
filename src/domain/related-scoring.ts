/**
 * Related-story scoring: how the engine turns signals about candidate articles into
 * one ranked, de-duplicated list. Pure: the engine and the evaluation harness share it.
 */
import { modelProbability, type RelatedFeatures, type RelatedModel } from './related-model.js';
import { cosine } from './related-vectors.js';

export interface RelatedCandidate {
  id: number;
  /** The item's distinctive index terms (headline and body) with how often it uses each. */
  terms: ReadonlyMap<string, number>;
  /** How many index terms the whole item has: BM25 weighs a match in a long text less. */
  length: number;
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
  /** Language code (`ar`, `fa`, `en`…), when known. */
  language?: string;
  /** Its semantic vector (unit length, `related-vectors.ts`), when it has one. */
  vector?: Float32Array;
}

export interface RelatedSource {
  publishedAt: number;
  headlineTerms: string[];
  /** The source's distinctive terms with their frequency: the query. */
  terms: ReadonlyMap<string, number>;
  length: number;
  /** Inverse document frequency of the source's and the candidates' terms (a term left out weighs 1). */
  idf: ReadonlyMap<string, number>;
  /** Language code, when known (a signal of the learned model). */
  language?: string;
  /** Its semantic vector, when it has one. */
  vector?: Float32Array;
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
  /**
   * Direct evidence an item needs, whatever its other signals: this much text similarity
   * (its BM25 for the source's terms, as a share of the source's own), or a shared tag.
   * Neighbourhood agreement and recency only rank items that pass: an article with no
   * real match would otherwise get the "best" of its chance matches. Calibrated on the
   * tune halves (README, "No filler").
   */
  minText: number;
  /** Jaccard similarity of the distinctive (headline and body) terms at which two items count as the same story… */
  duplicateJaccard: number;
  /** …provided their headlines are this alike too (a follow-up reusing background text is a new story). */
  duplicateHeadlineJaccard: number;
  /**
   * Tag and entity evidence (sum of idf, in nats) at which those components reach one
   * half: they grow with how unlikely the overlap is by chance, not with the raw count.
   */
  evidenceHalf: number;
  /** BM25 term-frequency saturation: a word's second use in a text adds less than its first. */
  k1: number;
  /** BM25 length normalisation, 0 to 1: how much less a match counts in a longer text. */
  b: number;
  /**
   * Neighbourhood agreement (pseudo-relevance feedback): a candidate's similarity to
   * the `coherenceLead` best matches, each counting as much as it matches the source.
   * An item that resembles the whole neighbourhood, not just a few shared words (a
   * name, a place), is more likely about the same subject.
   */
  coherence: number;
  coherenceLead: number;
  /**
   * Title to title: the idf-weighted share of the source's headline terms a candidate's
   * headline shares (headlines name the subject; bodies wander).
   */
  headline: number;
  /**
   * When set, the ranking score is this logistic model's probability over the signals
   * (weights learned on the tune halves, `related-model.ts`) instead of the hand-set sum,
   * and its `minProbability` replaces `minScore`. `minText` applies either way.
   */
  model: RelatedModel | null;
  /** Models for articles in one language (learned on a corpus in it), before `model`. */
  modelByLanguage: Readonly<Record<string, RelatedModel>>;
  /**
   * The same two, learned with the semantic signals (`related-vectors.ts`): used instead
   * whenever the article has a semantic vector. Until the first reindex builds the basis
   * there is none, and the models above rank as before.
   */
  semanticModel: RelatedModel | null;
  semanticModelByLanguage: Readonly<Record<string, RelatedModel>>;
}

/** The learned model that ranks an article's candidates, if any. */
export function modelFor(source: Pick<RelatedSource, 'language' | 'vector'>, w: RelatedWeights): RelatedModel | null {
  const semantic = source.vector && ((source.language !== undefined && w.semanticModelByLanguage[source.language]) || w.semanticModel);
  return semantic || (source.language !== undefined && w.modelByLanguage[source.language]) || w.model;
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
  minText: 0.075,
  duplicateJaccard: 0.9,
  duplicateHeadlineJaccard: 0.5,
  evidenceHalf: 4,
  k1: 1.5,
  b: 0.75,
  coherence: 2,
  coherenceLead: 40,
  headline: 0,
  // Learned pairwise over each query's best 20 candidates by the hand-set score above, on
  // every Reuters tune query (English: `npm run eval:related -- --split tune --learn
  // --weights '{"model":null,"modelByLanguage":{}}'`) and 1,000 ANT tune queries (Arabic:
  // `--corpus ../shared/corpora/ant-ar-tune.jsonl --split tune --queries 1000 --learn`).
  // README, "Ideas measured". English `tags` is set to 0 by hand (fitted −1.067 on Reuters,
  // whose "tags" are places and organisations): an editor's tag never counts against a story.
  model: {
    bias: 0,
    weights: { text: 2.815, coherence: 2.013, near: 0.446, headline: 0.919, tags: 0, entities: -0.694, recent: 0.315, sameLanguage: 0, textShare: 0.418, coherenceShare: 2.792, lengthGap: 0.047, semantic: 0, semanticShare: 0, semanticNear: 0, rare: 0 },
    minProbability: 0,
  },
  modelByLanguage: {
    ar: {
      bias: 0,
      weights: { text: -0.751, coherence: -1.001, near: 2.36, headline: 0.323, tags: 0, entities: 0.373, recent: 0.158, sameLanguage: 0, textShare: 1.058, coherenceShare: 0.095, lengthGap: 0.006, semantic: 0, semanticShare: 0, semanticNear: 0, rare: 0 },
      minProbability: 0,
    },
  },
  // English learned the same way with the semantic signals (vectors built at reindex), on
  // 1,500 Reuters tune queries (`--split tune --queries 1500 --learn`); README, "Ideas
  // measured". `tags` at 0 again (fitted −1.546), for the same reason.
  semanticModel: {
    bias: 0,
    weights: { text: -0.35, coherence: 3.334, near: -1.684, headline: 1.049, tags: 0, entities: -0.518, recent: 0.185, sameLanguage: 0, textShare: 0.203, coherenceShare: 1.281, lengthGap: 0.115, semantic: 4.364, semanticShare: 1.413, semanticNear: 1.293, rare: 0 },
    minProbability: 0,
  },
  semanticModelByLanguage: {
    // Arabic, learned with the `rare` signal (the source's rarest terms) on the whole ANT tune
    // half (2,540 queries: `--corpus ../shared/corpora/ant-ar-tune.jsonl --split tune --learn`);
    // README, "Fourth round". Agreement with the 5 best comes out negative beside their
    // semantic agreement, which carries the neighbourhood instead.
    ar: {
      bias: 0,
      weights: { text: -0.879, coherence: -0.476, near: -1.966, headline: 0.158, tags: 0, entities: 0.441, recent: 0.198, sameLanguage: 0, textShare: 0.682, coherenceShare: -0.175, lengthGap: -0.041, semantic: 1.286, semanticShare: -0.097, semanticNear: 1.393, rare: 0.524 },
      minProbability: 0,
    },
  },
};

export interface ScoredCandidate extends RelatedCandidate {
  score: number;
  components: { text: number; tags: number; entities: number; coherence: number; recency: number; headline: number };
  /** The source's terms it shares, each with its part of the text component, largest first. */
  sharedTerms: { term: string; weight: number }[];
  /** The signals the learned model reads. */
  features: RelatedFeatures;
}

type Terms = ReadonlyMap<string, number>;

const DAY_MS = 86_400_000;

export function recencyFactor(sourceAt: number, candidateAt: number, w: RelatedWeights): number {
  const days = Math.abs(sourceAt - candidateAt) / DAY_MS;
  return w.recencyFloor + (1 - w.recencyFloor) * 2 ** (-days / w.halfLifeDays);
}

/** Saturating score of overlap evidence: 0 for none, 1/2 at `half`, towards 1 beyond. */
export function evidenceScore(evidence: number, half: number): number {
  return evidence > 0 ? evidence / (evidence + half) : 0;
}

/** A text's terms as a query: log-damped frequency times idf. */
function queryWeights(terms: Terms, idf: Terms): Map<string, number> {
  const out = new Map<string, number>();
  for (const [t, f] of terms) out.set(t, (1 + Math.log(f)) * (idf.get(t) ?? 1));
  return out;
}

/** Okapi BM25 of a document (term frequencies and length) for weighted query terms; `each` sees every matching term's part. */
export function bm25(
  query: Terms,
  doc: { terms: Terms; length: number },
  averageLength: number,
  w: Pick<RelatedWeights, 'k1' | 'b'>,
  each?: (term: string, part: number) => void,
): number {
  const norm = w.k1 * (1 - w.b + (w.b * doc.length) / (averageLength || 1));
  let sum = 0;
  const add = (t: string, q: number, f: number) => {
    const part = (q * f * (w.k1 + 1)) / (f + norm);
    sum += part;
    each?.(t, part);
  };
  // Walk the smaller side: a summed neighbourhood query has far more terms than one document.
  if (query.size <= doc.terms.size) {
    for (const [t, q] of query) {
      const f = doc.terms.get(t);
      if (f !== undefined) add(t, q, f);
    }
  } else {
    for (const [t, f] of doc.terms) {
      const q = query.get(t);
      if (q !== undefined) add(t, q, f);
    }
  }
  return sum;
}

/** Text, tag and entity evidence of each candidate, before neighbourhood agreement. */
function firstPass(source: RelatedSource, candidates: RelatedCandidate[], w: RelatedWeights) {
  // Lengths are compared with the candidates' own average: no corpus-wide statistic needed.
  const averageLength = candidates.reduce((sum, c) => sum + c.length, source.length) / (candidates.length + 1);
  const query = queryWeights(source.terms, source.idf);
  const self = bm25(query, source, averageLength, w) || 1;
  const headlineIdf = new Map([...new Set(source.headlineTerms)].map((t) => [t, source.idf.get(t) ?? 1]));
  const headlineTotal = [...headlineIdf.values()].reduce((a, b) => a + b, 0);
  const first = candidates.map((c) => {
    const sharedTerms: { term: string; weight: number }[] = [];
    const text = Math.min(1, bm25(query, c, averageLength, w, (term, part) => sharedTerms.push({ term, weight: part / self })) / self);
    sharedTerms.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1));
    // Sharing "usa" with half the archive says little; sharing a rare tag says a lot.
    const tags = evidenceScore(c.tagEvidence ?? c.sharedTags.length, w.evidenceHalf);
    const entities = evidenceScore(c.entityEvidence ?? c.sharedEntities.length, w.evidenceHalf);
    let sharedHeadline = 0;
    if (headlineTotal) for (const t of new Set(c.headlineTerms)) sharedHeadline += headlineIdf.get(t) ?? 0;
    const headline = headlineTotal ? sharedHeadline / headlineTotal : 0;
    const base = w.text * text + w.tags * tags + w.entities * entities + w.headline * headline;
    return { c, text, tags, entities, headline, base, recency: recencyFactor(source.publishedAt, c.publishedAt, w), sharedTerms };
  });
  // The lead: the best by these signals, whose summed queries measure agreement.
  const lead = [...first].sort((a, b) => b.base * b.recency - a.base * a.recency || b.c.id - a.c.id).slice(0, w.coherenceLead);
  return { averageLength, first, lead };
}

/** Scoring in two steps: `lead` is known first, `finish()` reads the idf of its terms. */
export interface ScoringPass {
  /** The candidates whose terms' idf `finish()` reads besides the source's (the neighbourhood query is made of theirs). */
  lead: RelatedCandidate[];
  finish(): ScoredCandidate[];
}

/**
 * Combines the signals: a weighted sum of text similarity (BM25 of the candidate for
 * the source's terms, relative to the source's own score), tag and entity overlap and
 * neighbourhood agreement, times recency. Agreement is measured against the best items
 * by the other signals (the lead), each item never against itself. The work is linear
 * in candidates × terms: the lead's queries are summed into one first. `source.idf`
 * must hold the source's terms now and its lead's by `finish()`: a caller need look up
 * no other term.
 */
export function startScoring(source: RelatedSource, candidates: RelatedCandidate[], w: RelatedWeights = DEFAULT_RELATED_WEIGHTS): ScoringPass {
  const { averageLength, first, lead } = firstPass(source, candidates, w);
  return { lead: lead.map((l) => l.c), finish: () => finishScores(source, first, lead, averageLength, w) };
}

/** Both steps at once, for a `source.idf` that already holds every term. */
export function scoreCandidates(source: RelatedSource, candidates: RelatedCandidate[], w: RelatedWeights = DEFAULT_RELATED_WEIGHTS): ScoredCandidate[] {
  return startScoring(source, candidates, w).finish();
}

type FirstPass = ReturnType<typeof firstPass>;

/** How many of the lead make up the near neighbourhood (the story rather than the subject). */
const NEAR_LEAD = 5;

/**
 * Agreement with a lead: the lead's queries, each relative to its own score for itself
 * and weighted by how well it matches the source, summed into one (Rocchio's centroid);
 * a candidate's BM25 for it, its own part taken out, as a share of the lead's weight.
 */
function agreement(source: RelatedSource, lead: readonly { c: RelatedCandidate; base: number }[], averageLength: number, w: RelatedWeights) {
  const centroid = new Map<string, number>();
  const leadWeight = new Map<number, number>();
  let total = 0;
  for (const l of lead) {
    const weight = Math.max(0, l.base);
    const q = queryWeights(l.c.terms, source.idf);
    const own = bm25(q, l.c, averageLength, w);
    if (!weight || !own) continue;
    for (const [t, x] of q) centroid.set(t, (centroid.get(t) ?? 0) + (weight * x) / own);
    leadWeight.set(l.c.id, weight);
    total += weight;
  }
  return (c: RelatedCandidate) => {
    // A lead item's own query scores it exactly 1: take that out.
    const own = leadWeight.get(c.id) ?? 0;
    return total - own > 0 ? Math.max(0, bm25(centroid, c, averageLength, w) - own) / (total - own) : 0;
  };
}

/** Cosine of a candidate's vector with the sum of the lead's (its own taken out when it is one of them). */
function semanticAgreement(lead: readonly RelatedCandidate[]) {
  const dims = lead.find((c) => c.vector)?.vector?.length ?? 0;
  const sum = new Float64Array(dims);
  for (const c of lead) if (c.vector?.length === dims) for (let i = 0; i < dims; i++) sum[i]! += c.vector[i]!;
  const inLead = new Set(lead.map((c) => c.id));
  return (c: RelatedCandidate) => {
    if (!dims || c.vector?.length !== dims) return 0;
    let dot = 0;
    let norm = 0;
    for (let i = 0; i < dims; i++) {
      const x = sum[i]! - (inLead.has(c.id) ? c.vector[i]! : 0);
      dot += x * c.vector[i]!;
      norm += x * x;
    }
    return norm > 0 ? dot / Math.sqrt(norm) : 0;
  };
}

/** How many of the source's rarest terms make up the `rare` signal. */
const RARE_TERMS = 10;

/**
 * The rare words two stories share: a candidate's BM25 for the source's `RARE_TERMS`
 * terms of highest idf alone, as a share of the source's own score for them. The text
 * signal is dominated by the many terms a whole neighbourhood shares; this one is not.
 */
function rareText(source: RelatedSource, averageLength: number, w: RelatedWeights) {
  const rarest = [...source.terms]
    .map(([t, f]) => ({ t, f, idf: source.idf.get(t) ?? 1 }))
    .sort((a, b) => b.idf - a.idf || (a.t < b.t ? -1 : 1))
    .slice(0, RARE_TERMS);
  const query = new Map(rarest.map((x) => [x.t, (1 + Math.log(x.f)) * x.idf]));
  const self = bm25(query, source, averageLength, w) || 1;
  return (c: RelatedCandidate) => Math.min(1, bm25(query, c, averageLength, w) / self);
}

function finishScores(source: RelatedSource, first: FirstPass['first'], lead: FirstPass['lead'], averageLength: number, w: RelatedWeights): ScoredCandidate[] {
  const subject = agreement(source, lead, averageLength, w);
  const story = agreement(source, lead.slice(0, NEAR_LEAD), averageLength, w);
  const model = modelFor(source, w);
  const withAgreement = first.map((f) => ({ ...f, coherence: subject(f.c), near: story(f.c) }));
  const bestText = Math.max(0, ...withAgreement.map((f) => f.text)) || 1;
  const bestCoherence = Math.max(0, ...withAgreement.map((f) => f.coherence)) || 1;
  const semantic = new Map(first.map((f) => [f.c.id, cosine(source.vector, f.c.vector)]));
  const bestSemantic = Math.max(0, ...semantic.values()) || 1;
  const semanticNear = semanticAgreement(lead.slice(0, NEAR_LEAD).map((l) => l.c));
  const rare = rareText(source, averageLength, w);
  return withAgreement
    .map(({ c, text, tags, entities, headline, base, recency, sharedTerms, coherence, near }) => {
      const features: RelatedFeatures = {
        text,
        coherence,
        near,
        headline,
        tags,
        entities,
        recent: 2 ** (-Math.abs(source.publishedAt - c.publishedAt) / DAY_MS / w.halfLifeDays),
        sameLanguage: source.language !== undefined && c.language === source.language ? 1 : 0,
        textShare: text / bestText,
        coherenceShare: coherence / bestCoherence,
        lengthGap: Math.min(3, Math.abs(Math.log((c.length || 1) / (source.length || 1)))),
        semantic: semantic.get(c.id)!,
        semanticShare: Math.max(0, semantic.get(c.id)!) / bestSemantic,
        semanticNear: semanticNear(c),
        rare: rare(c),
      };
      const score = model ? modelProbability(model, features) : (base + w.coherence * coherence) * recency;
      return { ...c, score, components: { text, tags, entities, coherence, recency, headline }, sharedTerms, features };
    })
    .sort((a, b) => b.score - a.score || b.publishedAt - a.publishedAt || b.id - a.id);
}

type TermSet = readonly string[] | ReadonlySet<string> | ReadonlyMap<string, unknown>;

/** Jaccard similarity of two term sets (arrays, sets or the keys of maps). */
export function jaccard(a: TermSet, b: TermSet): number {
  const sa = Array.isArray(a) ? new Set<string>(a) : (a as ReadonlySet<string>);
  const sb = Array.isArray(b) ? new Set<string>(b) : (b as ReadonlySet<string>);
  if (!sa.size || !sb.size) return 0;
  let shared = 0;
  for (const x of sa.keys()) if (sb.has(x)) shared++;
  return shared / (sa.size + sb.size - shared);
}

/** Whether an item shares enough with the source to be shown at all (see `minText`). */
export function hasEvidence(c: Pick<ScoredCandidate, 'components'>, w: RelatedWeights): boolean {
  return c.components.text >= w.minText || c.components.tags > 0;
}

/**
 * The final list: best first, near-duplicates of the source or of a better item
 * collapsed, weak items dropped, and one photo/video item brought in when none made
 * the list but one scores at least half as well as the last item.
 */
export function selectDiverse(
  source: RelatedSource,
  scored: ScoredCandidate[],
  limit: number,
  w: RelatedWeights = DEFAULT_RELATED_WEIGHTS,
  enough?: (chosen: ScoredCandidate) => boolean,
): ScoredCandidate[] {
  const chosen: ScoredCandidate[] = [];
  const rest: ScoredCandidate[] = [];
  const model = modelFor(source, w);
  // Headlines alone mislead (wire headlines look alike): compare the distinctive terms of the whole text.
  type Item = { headlineTerms: string[]; terms: Terms };
  const same = (a: Item, b: Item) =>
    // Sets this different in size cannot reach the threshold: skip counting.
    Math.min(a.terms.size, b.terms.size) >= w.duplicateJaccard * Math.max(a.terms.size, b.terms.size) &&
    jaccard(a.terms, b.terms) >= w.duplicateJaccard &&
    jaccard(a.headlineTerms, b.headlineTerms) >= w.duplicateHeadlineJaccard;
  for (const c of scored) {
    if (c.score < (model ? model.minProbability : w.minScore) || !hasEvidence(c, w)) continue;
    if (chosen.length === limit && !c.isMedia) continue; // past the list only a media item can still come in
    const dup = same(c, source) || chosen.some((o) => same(c, o));
    if (dup) continue;
    if (chosen.length < limit) chosen.push(c);
    else rest.push(c);
    // What follows can no longer change the caller's list (see `sameLanguageFirstSelection`).
    if (enough?.(c)) return chosen;
  }
  const last = chosen.at(-1);
  if (last && chosen.length === limit && !chosen.some((c) => c.isMedia)) {
    const media = rest.find((c) => c.isMedia && c.score >= last.score * 0.5);
    if (media) chosen[chosen.length - 1] = media;
  }
  return chosen;
}

/** Languages whose readers are served same-language stories first (a box of English stories under an Arabic article is no help). */
export const SAME_LANGUAGE_FIRST = new Set(['ar', 'fa']);

/**
 * The final list of `limit` (`selectDiverse`, then `sameLanguageFirst`). On an Arabic or
 * Persian article every candidate goes through the selection, not only the first `limit`,
 * so that `sameLanguageFirst` can put the source's language first; the selection stops
 * once `limit` items in that language are chosen: the list is then theirs, whatever
 * follows (each candidate was compared with every item chosen before it, 130 × 130 term
 * sets for an Arabic article's list, twice the time of an English one's).
 */
export function sameLanguageFirstSelection(source: RelatedSource, scored: ScoredCandidate[], limit: number, w: RelatedWeights = DEFAULT_RELATED_WEIGHTS): ScoredCandidate[] {
  const language = source.language ?? '';
  if (!SAME_LANGUAGE_FIRST.has(language)) return selectDiverse(source, scored, limit, w).slice(0, limit);
  let inLanguage = 0;
  const list = selectDiverse(source, scored, scored.length, w, (c) => c.language === language && ++inLanguage >= limit);
  return sameLanguageFirst(language, list, limit).slice(0, limit);
}

/**
 * On an Arabic or Persian article, stories in its language come first: when at least
 * `limit` of them qualify the list is theirs alone, otherwise they lead and others fill
 * the rest, each group in score order. Other languages keep the plain ranking.
 */
export function sameLanguageFirst<T extends { language?: string }>(language: string, ranked: T[], limit: number): T[] {
  if (!SAME_LANGUAGE_FIRST.has(language)) return ranked;
  const same = ranked.filter((c) => c.language === language);
  if (same.length >= limit) return same;
  return [...same, ...ranked.filter((c) => c.language !== language)];
}
