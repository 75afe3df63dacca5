import { extractEntities } from '../domain/entity-extraction.js';
import { buildSearchDocument, distinctIndexTerms } from './search-document.js';
import { defaultRebuildThreads, rebuildAnalysis, type RebuildAnalysis } from './rebuild-analysis.js';
import { BoilerplateCounter, stripBoilerplate } from '../domain/boilerplate.js';
import { LIST_LIMITS } from '../domain/limits.js';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';
import { highlightSnippet, type SnippetPart } from '../domain/search-snippet.js';
import { ANALYZER_VERSION, analyze, parseQuery, STOP_WORDS, type ParsedQuery } from '../domain/text-analysis.js';
import { hasFilters, matchesFirst, RANK_POOL, SCAN_BUDGET, type ArticleForIndex, type IndexedDocument, type SearchFilter, type SearchPlan, type SearchRepository, type SearchSummary } from '../db/repositories/search.repository.js';
import type { ArticleChangeListener } from './article-change-listener.js';
import type { ArticleService, PublicListQuery } from './article.service.js';
import type { Clock } from './clock.js';
import { CountCache } from './count-cache.js';

/** Totals are counted up to this ("1,000+" beyond): counting every match of a common word costs more than the search. */
const COUNT_CAP = 1_000;

/**
 * The total of a search for one word with no filter, from its document frequency (the
 * plan's `matches`): the documents holding it, as SQLite counts them in its text index
 * alone (articles still under embargo included, in totals of a full page or more).
 * Counting them read up to 10,000 postings and 1,000 rows on PostgreSQL at 1M articles
 * ("flaseapoux": 33 ms of a 49 ms search, its page 1.5 ms). `null` for any other search,
 * whose matches are counted.
 */
/**
 * A broad query's total (`planSearch` bounded it to the newest articles) is a lower bound
 * whatever is counted: it is counted up to this many matches, or enough for the pager to
 * offer `BROAD_PAGES_AHEAD` pages past the one asked, whichever is more. Counting a common
 * word's 1,000 matches in a section read up to 10,000 postings and their rows (15–22 ms at
 * 1M articles on PostgreSQL, more than its page); 200 read a fifth of them.
 */
const BROAD_COUNT = 200;
const BROAD_PAGES_AHEAD = 5;

function broadCountCap(offset: number, limit: number): number {
  return Math.min(COUNT_CAP, Math.max(BROAD_COUNT, offset + limit * (BROAD_PAGES_AHEAD + 1)));
}

function wordTotal(plan: SearchPlan, filter: SearchFilter): number | null {
  const [only, ...rest] = plan.clauses;
  if (!only || rest.length || only.negated || only.prefix || only.anyOf || only.terms.length !== 1 || hasFilters(filter)) return null;
  return Math.min(COUNT_CAP, plan.matches);
}
const MAX_PAGE = 100;

export type { ArticleChangeListener };

