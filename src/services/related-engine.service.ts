import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';
import {
  DEFAULT_RELATED_WEIGHTS,
  sameLanguageFirstSelection,
  startScoring,
  type RelatedCandidate,
  type RelatedSource,
  type RelatedWeights,
  type ScoredCandidate,
} from '../domain/related-scoring.js';
import { foldIn, learnBasis, vectorFromBytes, vectorToBytes, type TermCounts } from '../domain/related-vectors.js';
import type { RelatedRepository } from '../db/repositories/related.repository.js';
import type { IndexedDocument, SearchRepository } from '../db/repositories/search.repository.js';
import type { Clock } from './clock.js';
import { CountCache } from './count-cache.js';
import { nextTurn } from './next-turn.js';
import { idf } from './search-document.js';
import type { ArticleChangeListener, SearchService } from './search.service.js';

export interface RelatedEngineOptions {
  /** Engine items stored per article (below any editor pins). */
  listSize: number;
  /** Other articles whose lists are refreshed when one changes: bounded work per publish. */
  neighbourRefreshes: number;
  /** More-like-this: distinctive terms queried, and the candidates read back. */
  queryTerms: number;
  textCandidates: number;
  /**
   * Most documents the more-like-this terms may match together: bounds the candidate
   * query's cost whatever the archive's size (on the Reuters tune split, 12,000 instead
   * of 40,000 moves precision@4 from 0.8640 to 0.8625: candidates are rescored in JS).
   */
  postingBudget: number;
  /** Candidates by shared tags and entities: the rarest this many of each… */
  tagQueries: number;
  /** …each bringing its newest this many articles. */
  perTagCandidates: number;
  /** More-like-this skips terms found in more than this share of all documents. */
  maxTermShare: number;
  /** Semantic vectors: dimensions of the basis, and the most articles it is learned from (a sample spread over the archive). */
  vectorDims: number;
  basisSample: number;
  weights: RelatedWeights;
}

