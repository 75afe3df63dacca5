import { sql, type Kysely, type Transaction } from 'kysely';
import type { Article, ArticleStatus, ArticleSummary, Tag } from '../../domain/article.js';
import { textDirection } from '../../domain/language.js';
import { parseCorrections } from '../../domain/workflow.js';
import { PreparedQuery } from '../prepared-query.js';
import type { Database, NewArticleRow } from '../schema.js';
import { isVisible, LEAD_MEDIA_COLUMNS, leadMediaFromRow, type LeadMediaColumns } from './row-mappers.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Filters of public article lists; all optional, combined with AND. */
export interface ArticleListFilter {
  sectionId?: number;
  tagId?: number;
  contentTypeId?: number;
  language?: string;
  /** Published strictly before / at or after (epoch ms). */
  publishedBefore?: number;
  publishedAfter?: number;
  excludeIds?: number[];
}

/** Keyset position: the last item of the previous page. */
export interface ListCursor {
  publishedAt: number;
  id: number;
}

/** The columns of an article summary (lists, search results); map rows with `summaryFromRow`. */
export const SUMMARY_COLUMNS = [
  'articles.id',
  'articles.language',
  'articles.slug',
  'articles.headline',
  'articles.dek',
  'articles.byline',
  'articles.place',
  'articles.content_type_id',
  'articles.section_id',
  'articles.status',
  'articles.published_at',
  'articles.updated_at',
] as const;

export interface SummaryRow extends LeadMediaColumns {
  id: number;
  language: string;
  slug: string;
  headline: string;
  dek: string;
  byline: string;
  place: string;
  content_type_id: number;
  section_id: number;
  status: string;
  published_at: number | null;
  updated_at: number;
}

export function summaryFromRow(row: SummaryRow): ArticleSummary {
  return {
    id: row.id,
    language: row.language,
    direction: textDirection(row.language),
    slug: row.slug,
    headline: row.headline,
    dek: row.dek,
    byline: row.byline,
    place: row.place,
    contentTypeId: row.content_type_id,
    sectionId: row.section_id,
    status: row.status as ArticleStatus,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    leadMedia: leadMediaFromRow(row),
  };
}

/** Articles and their tag links. */
export class ArticleRepository {
  // The article page's two reads, compiled once (see PreparedQuery).
  private readonly byId;
  private readonly tagsOfOne;
  private readonly stateById;

  constructor(private readonly db: Kysely<Database>) {
    this.byId = new PreparedQuery(db, 1, (id: number) =>
      db
        .selectFrom('articles')
        .leftJoin('media as m', 'm.id', 'articles.lead_media_id')
        .selectAll('articles')
        .select(LEAD_MEDIA_COLUMNS)
        .where('articles.id', '=', id),
    );
    this.stateById = new PreparedQuery(db, 1, (id: number) =>
      db.selectFrom('articles').select(['status', 'published_at']).where('id', '=', id),
    );
    this.tagsOfOne = new PreparedQuery(db, 1, (id: number) =>
      db
        .selectFrom('article_tags as at')
        .innerJoin('tags as t', 't.id', 'at.tag_id')
        .select(['t.id', 't.slug', 't.name', 't.kind', 't.language'])
        .where('at.article_id', '=', id)
        .orderBy('at.position'),
    );
  }

  async insert(row: NewArticleRow, trx: Db = this.db): Promise<number> {
    const inserted = await trx.insertInto('articles').values(row).returning('id').executeTakeFirstOrThrow();
    return inserted.id;
  }

  /** Replaces an article's tags; `created`: a new article has none to delete. */
  async setTags(articleId: number, tagIds: number[], trx: Db = this.db, created = false): Promise<void> {
    if (!created) await trx.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
    const unique = [...new Set(tagIds)];
    if (unique.length === 0) return;
    await trx
      .insertInto('article_tags')
      .values(unique.map((tagId, position) => ({ article_id: articleId, tag_id: tagId, position })))
      .execute();
  }

  /** One article with its lead media and tags, whatever its status; null when absent. */
  async findById(id: number): Promise<Article | null> {
    const row = await this.byId.executeTakeFirst(id);
    if (!row) return null;
    const tags = await this.tagsOfOne.execute(id);
    return {
      ...summaryFromRow(row),
      translationGroup: row.translation_group,
      bodyHtml: row.body_html,
      bodyText: row.body_text,
      source: row.source,
      firstPublishedAt: row.first_published_at,
      createdAt: row.created_at,
      revision: row.revision,
      tags,
      corrections: parseCorrections(row.corrections_json),
    };
  }

  /** Whether readers may see the article now (cheap: no body, no joins). */
  async isVisible(id: number, now: number): Promise<boolean> {
    const row = await this.stateById.executeTakeFirst(id);
    return !!row && row.status === 'published' && row.published_at !== null && row.published_at <= now;
  }