/** A rebuild's phases: counting terms, writing documents, then building the indexes and term counts (one step). */
export type RebuildPhase = 'count' | 'write' | 'indexes';

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
   * The text analysis runs on `threads` worker threads (none: on this thread), batches
   * ahead of the reads and writes; the documents written are the same either way.
   */
  async reindex(
    progress: (phase: RebuildPhase, done: number, total: number) => void = () => {},
    batch = 2000,
    threads = defaultRebuildThreads(),
  ): Promise<number> {
    const total = await this.repo.countPublished();
    // Threads take a moment to start: not worth it for an archive of a batch or two.
    const analysis = rebuildAnalysis(total > batch * 2 ? threads : 0);
    try {
      return await this.rebuild(analysis, total, progress, batch);
    } finally {
      await analysis.close();
    }
  }

  private async rebuild(
    analysis: RebuildAnalysis,
    total: number,
    progress: (phase: RebuildPhase, done: number, total: number) => void,
    batch: number,
  ): Promise<number> {
    const df = new Map<string, number>();
    const lines = new BoilerplateCounter();
    let done = 0;
    progress('count', 0, total);
    await this.eachBatch(
      batch,
      (articles) => {
        // The boilerplate count depends on the order of the lines: it stays on this thread.
        for (const a of articles) lines.add(a.bodyText);
        return analysis.termCounts(articles);
      },
      analysis.depth,
      (counts, n) => {
        for (const [t, c] of counts) df.set(t, (df.get(t) ?? 0) + c);
        progress('count', (done += n), total);
      },
    );
    const boilerplate = lines.boilerplate();
    await this.repo.setBoilerplateLines(boilerplate);
    const dropped = new Set(boilerplate);
    this.boilerplate = Promise.resolve(dropped);
    await analysis.useContext({ df, total, houseNames: this.houseNames, dropped });
    // Bulk mode first: on PostgreSQL the clearing then runs without row-by-row upkeep too.
    await this.repo.beginBulkIndex();
    done = 0;
    const lost = new Map<string, number>();
    const writing = Date.now();
    try {
      await this.repo.clear();
      progress('write', 0, total);
      await this.eachBatch(
        batch,
        (articles) => analysis.documents(articles),
        analysis.depth,
        async (built, n) => {
          await this.repo.upsertMany(built.docs, writing);
          for (const [t, c] of built.lost) lost.set(t, (lost.get(t) ?? 0) + c);
          progress('write', (done += n), total);
        },
      );
    } finally {
      // Every document was built with the first pass's counts; the index keeps them without the terms boilerplate alone held.
      for (const [t, c] of lost) df.set(t, (df.get(t) ?? c) - c);
      progress('indexes', 0, 1);
      await this.repo.finishBulkIndex(df, writing);
      progress('indexes', 1, 1);
    }
    await this.repo.setAnalyzerVersion(ANALYZER_VERSION);
    this.docCount = null;
    this.termCounts.clear();
    return done;
  }

  /**
   * Reads the published articles in batches and starts `work` on each, keeping up to
   * `depth` of them in flight, and hands each outcome to `use` in the articles' order.
   */
  private async eachBatch<T>(
    batch: number,
    work: (articles: ArticleForIndex[]) => Promise<T>,
    depth: number,
    use: (value: T, articles: number) => unknown,
  ): Promise<void> {
    const inFlight: { value: Promise<T>; articles: number }[] = [];
    try {
      for (let after = 0; ; ) {
        const ids = await this.repo.publishedIdsAfter(after, batch);
        if (!ids.length) break;
        after = ids.at(-1)!;
        const value = work(await this.repo.articlesForIndex(ids));
        value.catch(() => {}); // awaited below, in order
        inFlight.push({ value, articles: ids.length });
        if (inFlight.length >= depth) {
          const first = inFlight.shift()!;
          await use(await first.value, first.articles);
        }
      }
      for (const next of inFlight.splice(0)) await use(await next.value, next.articles);
    } finally {
      await Promise.allSettled(inFlight.map((f) => f.value));
    }
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
    const order = request.order ?? 'relevance';
    const offset = (page - 1) * limit;
    // Newest first, a query that is not broad reads its matches first when they are few for the page (see `matchesFirst`).
    const first = order === 'date' && plan.minId === null && matchesFirst(plan.matches, offset + limit, await this.repo.documentSpan(), hasFilters(filter));
    const bounded = {
      ...filter,
      minId: plan.minId,
      walk: plan.walk,
      ...(first ? { matchesFirst: true } : {}),
      ...(plan.broad ? { broad: plan.broad } : {}),
    };
    // The total is counted beside the page, not after it (on PostgreSQL another connection:
    // a broad prefix in a section at 1M articles read 93 ms for its page and 97 for its count).
    // A first page that is not full is its own total, and that count is then left unread.
    const word = wordTotal(plan, filter);
    const counting = word !== null ? Promise.resolve(word) : this.repo.count(plan.clauses, bounded, now, plan.minId === null ? COUNT_CAP : broadCountCap(offset, limit));
    counting.catch(() => {}); // awaited below when it is needed; a failed page fails the search
    const hits = await this.repo.search(plan.clauses, bounded, now, { limit, offset, order, rankPool: this.rankPool });
    const total = hits.length < limit && page === 1 ? hits.length : await counting;
    const summaries = await this.repo.visibleSummaries(hits.map((h) => h.articleId), now);
    // Function words a prefix was searched for (only when nothing else completes it): the only ones its highlight marks.
    const prefixStops = new Set(plan.clauses.flatMap((c) => c.anyOf ?? []).filter((t) => STOP_WORDS.has(t)));
    const items: SearchResultItem[] = [];
    for (const hit of hits) {
      const article = summaries.get(hit.articleId);
      if (article) items.push({ article, rank: hit.rank, ...this.highlight(article, parsed, prefixStops) });
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

  private highlight(a: SearchSummary, q: ParsedQuery, prefixStops: ReadonlySet<string>): { headline: SnippetPart[]; snippet: SnippetPart[] } {
    const terms = { terms: new Set(q.highlightTerms), prefixes: q.highlightPrefixes, prefixStops };
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
