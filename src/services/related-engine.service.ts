import { DomainError } from '../domain/errors.js';
import {
  DEFAULT_RELATED_WEIGHTS,
  scoreCandidates,
  selectDiverse,
  type RelatedCandidate,
  type RelatedWeights,
  type ScoredCandidate,
} from '../domain/related-scoring.js';
import type { RelatedRepository } from '../db/repositories/related.repository.js';
import type { IndexedDocument, SearchRepository } from '../db/repositories/search.repository.js';
import type { Clock } from './clock.js';
import { CountCache } from './count-cache.js';
import { idf, type ArticleChangeListener, type SearchService } from './search.service.js';

export interface RelatedEngineOptions {
  /** Engine items stored per article (below any editor pins). */
  listSize: number;
  /** Other articles whose lists are refreshed when one changes: bounded work per publish. */
  neighbourRefreshes: number;
  /** More-like-this: distinctive terms queried, and the candidates read back. */
  queryTerms: number;
  textCandidates: number;
  /** Most documents the more-like-this terms may match together (bounds the query's cost). */
  postingBudget: number;
  /** More-like-this skips terms found in more than this share of all documents. */
  maxTermShare: number;
  weights: RelatedWeights;
}

export const DEFAULT_RELATED_OPTIONS: RelatedEngineOptions = {
  listSize: 8,
  neighbourRefreshes: 8,
  queryTerms: 80,
  textCandidates: 100,
  postingBudget: 40_000,
  maxTermShare: 0.5,
  weights: DEFAULT_RELATED_WEIGHTS,
};

/** Why one item is in a list. */
export interface RelatedReason {
  id: number;
  pinned: boolean;
  score: number;
  components: ScoredCandidate['components'];
  sharedTerms: { term: string; weight: number }[];
  sharedTags: string[];
  sharedEntities: string[];
}

interface SourceContext {
  doc: IndexedDocument;
  /** tf-idf weights of the distinctive terms. */
  vector: Map<string, number>;
  norm: number;
  /** Tag id → idf, entity key → idf; and the same by name (shared tags and entities come back by name). */
  tagWeights: Map<number, number>;
  entityWeights: Map<string, number>;
  weightByTagName: Map<string, number>;
  weightByEntityName: Map<string, number>;
}

/**
 * The related-stories engine: for a published article, a ranked list from distinctive
 * shared terms (more-like-this over the search index), shared tags and named entities,
 * recency and diversity. Lists are stored as the unpinned part of `related`, below the
 * editors' pins, and refreshed whenever an article changes.
 */
export class RelatedEngineService implements ArticleChangeListener {
  readonly options: RelatedEngineOptions;
  /** How many articles carry a tag or name an entity (their idf), cleared on every change. */
  private readonly tagCounts: CountCache<number>;
  private readonly entityCounts: CountCache<string>;

  constructor(
    private readonly search: SearchRepository,
    private readonly related: RelatedRepository,
    private readonly searchService: SearchService,
    private readonly clock: Clock,
    options: Partial<RelatedEngineOptions> = {},
  ) {
    this.options = { ...DEFAULT_RELATED_OPTIONS, ...options, weights: { ...DEFAULT_RELATED_OPTIONS.weights, ...options.weights } };
    this.tagCounts = new CountCache((ids) => this.search.tagFrequencies(ids));
    this.entityCounts = new CountCache((keys) => this.search.entityFrequencies(keys));
  }

  /**
   * After a change: recomputes the article's own list, then the lists it should now
   * enter (its best matches) or leave (lists that held it), at most
   * `neighbourRefreshes` of them. An article that is no longer visible leaves every
   * engine list at once.
   */
  async articleChanged(articleId: number): Promise<void> {
    this.tagCounts.clear();
    this.entityCounts.clear();
    const now = this.clock();
    const doc = (await this.search.documents([articleId])).get(articleId);
    if (!doc) {
      const holders = await this.related.engineListsContaining(articleId, this.options.neighbourRefreshes);
      await this.related.deleteEngineLinksTo(articleId);
      await this.related.replaceEngineLinks(articleId, []);
      for (const id of holders) await this.refresh(id);
      return;
    }
    const list = await this.refresh(articleId);
    if (doc.publishedAt > now) return; // embargoed: other lists take it when it is due and next refreshed
    const holders = await this.related.engineListsContaining(articleId, this.options.neighbourRefreshes);
    const targets = [...new Set([...list.map((c) => c.id), ...holders])].slice(0, this.options.neighbourRefreshes);
    for (const id of targets) await this.refresh(id);
  }

