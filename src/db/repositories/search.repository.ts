import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { ArticleStatus, ArticleSummary, Tag } from '../../domain/article.js';
import type { ExtractedEntity } from '../../domain/entity-extraction.js';
import type { QueryClause } from '../../domain/text-analysis.js';
import type { Engine } from '../database.js';
import { jsonRowsFor, parseJsonRows, type JsonRowsFrom } from '../json-rows.js';
import type { Database } from '../schema.js';
import { SUMMARY_COLUMNS, summaryFromRow, type SummaryRow } from './article.repository.js';
import { isVisible, LEAD_MEDIA_COLUMNS, parseTermCounts } from './row-mappers.js';
import { replaceTermFrequencies, type FieldTerms, type FullTextAdapter, type Ranking, type SearchHit } from './search/full-text.js';
import { hasFilters, planSearch, RANK_POOL, rowConditions, SCAN_BUDGET, type PlanReads, type SearchFilter, type SearchPlan } from './search/planner.js';
import { PostgresTsvector } from './search/postgres.js';
import { SqliteFts5 } from './search/sqlite.js';
import { writeBehind } from '../write-behind.js';

export { hasFilters, matchesFirst, PREFIX_EXPANSIONS, RANK_POOL, SCAN_BUDGET, type SearchFilter, type SearchPlan } from './search/planner.js';
export type { SearchHit } from './search/full-text.js';

type Db = Kysely<Database> | Transaction<Database>;

/** One article as the index stores it. */
export interface SearchDocumentInput {
  articleId: number;
  language: string;
  sectionId: number;
  contentTypeId: number;
  publishedAt: number;
  isMedia: boolean;
  fields: FieldTerms;
  headlineTerms: string[];
  /** The article's most distinctive content terms with their frequency. */
  topTerms: [string, number][];
  termCount: number;
  entities: ExtractedEntity[];
}

/** What the related engine reads about an indexed article. */
export interface IndexedDocument {
  articleId: number;
  language: string;
  publishedAt: number;
  contentTypeId: number;
  isMedia: boolean;
  headlineTerms: string[];
  topTerms: [string, number][];
  /** Index terms in headline, dek and body: the text's length. */
  termCount: number;
}

/** A visible article as search results show it: summary plus text for the snippet. */
export interface SearchSummary extends ArticleSummary {
  bodyText: string;
}

/** The article fields the indexer reads. */
export interface ArticleForIndex {
  id: number;
  status: ArticleStatus;
  language: string;
  sectionId: number;
  contentTypeId: number;
  publishedAt: number | null;
  headline: string;
  dek: string;
  bodyText: string;
  byline: string;
  source: string;
  place: string;
  leadMediaKind: string | null;
  tags: Tag[];
}

/** The search index, entities and the reads search and the related engine need: the only SQL of this area. */
export class SearchRepository {
  readonly fullText: FullTextAdapter;
  private readonly jsonRows: JsonRowsFrom;

  constructor(
    private readonly db: Kysely<Database>,
    readonly engine: Engine,
  ) {
    this.fullText = engine === 'sqlite' ? new SqliteFts5() : new PostgresTsvector();
    this.jsonRows = jsonRowsFor(db);
  }

