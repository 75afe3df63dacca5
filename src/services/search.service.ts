import { extractEntities } from '../domain/entity-extraction.js';
import { buildSearchDocument } from './search-document.js';
import { BoilerplateCounter, stripBoilerplate } from '../domain/boilerplate.js';
import { LIST_LIMITS } from '../domain/limits.js';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';
import { highlightSnippet, type SnippetPart } from '../domain/search-snippet.js';
import { ANALYZER_VERSION, analyze, parseQuery, type ParsedQuery } from '../domain/text-analysis.js';
import { RANK_POOL, SCAN_BUDGET, type ArticleForIndex, type IndexedDocument, type SearchRepository, type SearchSummary } from '../db/repositories/search.repository.js';
import type { ArticleChangeListener } from './article-change-listener.js';
import type { ArticleService, PublicListQuery } from './article.service.js';
import type { Clock } from './clock.js';
import { CountCache } from './count-cache.js';

/** Totals are counted up to this ("1,000+" beyond): counting every match of a common word costs more than the search. */
const COUNT_CAP = 1_000;
const MAX_PAGE = 100;

export type { ArticleChangeListener };

export interface SearchRequest extends Pick<PublicListQuery, 'section' | 'type' | 'lang' | 'publishedAfter' | 'publishedBefore'> {
  q: string;
  page?: number;
  limit?: number;
  order?: 'relevance' | 'date';
}

export interface SearchResultItem {
  article: SearchSummary;
  rank: number;
  headline: SnippetPart[];
  snippet: SnippetPart[];
}

export interface SearchResults {
  query: string;
  items: SearchResultItem[];
  page: number;
  limit: number;
  /** Matches counted up to 1,000; `totalIsExact` is false beyond, or when a broad query searched only the newest articles. */
  total: number;
  totalIsExact: boolean;
}

/** Every term the index holds for an article, once each (what a document frequency counts). */
function distinctIndexTerms(a: ArticleForIndex): Set<string> {
  return new Set(analyze(`${a.headline} . ${a.dek} . ${a.bodyText} . ${a.tags.map((t) => t.name).join(' . ')} . ${a.byline} . ${a.source}`));
}

/** Full-text search over published articles, and the index that keeps up with publishing. */
export class SearchService {
  /** Postings a ranked search may read before it counts as broad (see SCAN_BUDGET). */
  scanBudget = SCAN_BUDGET;
  /** Best matches a filtered ranked search takes from the text index before filtering (see `SearchRepository.search`). */
  rankPool = RANK_POOL;
  private docCount: { n: number; at: number } | null = null;
  /** The site's own name and its publisher's: never entities of its articles (set from the configuration). */
  houseNames: string[] = [];
  /** The archive's boilerplate lines (hashes), read from the index state once, replaced by a rebuild. */
  private boilerplate: Promise<Set<string>> | null = null;
  /** Document frequencies of index terms, cleared whenever the index changes. */
  private readonly termCounts: CountCache<string>;

  constructor(
    private readonly repo: SearchRepository,
    private readonly articles: ArticleService,
    private readonly clock: Clock,
  ) {
    this.termCounts = new CountCache((terms) => this.repo.documentFrequencies(terms));
  }

  /** Document frequencies of index terms (0 when absent), from memory where possible, else in one batch. */
  async documentFrequencies(terms: Iterable<string>): Promise<Map<string, number>> {
    return this.termCounts.get(terms);
  }

  /** Number of indexed documents (for idf), re-read at most once a minute. */
  async documentCount(): Promise<number> {
    const now = Date.now();
    if (!this.docCount || now - this.docCount.at > 60_000) this.docCount = { n: await this.repo.documentCount(), at: now };
    return this.docCount.n;
  }

  /**
   * Indexes a published article (its publication time is in the future while embargoed)
   * or takes anything else out of the index. Returns the document as stored, as `SearchRepository.documents` would read it back:
   * the related engine uses it without reading it again.
   */
  async index(articleId: number): Promise<IndexedDocument | null> {
    const found = await this.repo.articleForIndex(articleId);
    const a = found && (await this.withoutBoilerplate(found));
    this.termCounts.clear();
    if (!a || a.status !== 'published' || a.publishedAt === null) {
      await this.repo.remove(articleId);
      return null;
    }
    const terms = distinctIndexTerms(a);
    const df = await this.repo.documentFrequencies([...terms]);
    const doc = buildSearchDocument(a, df, await this.documentCount(), this.houseNames);
    await this.repo.upsert(doc);
    this.termCounts.clear();
    const { language, publishedAt, contentTypeId, isMedia, headlineTerms, topTerms, termCount } = doc;
    return { articleId, language, publishedAt, contentTypeId, isMedia, headlineTerms, topTerms, termCount };
  }