  /** Recomputes and stores one article's engine list; returns it. */
  async refresh(articleId: number): Promise<ScoredCandidate[]> {
    const pinned = (await this.related.links(articleId)).filter((l) => l.pinned).map((l) => l.relatedId);
    const list = await this.compute(articleId, pinned);
    await this.related.replaceEngineLinks(
      articleId,
      list.map((c) => ({ relatedId: c.id, score: Math.round(c.score * 10_000) / 10_000 })),
    );
    return list;
  }

  /** Recomputes every published article's list (reindex). */
  async refreshAll(ids: number[], progress: (done: number) => void = () => {}): Promise<void> {
    for (const [i, id] of ids.entries()) {
      await this.refresh(id);
      progress(i + 1);
    }
  }

  /** The ranked engine list of an article, computed now (not stored). Empty when it is not indexed. */
  async compute(articleId: number, exclude: readonly number[] = []): Promise<ScoredCandidate[]> {
    const source = await this.source(articleId);
    if (!source) return [];
    const now = this.clock();
    const candidateIds = new Set<number>();
    const text = await this.textCandidates(source, now);
    for (const id of text.keys()) candidateIds.add(id);
    // Rarest tags and entities first: their few articles are the likeliest to be about the same thing.
    const rarest = <K>(weights: Map<K, number>, k: number) => [...weights].sort((a, b) => b[1] - a[1]).slice(0, k).map(([key]) => key);
    for (const { articleId: id } of await this.search.articlesSharingTags(rarest(source.tagWeights, 6), articleId, now, 20)) candidateIds.add(id);
    for (const { articleId: id } of await this.search.articlesSharingEntities(rarest(source.entityWeights, 6), articleId, now, 20)) candidateIds.add(id);
    candidateIds.delete(articleId);
    for (const id of exclude) candidateIds.delete(id);
    const ids = [...candidateIds];
    const [tagShares, entityShares] = await Promise.all([this.search.sharedTags(articleId, ids), this.search.sharedEntities(articleId, ids)]);
    const scored = await this.score(source, ids, now, tagShares, entityShares, text);
    return selectDiverse(this.relatedSource(source), scored, this.options.listSize, this.options.weights);
  }

  /** The article's current list (pins first, then the engine's), each with why it is there. */
  async explain(articleId: number): Promise<RelatedReason[]> {
    const source = await this.source(articleId);
    if (!source) throw new DomainError('ARTICLE_NOT_FOUND', `No published article has the id ${articleId}.`);
    const now = this.clock();
    const links = await this.related.links(articleId);
    const ids = links.map((l) => l.relatedId);
    const [tagShares, entityShares] = await Promise.all([
      this.search.sharedTags(articleId, ids),
      this.search.sharedEntities(articleId, ids),
    ]);
    const scored = new Map((await this.score(source, ids, now, tagShares, entityShares)).map((c) => [c.id, c]));
    const out: RelatedReason[] = [];
    for (const link of links) {
      const c = scored.get(link.relatedId);
      if (!c) continue; // not visible now
      out.push({
        id: c.id,
        pinned: link.pinned,
        score: c.score,
        components: c.components,
        sharedTerms: this.sharedTermWeights(source, c.id),
        sharedTags: c.sharedTags,
        sharedEntities: c.sharedEntities,
      });
    }
    return out;
  }

  private lastScoredVectors = new Map<number, Map<string, number>>();

  private sharedTermWeights(source: SourceContext, candidateId: number): { term: string; weight: number }[] {
    const v = this.lastScoredVectors.get(candidateId);
    if (!v) return [];
    return [...source.vector]
      .filter(([t]) => v.has(t))
      .map(([t, w]) => ({ term: t, weight: Math.round(((w * v.get(t)!) / source.norm) * 1000) / 1000 }))
      .sort((a, b) => b.weight - a.weight)
      .slice(0, 10);
  }

  private async source(articleId: number): Promise<SourceContext | null> {
    const doc = (await this.search.documents([articleId])).get(articleId);
    if (!doc) return null;
    const n = await this.searchService.documentCount();
    const [df, tags, entities] = await Promise.all([
      this.searchService.documentFrequencies(doc.topTerms.map(([t]) => t)),
      this.search.tagsOf(articleId),
      this.search.entitiesOf(articleId),
    ]);
    const [tagDf, entityDf] = await Promise.all([this.tagCounts.get(tags.map((t) => t.id)), this.entityCounts.get(entities.map((e) => e.key))]);
    const vector = this.vectorOf(doc, df, n);
    const tagWeights = new Map(tags.map((t) => [t.id, idf(tagDf.get(t.id) ?? 1, n)]));
    const entityWeights = new Map(entities.map((e) => [e.key, idf(entityDf.get(e.key) ?? 1, n)]));
    return {
      doc,
      vector,
      norm: Math.hypot(...vector.values()) || 1,
      tagWeights,
      entityWeights,
      weightByTagName: new Map(tags.map((t) => [t.name, tagWeights.get(t.id)!])),
      weightByEntityName: new Map(entities.map((e) => [e.name, entityWeights.get(e.key)!])),
    };
  }