  /** Writes (or rewrites) an article's index entry and entities, in one transaction. */
  async upsert(doc: SearchDocumentInput): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.write(trx, doc);
    });
  }

  /**
   * Many documents in one transaction, for a rebuild between `beginBulkIndex()` and
   * `finishBulkIndex(df)`: document frequencies are not counted here. `indexedAt`: the time
   * the rebuild's writing began, on all its documents, so that what other writers index
   * while its indexes are built can be told from them (PostgreSQL's `endBulk`).
   */
  async upsertMany(docs: SearchDocumentInput[], indexedAt = Date.now()): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // FTS5 flushes its pending terms to disk at every statement savepoint, which any other
      // write in the transaction opens: interleaved, each document became its own segment and
      // merging them dominated a large reindex (~20 documents/s at 20k). Full-text rows last,
      // together: one flush per batch.
      // Many rows a statement (a rebuild writes every document: one statement each was most of
      // PostgreSQL's writing time).
      for (let i = 0; i < docs.length; i += BULK_ROWS) {
        const chunk = docs.slice(i, i + BULK_ROWS);
        await trx
          .insertInto('search_documents')
          .values(chunk.map((doc) => ({ article_id: doc.articleId, ...this.documentRow(doc, indexedAt) })))
          .onConflict((oc) => oc.column('article_id').doUpdateSet(excludedColumns(this.documentRow(chunk[0]!, indexedAt))))
          .execute();
        await this.fullText.writeBulk(trx, chunk);
        await trx.deleteFrom('article_entities').where('article_id', 'in', chunk.map((d) => d.articleId)).execute();
        const entities = chunk.flatMap((doc) => entityRows(doc));
        for (let j = 0; j < entities.length; j += BULK_ROWS * 10) await trx.insertInto('article_entities').values(entities.slice(j, j + BULK_ROWS * 10)).execute();
      }
      for (const doc of docs) await this.fullText.write(trx, doc.articleId, doc.fields);
    });
  }

  private async write(trx: Db, doc: SearchDocumentInput): Promise<void> {
    // Only an adapter that counts new documents itself needs to know (one statement less on PostgreSQL).
    const existed = this.fullText.countsNewDocuments
      ? await trx.selectFrom('search_documents').select('article_id').where('article_id', '=', doc.articleId).executeTakeFirst()
      : true;
    await this.writeDocument(trx, doc);
    await this.fullText.write(trx, doc.articleId, doc.fields);
    if (!existed) {
      const f = doc.fields;
      await this.fullText.countNewDocument(trx, [...new Set([...f.headline, ...f.dek, ...f.body, ...f.tags, ...f.byline])]);
    }
  }

  /** A document's row in `search_documents`, but its id. */
  private documentRow(doc: SearchDocumentInput, indexedAt = Date.now()) {
    return {
      language: doc.language,
      section_id: doc.sectionId,
      content_type_id: doc.contentTypeId,
      published_at: doc.publishedAt,
      is_media: doc.isMedia ? 1 : 0,
      headline_terms: doc.headlineTerms.join(' '),
      top_terms: JSON.stringify(doc.topTerms),
      term_count: doc.termCount,
      indexed_at: indexedAt,
      ...(this.fullText.documentColumns(doc.fields) as object),
    };
  }

  /** The document row and entities (the full-text rows are written by the adapter); in a transaction, written behind (write-behind.ts). */
  private async writeDocument(trx: Db, doc: SearchDocumentInput): Promise<void> {
    const row = this.documentRow(doc);
    await writeBehind(() =>
      trx
        .insertInto('search_documents')
        .values({ article_id: doc.articleId, ...row })
        .onConflict((oc) => oc.column('article_id').doUpdateSet(excludedColumns(row)))
        .execute(),
    );
    await writeBehind(() => trx.deleteFrom('article_entities').where('article_id', '=', doc.articleId).execute());
    if (doc.entities.length) await writeBehind(() => trx.insertInto('article_entities').values(entityRows(doc)).execute());
  }

  /** What an operator should know at start-up about full-text search on this engine, or `null` (see the adapters' `notice`). */
  async fullTextNotice(): Promise<string | null> {
    return this.fullText.notice(this.db);
  }

  /** Takes an article out of the index (unpublished, killed, deleted). */
  async remove(articleId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.fullText.erase(trx, articleId);
      await trx.deleteFrom('search_documents').where('article_id', '=', articleId).execute();
      await trx.deleteFrom('article_entities').where('article_id', '=', articleId).execute();
    });
  }

  async clear(): Promise<void> {
    await this.db.transaction().execute((trx) => this.fullText.clear(trx));
  }

  /**
   * About how many documents the index holds: the span of their ids (two steps down the
   * primary key, where counting them read every entry: 100-170 ms at 1M on PostgreSQL).
   */
  async documentSpan(): Promise<number> {
    const { lo, hi } = await this.planReads.idRange();
    return hi > 0 ? hi - lo + 1 : 0;
  }

  /** Expands prefixes and bounds a broad query's scan (see `planSearch` in search/planner.ts). */
  async planSearch(clauses: QueryClause[], budget = SCAN_BUDGET): Promise<SearchPlan> {
    return planSearch(clauses, this.planReads, budget);
  }

  private readonly planReads: PlanReads = {
    expandPrefix: (prefix, max) => this.fullText.expandPrefix(this.db, prefix, max),
    documentFrequencies: (terms) => this.documentFrequencies(terms),
    idRange: async () => {
      // Two statements: each is one step down the primary key (SQLite scans for min and max together).
      const lo = Number((await this.db.selectFrom('search_documents').select((eb) => eb.fn.min<number>('article_id').as('id')).executeTakeFirst())?.id ?? 0);
      const hi = Number((await this.db.selectFrom('search_documents').select((eb) => eb.fn.max<number>('article_id').as('id')).executeTakeFirst())?.id ?? 0);
      return { lo, hi };
    },
  };

  /** `from … where …` of a search: the engine's match, visibility in time and the filters. */
  private filtered(clauses: QueryClause[], mode: 'all' | 'any', filter: SearchFilter, now: number) {
    const q = this.fullText.query(clauses, mode);
    if (!q) return null;
    const conditions = [filter.minId != null && filter.walk ? q.scanMatch : q.match, ...rowConditions(filter, now)];
    if (filter.minId != null) conditions.push(this.fullText.fromId(filter.minId));
    return { ...q, body: sql`from ${q.from} where ${sql.join(conditions, sql` and `)}` };
  }

  /**
   * Ranked matches (relevance, then newest), or newest first with `order: 'date'`; with
   * `filter.minId` (a broad query, see `planSearch`) newest first either way, unranked.
   */
  async search(
    clauses: QueryClause[],
    filter: SearchFilter,
    now: number,
    page: { limit: number; offset: number; order: 'relevance' | 'date'; mode?: 'all' | 'any'; ranking?: Ranking; rankPool?: number },
  ): Promise<SearchHit[]> {
    if (page.ranking === 'related') return this.relatedMatches(clauses, now, page.limit);
    const f = this.filtered(clauses, page.mode ?? 'all', filter, now);
    if (!f) return [];
    const paging = sql`limit ${page.limit} offset ${page.offset}`;
    let query;
    if (filter.minId != null) {
      // Broad: newest matches first, read backwards from the newest article (rank 0).
      if (page.order !== 'date') {
        const ids = await this.fullText.newestPage(this.db, { query: f, filter, now, want: page.offset + page.limit });
        if (ids) return ids.slice(page.offset).map((articleId) => ({ articleId, rank: 0 }));
      }
      const order = page.order === 'date' ? sql`d.published_at desc, d.article_id desc` : filter.walk ? f.newest : f.newestCollected;
      query = sql`select d.article_id as article_id, 0 as rank ${f.body} order by ${order} ${paging}`;
    } else {
      if (page.order === 'relevance') {
        const hits = await this.fullText.rankedPage(this.db, { query: f, filter, now, want: page.offset + page.limit, pool: page.rankPool ?? RANK_POOL });
        if (hits) return hits.slice(page.offset, page.offset + page.limit);
      } else {
        const hits = await this.fullText.datePage?.(this.db, { query: f, filter, now, limit: page.limit, offset: page.offset });
        if (hits) return hits;
      }
      const order = page.order === 'date' ? sql`d.published_at desc, d.article_id desc` : sql`rank desc, d.published_at desc, d.article_id desc`;
      query = sql`select d.article_id as article_id, ${f.rank} as rank ${f.body} order by ${order} ${paging}`;
    }
    const rows = await sql<{ article_id: number; rank: number }>`${query}`.execute(this.db);
    return rows.rows.map((r) => ({ articleId: Number(r.article_id), rank: Number(r.rank) }));
  }

  /**
   * More-like-this (`ranking: 'related'`): documents holding any of the query's words,
   * best first, visible ones only, `limit` of them; filters other than visibility do not apply. Ranked in
   * the text index alone and checked for visibility after: joining every match to its
   * document row doubled the cost of a query that reads tens of thousands of postings.
   */
  private async relatedMatches(clauses: QueryClause[], now: number, limit: number): Promise<SearchHit[]> {
    const terms = [...new Set(clauses.filter((c) => !c.negated && !c.prefix && !c.anyOf && c.terms.length === 1).map((c) => c.terms[0]!))];
    const ranked = await this.moreLikeThisRanked(terms, limit);
    const visible = new Set<number>();
    const ids = ranked.map((r) => Number(r.id));
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('search_documents')
        .select('article_id')
        .where('article_id', 'in', ids.slice(i, i + 500))
        .where('published_at', '<=', now)
        .execute();
      for (const r of rows) visible.add(r.article_id);
    }
    return ranked
      .filter((r) => visible.has(Number(r.id)))
      .slice(0, limit)
      .map((r) => ({ articleId: Number(r.id), rank: Number(r.rank) }));
  }

  /**
   * More-like-this as the related engine reads it: documents holding any of `terms`, best
   * first, `limit` and `RELATED_SPARE` more, visible or not. The engine takes the first
   * `limit` visible ones from the documents it reads for scoring anyway (a statement and a
   * round trip less per list than checking them here).
   */
  async moreLikeThis(terms: string[], limit: number): Promise<number[]> {
    return (await this.moreLikeThisRanked([...new Set(terms)], limit)).map((r) => Number(r.id));
  }

  /** A few spare places for embargoed matches, which the callers drop. */
  private moreLikeThisRanked(terms: string[], limit: number) {
    return this.fullText.relatedMatches(this.db, terms, limit + RELATED_SPARE);
  }

  /** Number of matches, counted up to `cap` (exact below it). */
  async count(clauses: QueryClause[], filter: SearchFilter, now: number, cap: number): Promise<number> {
    const f = this.filtered(clauses, 'all', filter, now);
    if (!f) return 0;
    const counted = this.fullText.countMatches ? await this.fullText.countMatches(this.db, { query: f, filter, now, want: cap }) : null;
    if (counted !== null) return counted;
    if (filter.minId != null) {
      const ids = await this.fullText.newestPage(this.db, { query: f, filter, now, want: cap });
      if (ids) return ids.length;
    }
    // Without filters SQLite counts in the text index alone (a join per match cost more than
    // the search); articles still under embargo are then counted too, in totals of 20 or more.
    const body =
      !hasFilters(filter) && f.matchesOnly
        ? filter.minId != null
          ? sql`from ${f.matchesOnly} and ${this.fullText.fromId(filter.minId)}`
          : sql`from ${f.matchesOnly}`
        : f.body;
    const row = await sql<{ n: number }>`select count(*) as n from (select 1 as one ${body} limit ${cap}) m`.execute(this.db);
    return Number(row.rows[0]?.n ?? 0);
  }

  async documentFrequencies(terms: string[]): Promise<Map<string, number>> {
    return this.fullText.documentFrequencies(this.db, [...new Set(terms)]);
  }

  async documentCount(): Promise<number> {
    const row = await this.db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async documents(ids: number[]): Promise<Map<number, IndexedDocument>> {
    const out = new Map<number, IndexedDocument>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('search_documents')
        .select(['article_id', 'language', 'published_at', 'content_type_id', 'is_media', 'headline_terms', 'top_terms', 'term_count'])
        .where('article_id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) {
        out.set(r.article_id, {
          articleId: r.article_id,
          language: r.language,
          publishedAt: Number(r.published_at),
          contentTypeId: r.content_type_id,
          isMedia: r.is_media === 1,
          headlineTerms: r.headline_terms ? r.headline_terms.split(' ') : [],
          topTerms: parseTermCounts(r.top_terms),
          termCount: Number(r.term_count),
        });
      }
    }
    return out;
  }

  /**
   * Visible articles sharing any of the tags, newest links first, at most `perTag` per tag.
   * One statement: each tag's newest links, united (one round trip, not one per tag).
   */
  async articlesSharingTags(tagIds: number[], excludeId: number, now: number, perTag: number): Promise<{ articleId: number; tagId: number }[]> {
    const parts = tagIds.map((tagId) =>
      this.db
        .selectFrom('article_tags as at')
        .innerJoin('articles', 'articles.id', 'at.article_id')
        .select(['at.article_id', 'at.tag_id'])
        .where('at.tag_id', '=', tagId)
        .where('at.article_id', '<>', excludeId)
        .where(isVisible(now))
        .orderBy('at.article_id', 'desc')
        .limit(perTag),
    );
    const rows = await this.unionOfLimited(parts);
    return inListOrder(rows, tagIds, (r) => r.tag_id).map((r) => ({ articleId: r.article_id, tagId: r.tag_id }));
  }

  /** Indexed articles naming any of the entities, newest first, at most `perEntity` each (one statement, as above). */
  async articlesSharingEntities(keys: string[], excludeId: number, now: number, perEntity: number): Promise<{ articleId: number; key: string }[]> {
    const parts = keys.map((key) =>
      this.db
        .selectFrom('article_entities as e')
        .innerJoin('search_documents as d', 'd.article_id', 'e.article_id')
        .select(['e.article_id', 'e.entity_key'])
        .where('e.entity_key', '=', key)
        .where('e.article_id', '<>', excludeId)
        .where('d.published_at', '<=', now)
        .orderBy('e.article_id', 'desc')
        .limit(perEntity),
    );
    const rows = await this.unionOfLimited(parts);
    return inListOrder(rows, keys, (r) => r.entity_key).map((r) => ({ articleId: r.article_id, key: r.entity_key }));
  }

  /** Runs ordered, limited selects as one `union all` (each wrapped, since a compound's members cannot each have a limit). */
  private async unionOfLimited<O>(parts: SelectQueryBuilder<Database, any, O>[]): Promise<O[]> {
    if (!parts.length) return [];
    const wrapped = parts.map((part, i) => this.db.selectFrom(part.as(`p${i}`)).selectAll() as unknown as SelectQueryBuilder<Database, any, O>);
    return wrapped.slice(1).reduce((q, part) => q.unionAll(part), wrapped[0]!).execute();
  }

  /** Number of articles carrying each tag (for tag idf); tags on no article are absent. */
  async tagFrequencies(tagIds: number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (!tagIds.length) return out;
    const rows = await this.db
      .selectFrom('article_tags')
      .select(['tag_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tag_id', 'in', tagIds)
      .groupBy('tag_id')
      .execute();
    for (const r of rows) out.set(r.tag_id, Number(r.n));
    return out;
  }

  /** Number of indexed articles naming each entity (for entity idf). */
  async entityFrequencies(keys: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!keys.length) return out;
    const rows = await this.db
      .selectFrom('article_entities')
      .select(['entity_key', (eb) => eb.fn.countAll<number>().as('n')])
      .where('entity_key', 'in', keys)
      .groupBy('entity_key')
      .execute();
    for (const r of rows) out.set(r.entity_key, Number(r.n));
    return out;
  }

  async tagsOf(articleId: number): Promise<{ id: number; name: string }[]> {
    return this.db
      .selectFrom('article_tags as at')
      .innerJoin('tags', 'tags.id', 'at.tag_id')
      .select(['tags.id', 'tags.name'])
      .where('at.article_id', '=', articleId)
      .orderBy('at.position')
      .execute();
  }

  /**
   * For each of `ids`, the names of the source's tags (`names`: tag id → name) it carries.
   * Read by the candidates' keys (`article_id`, `tag_id`): joined through the source's tags,
   * PostgreSQL read every article of each tag (a tag on 72,000 of 1M articles: 840 ms a list).
   */
  async sharedTags(names: ReadonlyMap<number, string>, ids: number[]): Promise<Map<number, Set<string>>> {
    if (!ids.length || !names.size) return new Map();
    const rows = await this.db.selectFrom('article_tags').select(['article_id', 'tag_id']).where('article_id', 'in', ids).where('tag_id', 'in', [...names.keys()]).execute();
    return namesByArticle(rows.map((r) => [r.article_id, names.get(r.tag_id)!]));
  }

  /** For each of `ids`, the names of the source's entities (`names`: entity key → name) it names too; read by the candidates' keys as `sharedTags`. */
  async sharedEntities(names: ReadonlyMap<string, string>, ids: number[]): Promise<Map<number, Set<string>>> {
    if (!ids.length || !names.size) return new Map();
    const rows = await this.db.selectFrom('article_entities').select(['article_id', 'entity_key']).where('article_id', 'in', ids).where('entity_key', 'in', [...names.keys()]).execute();
    return namesByArticle(rows.map((r) => [r.article_id, names.get(r.entity_key)!]));
  }

  async entitiesOf(articleId: number): Promise<ExtractedEntity[]> {
    const rows = await this.db
      .selectFrom('article_entities')
      .select(['entity_key', 'kind', 'name', 'mentions'])
      .where('article_id', '=', articleId)
      .orderBy('mentions', 'desc')
      .orderBy('entity_key')
      .execute();
    return rows.map((r) => ({ key: r.entity_key, kind: r.kind, name: r.name, count: r.mentions }));
  }

  /** Visible articles by id (in no particular order), with body text for snippets. */
  async visibleSummaries(ids: number[], now: number): Promise<Map<number, SearchSummary>> {
    const out = new Map<number, SearchSummary>();
    if (!ids.length) return out;
    const rows = await this.db
      .selectFrom('articles')
      .leftJoin('media as m', 'm.id', 'articles.lead_media_id')
      .select([...SUMMARY_COLUMNS, 'articles.body_text'])
      .select(LEAD_MEDIA_COLUMNS)
      .where('articles.id', 'in', ids)
      .where(isVisible(now))
      .execute();
    for (const r of rows) {
      out.set(r.id, { ...summaryFromRow(r as SummaryRow), bodyText: r.body_text });
    }
    return out;
  }

  /** An article with what indexing needs, whatever its status; null when it does not exist. */
  async articleForIndex(id: number): Promise<ArticleForIndex | null> {
    return (await this.articlesForIndex([id]))[0] ?? null;
  }

  async articlesForIndex(ids: number[]): Promise<ArticleForIndex[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .selectFrom('articles')
      .leftJoin('media as m', 'm.id', 'articles.lead_media_id')
      .select([
        'articles.id',
        'articles.status',
        'articles.language',
        'articles.section_id',
        'articles.content_type_id',
        'articles.published_at',
        'articles.headline',
        'articles.dek',
        'articles.body_text',
        'articles.byline',
        'articles.source',
        'articles.place',
        'm.kind as media_kind',
      ])
      // Each article's tags as a JSON column of its row: one statement (a round trip on PostgreSQL).
      .select((eb) =>
        this.jsonRows(
          eb
            .selectFrom('article_tags as at')
            .innerJoin('tags', 'tags.id', 'at.tag_id')
            .select(['tags.id', 'tags.slug', 'tags.name', 'tags.kind', 'tags.language'])
            .whereRef('at.article_id', '=', 'articles.id')
            .orderBy('at.position'),
        ).as('tags'),
      )
      .where('articles.id', 'in', ids)
      .orderBy('articles.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      language: r.language,
      sectionId: r.section_id,
      contentTypeId: r.content_type_id,
      publishedAt: r.published_at === null ? null : Number(r.published_at),
      headline: r.headline,
      dek: r.dek,
      bodyText: r.body_text,
      byline: r.byline,
      source: r.source,
      place: r.place,
      leadMediaKind: r.media_kind,
      tags: parseJsonRows(r.tags).map((t): Tag => ({ id: t.id, slug: t.slug, name: t.name, kind: t.kind, language: t.language })),
    }));
  }

  /** Ids of published articles after `afterId`, ascending (reindex batches). */
  async publishedIdsAfter(afterId: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('articles')
      .select('id')
      .where('status', '=', 'published')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  async indexedIdsAfter(afterId: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('search_documents')
      .select('article_id')
      .where('article_id', '>', afterId)
      .orderBy('article_id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.article_id);
  }

  async countPublished(): Promise<number> {
    const row = await this.db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'published')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The text-analysis version the indexed documents were written with. */
  async analyzerVersion(): Promise<number> {
    const row = await this.db.selectFrom('search_state').select('value').where('key', '=', 'analyzer_version').executeTakeFirst();
    return Number(row?.value ?? 1);
  }

  /** Hashes of the archive's boilerplate lines (see `domain/boilerplate.ts`), as the last rebuild found them. */
  async boilerplateLines(): Promise<string[]> {
    const row = await this.db.selectFrom('search_state').select('value').where('key', '=', 'boilerplate_lines').executeTakeFirst();
    if (!row) return [];
    try {
      const parsed: unknown = JSON.parse(row.value);
      return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }

  async setBoilerplateLines(keys: string[]): Promise<void> {
    const value = JSON.stringify(keys);
    await this.db
      .insertInto('search_state')
      .values({ key: 'boilerplate_lines', value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  async setAnalyzerVersion(version: number): Promise<void> {
    await this.db
      .insertInto('search_state')
      .values({ key: 'analyzer_version', value: String(version) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(version) }))
      .execute();
  }

  /** Before a rebuild's `upsertMany` batches: document frequencies stop being counted row by row. */
  async beginBulkIndex(): Promise<void> {
    await this.fullText.beginBulk(this.db);
  }

  /**
   * After a rebuild: the document frequencies it counted replace the table, and counting
   * resumes. `writtenAt`: the time its documents were written with (`upsertMany`).
   */
  async finishBulkIndex(df: Map<string, number>, writtenAt: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await replaceTermFrequencies(trx, df);
    });
    await this.fullText.endBulk(this.db, writtenAt);
  }
}

/** Rows grouped in the order of `keys`, newest article first within a group (a union's order is not guaranteed). */
function inListOrder<R extends { article_id: number }, K>(rows: R[], keys: K[], keyOf: (row: R) => K): R[] {
  const rank = new Map(keys.map((k, i) => [k, i]));
  return rows.sort((a, b) => rank.get(keyOf(a))! - rank.get(keyOf(b))! || b.article_id - a.article_id);
}

/** Names grouped by article. */
function namesByArticle(pairs: [number, string][]): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const [id, name] of pairs) (out.get(id) ?? out.set(id, new Set()).get(id)!).add(name);
  return out;
}

/** More-like-this matches read beyond the `limit` asked for, in place of embargoed ones. */
const RELATED_SPARE = 20;

/** Documents a statement in a bulk write (about 12 parameters each; entities: ten times as many rows of 5). */
const BULK_ROWS = 100;

/** An upsert's new values by reference (`excluded.…`): each is sent once, the terms included. */
function excludedColumns(row: object) {
  return Object.fromEntries(Object.keys(row).map((k) => [k, sql.ref(`excluded.${k}`)]));
}

/** A document's rows in `article_entities`. */
function entityRows(doc: SearchDocumentInput) {
  return doc.entities.map((e) => ({ article_id: doc.articleId, entity_key: e.key, kind: e.kind, name: e.name, mentions: e.count }));
}