  /** Id of the newest visible article with this slug. */
  async findVisibleIdBySlug(slug: string, now: number): Promise<number | null> {
    const row = await this.db
      .selectFrom('articles')
      .select('id')
      .where('slug', '=', slug)
      .where(isVisible(now))
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** Visible articles, newest first (published_at, then id), keyset- or offset-paginated. */
  async listVisible(
    filter: ArticleListFilter,
    page: { limit: number; cursor?: ListCursor; offset?: number },
    now: number,
  ): Promise<ArticleSummary[]> {
    let q = this.db
      .selectFrom('articles')
      .leftJoin('media as m', 'm.id', 'articles.lead_media_id')
      .select(SUMMARY_COLUMNS)
      .select(LEAD_MEDIA_COLUMNS)
      .where(isVisible(now));
    q = applyFilter(q, filter);
    if (page.cursor) {
      const c = page.cursor;
      q = q.where((eb) =>
        eb(eb.refTuple('articles.published_at', 'articles.id'), '<', eb.tuple(c.publishedAt, c.id)),
      );
    }
    q = q.orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc').limit(page.limit);
    if (page.offset) q = q.offset(page.offset);
    const rows = await q.execute();
    return rows.map((r) => summaryFromRow(r as SummaryRow));
  }

  /**
   * How many visible articles match. By section and language only (a section's pages, a
   * language's home page), whatever the archive's size, from the counts triggers keep
   * (migration 035): the published ones, less those published for a time still to come
   * and the excluded ids that are visible (a few index entries each). Other filters count
   * their rows.
   */
  async countVisible(filter: ArticleListFilter, now: number): Promise<number> {
    const narrowedBy = Object.entries(filter).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (narrowedBy.every((k) => k === 'sectionId' || k === 'language' || k === 'excludeIds')) return this.countFromCounts(filter, now);
    const q = applyFilter(
      this.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where(isVisible(now)),
      filter,
    );
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  private async countFromCounts({ sectionId, language, excludeIds }: ArticleListFilter, now: number): Promise<number> {
    const where = { ...(sectionId !== undefined ? { sectionId } : {}), ...(language !== undefined ? { language } : {}) };
    let published = this.db.selectFrom('article_counts').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('published'), eb.lit(0)).as('n'));
    if (sectionId !== undefined) published = published.where('section_id', '=', sectionId);
    if (language !== undefined) published = published.where('language', '=', language);
    const count = this.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n'));
    const notYet = applyFilter(
      count.where('articles.status', '=', 'published').where((eb) => eb.or([eb('articles.published_at', '>', now), eb('articles.published_at', 'is', null)])),
      where,
    );
    const excluded = excludeIds?.length ? applyFilter(count.where(isVisible(now)).where('articles.id', 'in', excludeIds), where) : null;
    const { rows } = await sql<{ n: number | string }>`select (${published}) - (${notYet})${excluded ? sql` - (${excluded})` : sql``} as n`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  /** Whether any article exists: one index entry read, whatever the archive's size (start-up asks this). */
  async any(): Promise<boolean> {
    return (await this.db.selectFrom('articles').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  async countAll(): Promise<number> {
    const row = await this.db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Tags of several articles at once, in each article's tag order. */
  async tagsOf(articleIds: number[]): Promise<Map<number, Tag[]>> {
    const result = new Map<number, Tag[]>();
    if (articleIds.length === 0) return result;
    const rows = await this.db
      .selectFrom('article_tags as at')
      .innerJoin('tags as t', 't.id', 'at.tag_id')
      .select(['at.article_id', 't.id', 't.slug', 't.name', 't.kind', 't.language'])
      .where('at.article_id', 'in', articleIds)
      .orderBy('at.article_id')
      .orderBy('at.position')
      .execute();
    for (const r of rows) {
      const list = result.get(r.article_id) ?? [];
      list.push({ id: r.id, slug: r.slug, name: r.name, kind: r.kind, language: r.language });
      result.set(r.article_id, list);
    }
    return result;
  }

  async deleteAll(trx: Db = this.db): Promise<void> {
    await trx.deleteFrom('article_tags').execute();
    await trx.deleteFrom('articles').execute();
  }
}

// Narrowing works on any select from `articles`; typed loosely to keep one helper for lists and counts.
function applyFilter<Q extends { where: (...args: never[]) => unknown }>(query: Q, filter: ArticleListFilter): Q {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let q = query as any;
  if (filter.sectionId !== undefined) q = q.where('articles.section_id', '=', filter.sectionId);
  if (filter.contentTypeId !== undefined) q = q.where('articles.content_type_id', '=', filter.contentTypeId);
  if (filter.language !== undefined) q = q.where('articles.language', '=', filter.language);
  if (filter.publishedBefore !== undefined) q = q.where('articles.published_at', '<', filter.publishedBefore);
  if (filter.publishedAfter !== undefined) q = q.where('articles.published_at', '>=', filter.publishedAfter);
  if (filter.excludeIds?.length) q = q.where('articles.id', 'not in', filter.excludeIds);
  if (filter.tagId !== undefined) {
    const tagId = filter.tagId;
    q = q.where((eb: any) =>
      eb.exists(
        eb
          .selectFrom('article_tags')
          .select('article_tags.article_id')
          .whereRef('article_tags.article_id', '=', 'articles.id')
          .where('article_tags.tag_id', '=', tagId),
      ),
    );
  }
  return q as Q;
}