  /** The article as the index sees it: its body without the archive's boilerplate lines. */
  private async withoutBoilerplate(a: ArticleForIndex): Promise<ArticleForIndex> {
    this.boilerplate ??= this.repo.boilerplateLines().then((keys) => new Set(keys));
    const lines = await this.boilerplate;
    return lines.size ? { ...a, bodyText: stripBoilerplate(a.bodyText, lines) } : a;
  }

  /**
   * Rebuilds the whole index: a first pass counts document frequencies and the lines
   * that recur in many stories (boilerplate, left out of what is indexed), a second
   * writes every published article with its distinctive terms, in batches of `batch`.
   */
  async reindex(progress: (phase: 'count' | 'write', done: number, total: number) => void = () => {}, batch = 2000): Promise<number> {
    const total = await this.repo.countPublished();
    const df = new Map<string, number>();
    const lines = new BoilerplateCounter();
    let done = 0;
    for (let after = 0; ; ) {
      const ids = await this.repo.publishedIdsAfter(after, batch);
      if (!ids.length) break;
      for (const a of await this.repo.articlesForIndex(ids)) {
        for (const t of distinctIndexTerms(a)) df.set(t, (df.get(t) ?? 0) + 1);
        lines.add(a.bodyText);
      }
      after = ids.at(-1)!;
      done += ids.length;
      progress('count', done, total);
    }
    const boilerplate = lines.boilerplate();
    await this.repo.setBoilerplateLines(boilerplate);
    const dropped = new Set(boilerplate);
    this.boilerplate = Promise.resolve(dropped);
    // Bulk mode first: on PostgreSQL the clearing then runs without row-by-row upkeep too.
    await this.repo.beginBulkIndex();
    done = 0;
    try {
      await this.repo.clear();
      for (let after = 0; ; ) {
        const ids = await this.repo.publishedIdsAfter(after, batch);
        if (!ids.length) break;
        const docs = (await this.repo.articlesForIndex(ids))
          .filter((a) => a.publishedAt !== null)
          .map((a) => {
            if (!dropped.size) return buildSearchDocument(a, df, total, this.houseNames);
            const kept = { ...a, bodyText: stripBoilerplate(a.bodyText, dropped) };
            if (kept.bodyText.length !== a.bodyText.length) {
              // Terms found only in dropped lines are not in this document after all.
              const after = distinctIndexTerms(kept);
              for (const t of distinctIndexTerms(a)) if (!after.has(t)) df.set(t, (df.get(t) ?? 1) - 1);
            }
            return buildSearchDocument(kept, df, total, this.houseNames);
          });
        await this.repo.upsertMany(docs);
        after = ids.at(-1)!;
        done += ids.length;
        progress('write', done, total);
      }
    } finally {
      await this.repo.finishBulkIndex(df);
    }
    await this.repo.setAnalyzerVersion(ANALYZER_VERSION);
    this.docCount = null;
    this.termCounts.clear();
    return done;
  }

  /** A start-up warning about full-text search on this database (PostgreSQL without the rum extension), or `null`. */
  engineNotice(): Promise<string | null> {
    return this.repo.fullTextNotice();
  }

  /**
   * Whether the index was written by this code's text analysis (`ANALYZER_VERSION`):
   * after an upgrade that changes index terms, documents indexed before it keep their
   * old terms (queries miss some forms of their words) until a rebuild.
   */
  async analyzerState(): Promise<{ version: number; current: true; indexed: number | null } | { version: number; current: false; indexed: number }> {
    const version = await this.repo.analyzerVersion();
    // Start-up asks this: with the current analysis nothing is counted (a count grows with the archive).
    if (version === ANALYZER_VERSION) return { version, current: true, indexed: null };
    const indexed = await this.repo.documentCount();
    if (indexed === 0) {
      // Nothing written by the old analysis: whatever is indexed from now on is current.
      await this.repo.setAnalyzerVersion(ANALYZER_VERSION);
      return { version: ANALYZER_VERSION, current: true, indexed };
    }
    return { version, current: false, indexed };
  }

