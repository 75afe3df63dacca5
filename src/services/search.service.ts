import { extractEntities } from '../domain/entity-extraction.js';
import { DomainError } from '../domain/errors.js';
import { highlightSnippet, type SnippetPart } from '../domain/search-snippet.js';
import { analyze, isContentTerm, parseQuery, type ParsedQuery } from '../domain/text-analysis.js';
import type { ArticleForIndex, SearchDocumentInput, SearchRepository, SearchSummary } from '../db/repositories/search.repository.js';
import type { ArticleChangeListener } from './article-change-listener.js';
import type { ArticleService, PublicListQuery } from './article.service.js';
import type { Clock } from './clock.js';
import { CountCache } from './count-cache.js';

/** Content types whose items are pictures or video (the diversity slot of related lists). */
export const MEDIA_CONTENT_TYPES = new Set([22, 23]);
/** How many distinctive terms each document keeps for more-like-this. */
const TOP_TERMS = 80;
const COUNT_CAP = 10_000;
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
  /** Matches counted up to 10,000; `totalIsExact` is false beyond. */
  total: number;
  totalIsExact: boolean;
}

/** Inverse document frequency, smoothed: rare terms weigh more, no term weighs zero. */
export function idf(df: number, n: number): number {
  return Math.log(1 + (n + 1) / (Math.max(df, 0) + 1));
}

/**
 * Builds an article's index entry: per-field terms, distinctive terms, entities. Pure
 * apart from the document frequencies passed in (term → number of documents).
 */
export function buildSearchDocument(a: ArticleForIndex, df: Map<string, number>, n: number): SearchDocumentInput {
  const headline = analyze(a.headline);
  const dek = analyze(a.dek);
  const body = analyze(a.bodyText);
  const tags = analyze(a.tags.map((t) => t.name).join(' . '));
  const byline = analyze(`${a.byline} . ${a.source}`);
  // Distinctive terms come from the text itself, every word counting once: weighting
  // headline or tag words up made related lists worse on labelled news (npm run eval:related).
  const tf = new Map<string, number>();
  const count = (terms: string[], weight: number) => {
    for (const t of terms) if (isContentTerm(t)) tf.set(t, (tf.get(t) ?? 0) + weight);
  };
  count(headline, 1);
  count(dek, 1);
  count(body, 1);
  const topTerms = [...tf]
    .map(([term, f]) => ({ term, f, w: (1 + Math.log(f)) * idf((df.get(term) ?? 0) + 1, n + 1) }))
    .sort((x, y) => y.w - x.w || (x.term < y.term ? -1 : 1))
    .slice(0, TOP_TERMS)
    .map((x): [string, number] => [x.term, x.f]);
  return {
    articleId: a.id,
    language: a.language,
    sectionId: a.sectionId,
    contentTypeId: a.contentTypeId,
    publishedAt: a.publishedAt ?? 0,
    isMedia: MEDIA_CONTENT_TYPES.has(a.contentTypeId) || a.leadMediaKind === 'video',
    fields: { headline, dek, body, tags, byline },
    headlineTerms: [...new Set(headline.filter(isContentTerm))],
    topTerms,
    termCount: headline.length + dek.length + body.length,
    entities: extractEntities({ headline: a.headline, dek: a.dek, body: a.bodyText, place: a.place }),
  };
}

/** Full-text search over published articles, and the index that keeps up with publishing. */
export class SearchService implements ArticleChangeListener {
  private docCount: { n: number; at: number } | null = null;
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

  /** Indexes a published article or removes anything else from the index. */
  async articleChanged(articleId: number): Promise<void> {
    const a = await this.repo.articleForIndex(articleId);
    this.termCounts.clear();
    if (!a || a.status !== 'published' || a.publishedAt === null) {
      await this.repo.remove(articleId);
      return;
    }
    const terms = new Set(analyze(`${a.headline} ${a.dek} ${a.bodyText} ${a.tags.map((t) => t.name).join(' ')}`));
    const df = await this.repo.documentFrequencies([...terms]);
    await this.repo.upsert(buildSearchDocument(a, df, await this.documentCount()));
    this.termCounts.clear();
  }

  /**
   * Rebuilds the whole index: a first pass counts document frequencies, a second writes
   * every published article with its distinctive terms, in batches of `batch`.
   */
  async reindex(progress: (phase: 'count' | 'write', done: number, total: number) => void = () => {}, batch = 500): Promise<number> {
    const total = await this.repo.countPublished();
    const df = new Map<string, number>();
    let done = 0;
    for (let after = 0; ; ) {
      const ids = await this.repo.publishedIdsAfter(after, batch);
      if (!ids.length) break;
      for (const a of await this.repo.articlesForIndex(ids)) {
        for (const t of new Set(analyze(`${a.headline} ${a.dek} ${a.bodyText} ${a.tags.map((x) => x.name).join(' ')}`))) df.set(t, (df.get(t) ?? 0) + 1);
      }
      after = ids.at(-1)!;
      done += ids.length;
      progress('count', done, total);
    }
    await this.repo.clear();
    await this.repo.setBulkMode(true);
    done = 0;
    try {
      for (let after = 0; ; ) {
        const ids = await this.repo.publishedIdsAfter(after, batch);
        if (!ids.length) break;
        const docs = (await this.repo.articlesForIndex(ids)).filter((a) => a.publishedAt !== null).map((a) => buildSearchDocument(a, df, total));
        await this.repo.upsertMany(docs);
        after = ids.at(-1)!;
        done += ids.length;
        progress('write', done, total);
      }
    } finally {
      await this.repo.setBulkMode(false);
    }
    this.docCount = null;
    this.termCounts.clear();
    return done;
  }

  /** Ids of indexed articles after `afterId`, ascending (batches for related-list rebuilds). */
  async indexedIdsAfter(afterId: number, limit: number): Promise<number[]> {
    return this.repo.indexedIdsAfter(afterId, limit);
  }

  /** Ranked, filtered, paginated search with highlighted headlines and snippets. */
  async search(request: SearchRequest): Promise<SearchResults> {
    const page = request.page ?? 1;
    const limit = request.limit ?? 20;
    if (page > MAX_PAGE) throw new DomainError('BAD_REQUEST', `page must be at most ${MAX_PAGE}; narrow the search instead.`);
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
    const hits = await this.repo.search(parsed.clauses, filter, now, { limit, offset: (page - 1) * limit, order: request.order ?? 'relevance' });
    const total = hits.length < limit && page === 1 ? hits.length : await this.repo.count(parsed.clauses, filter, now, COUNT_CAP);
    const summaries = await this.repo.visibleSummaries(hits.map((h) => h.articleId), now);
    const items: SearchResultItem[] = [];
    for (const hit of hits) {
      const article = summaries.get(hit.articleId);
      if (article) items.push({ article, rank: hit.rank, ...this.highlight(article, parsed) });
    }
    return { query: request.q, items, page, limit, total, totalIsExact: total < COUNT_CAP };
  }

  /** Named entities of an article as tag suggestions for editors; ARTICLE_NOT_FOUND when missing. */
  async tagSuggestions(articleId: number, options: { visibleOnly: boolean }): Promise<TagSuggestion[]> {
    const missing = () => new DomainError('ARTICLE_NOT_FOUND', `No ${options.visibleOnly ? 'published ' : ''}article has the id ${articleId}.`);
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