  private vectorOf(doc: IndexedDocument, df: Map<string, number>, n: number): Map<string, number> {
    return new Map(doc.topTerms.map(([t, f]) => [t, (1 + Math.log(f)) * idf(df.get(t) || 1, n)]));
  }

  /** More-like-this: the source's most distinctive terms, OR-ed, best matches first. */
  private async textCandidates(source: SourceContext, now: number): Promise<Map<number, number>> {
    const n = await this.searchService.documentCount();
    const df = await this.searchService.documentFrequencies(source.vector.keys());
    const terms: string[] = [];
    let budget = this.options.postingBudget;
    for (const [term] of [...source.vector].sort((a, b) => b[1] - a[1])) {
      const d = df.get(term) ?? 0;
      if (d <= 1) continue; // only this article has it
      if (n > 200 && d > n * this.options.maxTermShare) continue; // too common to discriminate
      if (d > budget) continue;
      budget -= d;
      terms.push(term);
      if (terms.length >= this.options.queryTerms) break;
    }
    if (!terms.length) return new Map();
    const hits = await this.search.search(
      terms.map((t) => ({ terms: [t], prefix: false, negated: false })),
      {},
      now,
      { limit: this.options.textCandidates, offset: 0, order: 'relevance', mode: 'any', ranking: 'related' },
    );
    // BM25 (or ts_rank) relative to the article's own score against the same query: 1 = as close as itself.
    const self = hits.find((h) => h.articleId === source.doc.articleId)?.rank ?? Math.max(0, ...hits.map((h) => h.rank));
    return new Map(hits.map((h) => [h.articleId, self > 0 ? Math.min(1, h.rank / self) : 0]));
  }

  private async score(
    source: SourceContext,
    ids: number[],
    now: number,
    tagShares: Map<number, Set<string>>,
    entityShares: Map<number, Set<string>>,
    matchScores: Map<number, number> = new Map(),
  ): Promise<ScoredCandidate[]> {
    const docs = await this.search.documents(ids);
    const allTerms = new Set<string>();
    for (const d of docs.values()) for (const [t] of d.topTerms) allTerms.add(t);
    const df = await this.searchService.documentFrequencies(allTerms);
    const n = await this.searchService.documentCount();
    const candidates: RelatedCandidate[] = [];
    this.lastScoredVectors = new Map();
    const sum = (names: Set<string> | undefined, weights: Map<string, number>) => [...(names ?? [])].reduce((a, x) => a + (weights.get(x) ?? 0), 0);
    for (const d of docs.values()) {
      if (d.publishedAt > now) continue;
      const v = this.vectorOf(d, df, n);
      this.lastScoredVectors.set(d.articleId, v);
      let dot = 0;
      const shared: string[] = [];
      for (const [t, w] of source.vector) {
        const x = v.get(t);
        if (x !== undefined) {
          dot += w * x;
          shared.push(t);
        }
      }
      const vNorm = Math.hypot(...v.values()) || 1;
      const cosine = dot / (source.norm * vNorm);
      const tags = tagShares.get(d.articleId);
      const entities = entityShares.get(d.articleId);
      candidates.push({
        id: d.articleId,
        // The index's BM25 ranking of the whole text against the source's distinctive terms
        // (relative to the source's own score); the cosine of distinctive terms for items it did not return.
        textScore: matchScores.get(d.articleId) ?? cosine,
        sharedTerms: shared,
        sharedTags: [...(tags ?? [])],
        sharedEntities: [...(entities ?? [])],
        tagEvidence: sum(tags, source.weightByTagName),
        entityEvidence: sum(entities, source.weightByEntityName),
        publishedAt: d.publishedAt,
        isMedia: d.isMedia,
        headlineTerms: d.headlineTerms,
        contentTerms: d.topTerms.map(([t]) => t),
        vector: new Map([...v].map(([t, x]) => [t, x / vNorm])),
      });
    }
    return scoreCandidates(this.relatedSource(source), candidates, this.options.weights);
  }

  private relatedSource(source: SourceContext) {
    return {
      publishedAt: source.doc.publishedAt,
      headlineTerms: source.doc.headlineTerms,
      contentTerms: source.doc.topTerms.map(([t]) => t),
      tagCount: source.tagWeights.size,
      entityCount: source.entityWeights.size,
      selfTextScore: 1,
    };
  }
}