  /** Ids of indexed articles after `afterId`, ascending (batches for related-list rebuilds). */
  async indexedIdsAfter(afterId: number, limit: number): Promise<number[]> {
    return this.repo.indexedIdsAfter(afterId, limit);
  }

  /** Ranked, filtered, paginated search with highlighted headlines and snippets. */
  async search(request: SearchRequest): Promise<SearchResults> {
    const page = request.page ?? 1;
    const limit = request.limit ?? 20;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > LIST_LIMITS.searchMaxLimit) {
      throw new DomainError('BAD_REQUEST', text('searchLimit', { max: LIST_LIMITS.searchMaxLimit }));
    }
    if (!Number.isSafeInteger(page) || page < 1) throw new DomainError('BAD_REQUEST', text('searchPage'));
    if (page > MAX_PAGE) throw new DomainError('BAD_REQUEST', text('searchPageMax', { max: MAX_PAGE }));
    const list = await this.articles.resolveFilter({
      section: request.section,
      type: request.type,
      lang: request.lang,
      publishedAfter: request.publishedAfter,
      publishedBefore: request.publishedBefore,
    });
    const filter = {
      sectionId: list.sectionId,
      contentTypeId: list.contentTypeId,
      language: list.language,
      publishedAfter: list.publishedAfter,
      publishedBefore: list.publishedBefore,
    };
    const parsed = parseQuery(request.q);
    const now = this.clock();
    const plan = await this.repo.planSearch(parsed.clauses, this.scanBudget);
    const bounded = { ...filter, minId: plan.minId, walk: plan.walk };
    const hits = await this.repo.search(plan.clauses, bounded, now, { limit, offset: (page - 1) * limit, order: request.order ?? 'relevance', rankPool: this.rankPool });
    const total = hits.length < limit && page === 1 ? hits.length : await this.repo.count(plan.clauses, bounded, now, COUNT_CAP);
    const summaries = await this.repo.visibleSummaries(hits.map((h) => h.articleId), now);
    const items: SearchResultItem[] = [];
    for (const hit of hits) {
      const article = summaries.get(hit.articleId);
      if (article) items.push({ article, rank: hit.rank, ...this.highlight(article, parsed) });
    }
    return { query: request.q, items, page, limit, total, totalIsExact: total < COUNT_CAP && plan.minId === null };
  }

  /** Named entities of an article as tag suggestions for editors; ARTICLE_NOT_FOUND when missing. */
  async tagSuggestions(articleId: number, options: { visibleOnly: boolean }): Promise<TagSuggestion[]> {
    const missing = () => new DomainError('ARTICLE_NOT_FOUND', text(options.visibleOnly ? 'noPublishedArticle' : 'articleNotFound', { id: String(articleId) }));
    if (options.visibleOnly && !(await this.repo.visibleSummaries([articleId], this.clock())).has(articleId)) throw missing();
    const suggestions = await suggestTagsFor(this.repo, articleId);
    if (!suggestions) throw missing();
    return suggestions;
  }

  private highlight(a: SearchSummary, q: ParsedQuery): { headline: SnippetPart[]; snippet: SnippetPart[] } {
    const terms = { terms: new Set(q.highlightTerms), prefixes: q.highlightPrefixes };
    const headline = highlightSnippet(a.headline, terms, 10_000);
    const body = highlightSnippet(a.bodyText, terms);
    const dek = a.dek ? highlightSnippet(a.dek, terms) : [];
    // Prefer the body passage with a match; else a matching dek; else the dek or the body's start.
    const snippet = body.some((p) => p.match) ? body : dek.some((p) => p.match) || dek.length ? dek : body;
    return { headline, snippet };
  }
}

/** A named entity offered to editors as a tag. */
export interface TagSuggestion {
  kind: 'person' | 'organisation' | 'place';
  name: string;
  mentions: number;
  /** The article already has a tag of this name. */
  tagged: boolean;
}

/** Entities of an article's current text (any status, drafts included), as tag suggestions. */
export async function suggestTagsFor(repo: SearchRepository, articleId: number): Promise<TagSuggestion[] | null> {
  const a = await repo.articleForIndex(articleId);
  if (!a) return null;
  const tagged = new Set(a.tags.map((t) => analyze(t.name).join(' ')));
  return extractEntities({ headline: a.headline, dek: a.dek, body: a.bodyText, place: a.place }).map((e) => ({
    kind: e.kind,
    name: e.name,
    mentions: e.count,
    tagged: tagged.has(analyze(e.name).join(' ')),
  }));
}