export const DEFAULT_RELATED_OPTIONS: RelatedEngineOptions = {
  listSize: 8,
  neighbourRefreshes: 8,
  queryTerms: 80,
  textCandidates: 100,
  postingBudget: 12_000,
  // 3 × 10 instead of 6 × 20: the same precision on the Reuters tune split (0.8586 vs
  // 0.8584), a third of the candidates to read and score.
  tagQueries: 3,
  perTagCandidates: 10,
  maxTermShare: 0.5,
  vectorDims: 128,
  basisSample: 50_000,
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

/**
 * An article's candidates before their visibility is checked (it is read with the
 * documents scored): the more-like-this matches, best first, of which the first
 * `textCandidates` visible ones count; the others (visible already); and what is left
 * out whatever brought it (the article itself, pins).
 */
interface CandidatePool {
  ranked: number[];
  more: Set<number>;
  excluded: Set<number>;
}

interface SourceContext {
  doc: IndexedDocument;
  /** tf-idf weights of the distinctive terms (which of them the more-like-this query takes). */
  termWeights: Map<string, number>;
  /** Tag id → idf, entity key → idf; and the same by name (shared tags and entities come back by name). */
  tagWeights: Map<number, number>;
  entityWeights: Map<string, number>;
  weightByTagName: Map<string, number>;
  weightByEntityName: Map<string, number>;
  /** Tag id → name, entity key → name: what candidates are checked for. */
  tagNames: Map<number, string>;
  entityNames: Map<string, string>;
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
    await this.updateLists(articleId, 'now');
  }

  /**
   * As `articleChanged`; with 'later' it leaves the neighbours to the caller and returns
   * whether they need refreshing. `indexed`: the article's search document as just
   * written (SearchService.index), so it is not read back.
   */
  async updateLists(articleId: number, neighbours: 'now' | 'later', indexed?: IndexedDocument): Promise<boolean> {
    this.tagCounts.clear();
    this.entityCounts.clear();
    const now = this.clock();
    const doc = indexed ?? (await this.search.documents([articleId])).get(articleId);
    if (!doc) {
      const holders = await this.related.engineListsContaining(articleId, this.options.neighbourRefreshes);
      await this.related.deleteEngineLinksTo(articleId);
      await this.related.replaceEngineLinks(articleId, []);
      await this.related.deleteVector(articleId);
      for (const id of holders) await this.refresh(id);
      return false;
    }
    await this.storeVector(articleId, doc.topTerms);
    const list = await this.refresh(articleId, doc);
    if (doc.publishedAt > now) return false; // embargoed: other lists take it when it is due and next refreshed
    // 'later': the caller queues refreshNeighbours (a job), keeping the editor's save short.
    if (neighbours === 'later') return true;
    await this.refreshNeighbours(articleId, list);
    return false;
  }

  /**
   * Refreshes the lists an article should now enter (its best matches) or leave (lists
   * that hold it), at most `neighbourRefreshes`. Idempotent (the related.neighbours job).
   */
  async refreshNeighbours(articleId: number, list?: ScoredCandidate[]): Promise<void> {
    const own = list ?? (await this.related.links(articleId)).filter((l) => !l.pinned).map((l) => ({ id: l.relatedId }));
    const holders = await this.related.engineListsContaining(articleId, this.options.neighbourRefreshes);
    const targets = [...new Set([...own.map((c) => c.id), ...holders])].slice(0, this.options.neighbourRefreshes);
    for (const id of targets) {
      // Readers' requests go between lists (on SQLite a list's statements never yield).
      await nextTurn();
      await this.refresh(id);
    }
  }

  /** Recomputes and stores one article's engine list; returns it. */
  async refresh(articleId: number, doc?: IndexedDocument): Promise<ScoredCandidate[]> {
    // The pins and the source are independent reads: together, not one after the other
    // (each is a round trip on PostgreSQL); a caller that has the document passes it.
    const [links, source] = await Promise.all([this.related.links(articleId), this.source(articleId, doc)]);
    const pinned = links.filter((l) => l.pinned).map((l) => l.relatedId);
    const list = await this.rank(source, pinned);
    await this.related.replaceEngineLinks(
      articleId,
      list.map((c) => ({ relatedId: c.id, score: Math.round(c.score * 10_000) / 10_000 })),
    );
    return list;
  }

  /**
   * Learns the semantic basis from the indexed archive (every article, or a sample of
   * `basisSample` spread evenly over it) and stores every indexed article's vector.
   * Run after the search index is rebuilt and before the lists are (reindex).
   */
  async buildVectors(progress: (phase: 'sample' | 'vectors', done: number, total: number) => void = () => {}): Promise<number> {
    const total = await this.search.documentCount();
    const stride = Math.max(1, Math.ceil(total / this.options.basisSample));
    const sample: TermCounts[] = [];
    let seen = 0;
    await this.eachIndexedBatch(async (docs) => {
      for (const d of docs) if (seen++ % stride === 0) sample.push(d.topTerms);
      progress('sample', seen, total);
    });
    const basis = learnBasis(sample, { dims: this.options.vectorDims });
    await this.related.replaceBasis([...basis.vectors].map(([t, v]) => [t, vectorToBytes(v)] as const));
    let done = 0;
    await this.eachIndexedBatch(async (docs) => {
      const rows = [];
      for (const d of docs) {
        const v = foldIn(d.topTerms, basis);
        if (v) rows.push({ articleId: d.articleId, vector: vectorToBytes(v) });
      }
      await this.related.saveVectors(rows);
      done += docs.length;
      progress('vectors', done, total);
    });
    return done;
  }

  private async eachIndexedBatch(each: (docs: IndexedDocument[]) => Promise<void>): Promise<void> {
    for (let after = 0; ; ) {
      const ids = await this.searchService.indexedIdsAfter(after, 1000);
      if (!ids.length) return;
      await each([...(await this.search.documents(ids)).values()]);
      after = ids.at(-1)!;
    }
  }

  /** Folds an article into the stored basis (nothing before the first `buildVectors`). */
  private async storeVector(articleId: number, terms: TermCounts): Promise<void> {
    const rows = await this.related.basisRows(terms.map(([t]) => t));
    const first = rows.values().next().value;
    if (!first) return void (await this.related.deleteVector(articleId));
    const vectors = new Map([...rows].map(([t, b]) => [t, vectorFromBytes(b)]));
    const v = foldIn(terms, { dims: first.byteLength / 4, vectors });
    await (v ? this.related.saveVectors([{ articleId, vector: vectorToBytes(v) }]) : this.related.deleteVector(articleId));
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
    return this.rank(await this.source(articleId), exclude);
  }

  /** Every visible candidate of an article, scored, before selection (what the learned model is fitted on). */
  async scoreAll(articleId: number, weights: RelatedWeights = this.options.weights): Promise<ScoredCandidate[]> {
    const source = await this.source(articleId);
    if (!source) return [];
    const now = this.clock();
    return (await this.score(source, await this.candidates(source, now), now, weights)).scored;
  }

  private async rank(source: SourceContext | null, exclude: readonly number[]): Promise<ScoredCandidate[]> {
    if (!source) return [];
    const now = this.clock();
    const pool = await this.candidates(source, now);
    for (const id of exclude) pool.excluded.add(id);
    const { relatedSource, scored } = await this.score(source, pool, now);
    return sameLanguageFirstSelection(relatedSource, scored, this.options.listSize, this.options.weights);
  }

  /**
   * The article's current list (pins first, then the engine's), each with why it is
   * there. Engine items are scored among the same candidates as in `refresh` (pins
   * left out), so their scores are the stored ones while nothing has changed; pins
   * are scored among those candidates too.
   */
  async explain(articleId: number): Promise<RelatedReason[]> {
    const source = await this.source(articleId);
    if (!source) throw new DomainError('ARTICLE_NOT_FOUND', text('noPublishedArticle', { id: String(articleId) }));
    const now = this.clock();
    const links = await this.related.links(articleId);
    const pins = links.filter((l) => l.pinned).map((l) => l.relatedId);
    const pool = await this.candidates(source, now);
    for (const l of links) if (!l.pinned) pool.more.add(l.relatedId);
    const withPins = { ranked: pool.ranked, more: new Set([...pool.more, ...pins]), excluded: new Set(pool.excluded) };
    for (const id of pins) pool.excluded.add(id);
    const scored = new Map((await this.score(source, pool, now)).scored.map((c) => [c.id, c]));
    if (pins.length) for (const c of (await this.score(source, withPins, now)).scored) if (pins.includes(c.id)) scored.set(c.id, c);
    const out: RelatedReason[] = [];
    for (const link of links) {
      const c = scored.get(link.relatedId);
      if (!c) continue; // not visible now
      out.push({
        id: c.id,
        pinned: link.pinned,
        score: c.score,
        components: c.components,
        sharedTerms: c.sharedTerms.slice(0, 10).map((x) => ({ term: x.term, weight: Math.round(x.weight * 1000) / 1000 })),
        sharedTags: c.sharedTags,
        sharedEntities: c.sharedEntities,
      });
    }
    return out;
  }

  /** Candidates: the more-like-this matches, and the newest articles sharing the rarest tags and entities. */
  private async candidates(source: SourceContext, now: number): Promise<CandidatePool> {
    const articleId = source.doc.articleId;
    // Rarest tags and entities first: their few articles are the likeliest to be about the same thing.
    const rarest = <K>(weights: Map<K, number>, k: number) => [...weights].sort((a, b) => b[1] - a[1]).slice(0, k).map(([key]) => key);
    const { tagQueries: k, perTagCandidates: per } = this.options;
    // Three independent reads, run together (same set, same order of insertion as one after the other).
    const [ranked, byTag, byEntity] = await Promise.all([
      this.textCandidates(source),
      this.search.articlesSharingTags(rarest(source.tagWeights, k), articleId, now, per),
      this.search.articlesSharingEntities(rarest(source.entityWeights, k), articleId, now, per),
    ]);
    const more = new Set<number>();
    for (const { articleId: id } of byTag) more.add(id);
    for (const { articleId: id } of byEntity) more.add(id);
    return { ranked, more, excluded: new Set([articleId]) };
  }

  private async source(articleId: number, known?: IndexedDocument): Promise<SourceContext | null> {
    // Three independent chains, run together (each step a round trip on PostgreSQL): the
    // document then its terms' counts, the tags then theirs, the entities then theirs.
    const counted = async <T, K>(rows: Promise<T[]>, key: (row: T) => K, counts: CountCache<K>) => {
      const list = await rows;
      return [list, await counts.get(list.map(key))] as const;
    };
    const read = known ? Promise.resolve(known) : this.search.documents([articleId]).then((docs) => docs.get(articleId));
    const [doc, df, [tags, tagDf], [entities, entityDf], n] = await Promise.all([
      read,
      read.then((d) => this.searchService.documentFrequencies(d ? d.topTerms.map(([t]) => t) : [])),
      counted(this.search.tagsOf(articleId), (t) => t.id, this.tagCounts),
      counted(this.search.entitiesOf(articleId), (e) => e.key, this.entityCounts),
      this.searchService.documentCount(),
    ]);
    if (!doc) return null;
    const tagWeights = new Map(tags.map((t) => [t.id, idf(tagDf.get(t.id) ?? 1, n)]));
    const entityWeights = new Map(entities.map((e) => [e.key, idf(entityDf.get(e.key) ?? 1, n)]));
    return {
      doc,
      termWeights: new Map(doc.topTerms.map(([t, f]) => [t, (1 + Math.log(f)) * idf(df.get(t) || 1, n)])),
      tagWeights,
      entityWeights,
      weightByTagName: new Map(tags.map((t) => [t.name, tagWeights.get(t.id)!])),
      weightByEntityName: new Map(entities.map((e) => [e.name, entityWeights.get(e.key)!])),
      tagNames: new Map(tags.map((t) => [t.id, t.name])),
      entityNames: new Map(entities.map((e) => [e.key, e.name])),
    };
  }

  /**
   * More-like-this: the source's most distinctive terms, OR-ed, best matches first (the
   * index's rank only picks candidates; scoring is ours), visible or not (see `CandidatePool`).
   */
  private async textCandidates(source: SourceContext): Promise<number[]> {
    const n = await this.searchService.documentCount();
    const df = await this.searchService.documentFrequencies(source.termWeights.keys());
    const terms: string[] = [];
    let budget = this.options.postingBudget;
    for (const [term] of [...source.termWeights].sort((a, b) => b[1] - a[1])) {
      const d = df.get(term) ?? 0;
      if (d <= 1) continue; // only this article has it
      if (n > 200 && d > n * this.options.maxTermShare) continue; // too common to discriminate
      if (d > budget) continue;
      budget -= d;
      terms.push(term);
      if (terms.length >= this.options.queryTerms) break;
    }
    if (!terms.length) return [];
    return this.search.moreLikeThis(terms, this.options.textCandidates);
  }

  /** Scores the pool's visible candidates (tags, entities, text read here in one batch each, with their visibility). */
  private async score(source: SourceContext, pool: CandidatePool, now: number, weights = this.options.weights): Promise<{ relatedSource: RelatedSource; scored: ScoredCandidate[] }> {
    const articleId = source.doc.articleId;
    // Every match is read, the spare ones too: which of them count is known from their rows.
    const ids = [...new Set([...pool.ranked, ...pool.more])];
    const [read, tagShares, entityShares, stored] = await Promise.all([
      this.search.documents(ids),
      this.search.sharedTags(source.tagNames, ids),
      this.search.sharedEntities(source.entityNames, ids),
      this.related.vectors([articleId, ...ids]),
    ]);
    const visible = (id: number) => (read.get(id)?.publishedAt ?? Infinity) <= now;
    const chosen = new Set([...pool.ranked.filter(visible).slice(0, this.options.textCandidates), ...pool.more]);
    for (const id of pool.excluded) chosen.delete(id);
    const docs = [...read.values()].filter((d) => chosen.has(d.articleId));
    const vector = (id: number) => {
      const bytes = stored.get(id);
      return bytes && vectorFromBytes(bytes);
    };
    const own = vector(articleId);
    const n = await this.searchService.documentCount();
    const termIdf = new Map<string, number>();
    const addIdf = async (terms: Iterable<string>) => {
      const wanted = [...terms].filter((t) => !termIdf.has(t));
      const df = await this.searchService.documentFrequencies(wanted);
      for (const t of wanted) termIdf.set(t, idf(df.get(t) || 1, n));
    };
    await addIdf(source.doc.topTerms.map(([t]) => t));
    const sum = (names: Set<string> | undefined, weights: Map<string, number>) => [...(names ?? [])].reduce((a, x) => a + (weights.get(x) ?? 0), 0);
    const candidates: RelatedCandidate[] = [];
    for (const d of docs) {
      if (d.publishedAt > now) continue;
      const tags = tagShares.get(d.articleId);
      const entities = entityShares.get(d.articleId);
      candidates.push({
        id: d.articleId,
        terms: new Map(d.topTerms),
        length: d.termCount,
        sharedTags: [...(tags ?? [])],
        sharedEntities: [...(entities ?? [])],
        tagEvidence: sum(tags, source.weightByTagName),
        entityEvidence: sum(entities, source.weightByEntityName),
        publishedAt: d.publishedAt,
        isMedia: d.isMedia,
        headlineTerms: d.headlineTerms,
        language: d.language,
        vector: vector(d.articleId),
      });
    }
    const relatedSource: RelatedSource = {
      publishedAt: source.doc.publishedAt,
      headlineTerms: source.doc.headlineTerms,
      terms: new Map(source.doc.topTerms),
      length: source.doc.termCount,
      idf: termIdf,
      language: source.doc.language,
      vector: own,
    };
    // Scoring reads the idf of the source's terms and of its lead's: only those are looked up
    // (every candidate's terms were thousands of lookups per list).
    const pass = startScoring(relatedSource, candidates, weights);
    // Each term once (the lead's 40 items bring some 3,200 terms, half of them the same ones).
    const leadTerms = new Set<string>();
    for (const c of pass.lead) for (const t of c.terms.keys()) leadTerms.add(t);
    await addIdf(leadTerms);
    return { relatedSource, scored: pass.finish() };
  }
}
