import { sql, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { AdminArticle, AdminArticleSummary, AdminRelatedLink } from '../../domain/admin-article.js';
import type { ArticleStatus } from '../../domain/article.js';
import { textDirection } from '../../domain/language.js';
import { parseCorrections } from '../../domain/workflow.js';
import { jsonRowsFor, parseJsonRows, type JsonRowsFrom } from '../json-rows.js';
import type { ArticleTable, Database, NewArticleRow } from '../schema.js';
import { LEAD_MEDIA_COLUMNS, leadMediaFromRow, type LeadMediaColumns } from './row-mappers.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface AdminListFilter {
  status?: ArticleStatus;
  /** Matches the headline (case-insensitive substring). */
  q?: string;
  sectionId?: number;
  authorId?: number;
  language?: string;
}

export interface AdminListCursor {
  updatedAt: number;
  id: number;
}

const ADMIN_COLUMNS = [
  'articles.id',
  'articles.status',
  'articles.revision',
  'articles.language',
  'articles.slug',
  'articles.headline',
  'articles.dek',
  'articles.section_id',
  'articles.content_type_id',
  'articles.byline',
  'articles.source',
  'articles.place',
  'articles.lead_media_id',
  'articles.author_id',
  'articles.scheduled_at',
  'articles.embargo_until',
  'articles.published_at',
  'articles.first_published_at',
  'articles.updated_at',
  'u.name as author_name',
] as const;

interface AdminRow extends LeadMediaColumns {
  id: number;
  status: ArticleStatus;
  revision: number;
  language: string;
  slug: string;
  headline: string;
  dek: string;
  section_id: number;
  content_type_id: number;
  byline: string;
  source: string;
  place: string;
  lead_media_id: number | null;
  author_id: number | null;
  scheduled_at: number | null;
  embargo_until: number | null;
  published_at: number | null;
  first_published_at: number | null;
  updated_at: number;
  author_name: string | null;
}

function summaryFromRow(r: AdminRow, tags: AdminArticleSummary['tags']): AdminArticleSummary {
  return {
    id: r.id,
    status: r.status,
    revision: r.revision,
    language: r.language,
    direction: textDirection(r.language),
    slug: r.slug,
    headline: r.headline,
    dek: r.dek,
    sectionId: r.section_id,
    contentTypeId: r.content_type_id,
    byline: r.byline,
    source: r.source,
    place: r.place,
    leadMediaId: r.lead_media_id,
    leadMedia: leadMediaFromRow(r),
    tags,
    authorId: r.author_id,
    authorName: r.author_name,
    scheduledAt: r.scheduled_at,
    embargoUntil: r.embargo_until,
    publishedAt: r.published_at,
    firstPublishedAt: r.first_published_at,
    updatedAt: r.updated_at,
  };
}

function relatedLinkFromRow(r: { related_id: number; headline: string; pinned: number; sort: number; status: ArticleStatus }): AdminRelatedLink {
  return { id: r.related_id, headline: r.headline, pinned: r.pinned === 1, sort: Number(r.sort), status: r.status };
}

/** The newsroom's reads and guarded writes of articles (any status). */
export class AdminArticleRepository {
  private readonly jsonRows: JsonRowsFrom;

  constructor(private readonly db: Kysely<Database>) {
    this.jsonRows = jsonRowsFor(db);
  }

  private base(trx: Db) {
    return trx
      .selectFrom('articles')
      .leftJoin('media as m', 'm.id', 'articles.lead_media_id')
      .leftJoin('users as u', 'u.id', 'articles.author_id')
      .select(ADMIN_COLUMNS)
      .select(LEAD_MEDIA_COLUMNS);
  }

  async insert(row: NewArticleRow, trx: Db = this.db): Promise<number> {
    const r = await trx.insertInto('articles').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  /** One article with body, tags, related links and corrections; null when absent. */
  async find(id: number, trx: Db = this.db): Promise<AdminArticle | null> {
    // Tags and related links come as JSON columns of the article's row: one statement, one
    // round trip on PostgreSQL (an editor's save reads the article two or three times).
    const row = await this.base(trx)
      .select(['articles.body_html', 'articles.corrections_json'])
      .select((eb) => [
        this.jsonRows(
          eb.selectFrom('article_tags as at').innerJoin('tags as t', 't.id', 'at.tag_id').select(['t.kind', 't.name']).whereRef('at.article_id', '=', 'articles.id').orderBy('at.position'),
        ).as('tags_json'),
        this.jsonRows(
          eb
            .selectFrom('related as r')
            .innerJoin('articles as a', 'a.id', 'r.related_id')
            .select(['r.related_id', 'r.pinned', 'r.sort', 'a.headline', 'a.status'])
            .whereRef('r.article_id', '=', 'articles.id')
            .orderBy('r.sort'),
        ).as('related_json'),
      ])
      .where('articles.id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    const tags = parseJsonRows(row.tags_json).map((t) => ({ kind: t.kind, name: t.name }));
    return {
      ...summaryFromRow(row as AdminRow, tags),
      bodyHtml: row.body_html,
      related: parseJsonRows(row.related_json).map(relatedLinkFromRow),
      corrections: parseCorrections(row.corrections_json),
    };
  }

  /** Status, author and revision only (cheap pre-checks). */
  async state(id: number, trx: Db = this.db) {
    return (
      (await trx
        .selectFrom('articles')
        .select(['id', 'status', 'author_id', 'revision', 'published_at', 'first_published_at', 'scheduled_at', 'embargo_until', 'corrections_json'])
        .where('id', '=', id)
        .executeTakeFirst()) ?? null
    );
  }

  /** Newest change first, keyset-paginated on (updated_at, id). */
  async list(filter: AdminListFilter, limit: number, cursor?: AdminListCursor): Promise<AdminArticleSummary[]> {
    let q = this.base(this.db);
    if (filter.status) q = q.where('articles.status', '=', filter.status);
    if (filter.sectionId !== undefined) q = q.where('articles.section_id', '=', filter.sectionId);
    if (filter.authorId !== undefined) q = q.where('articles.author_id', '=', filter.authorId);
    if (filter.language) q = q.where('articles.language', '=', filter.language);
    if (filter.q) {
      const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where(sql<boolean>`lower(articles.headline) like ${pattern} escape '\\'`);
    }
    if (cursor) {
      q = q.where((eb) => eb(eb.refTuple('articles.updated_at', 'articles.id'), '<', eb.tuple(cursor.updatedAt, cursor.id)));
    }
    const rows = (await q.orderBy('articles.updated_at', 'desc').orderBy('articles.id', 'desc').limit(limit).execute()) as AdminRow[];
    const tags = await this.tagsOf(rows.map((r) => r.id));
    return rows.map((r) => summaryFromRow(r, tags.get(r.id) ?? []));
  }

  private async tagsOf(ids: number[], trx: Db = this.db): Promise<Map<number, AdminArticleSummary['tags']>> {
    const out = new Map<number, AdminArticleSummary['tags']>();
    if (!ids.length) return out;
    const rows = await trx
      .selectFrom('article_tags as at')
      .innerJoin('tags as t', 't.id', 'at.tag_id')
      .select(['at.article_id', 't.kind', 't.name'])
      .where('at.article_id', 'in', ids)
      .orderBy('at.article_id')
      .orderBy('at.position')
      .execute();
    for (const r of rows) {
      const list = out.get(r.article_id) ?? [];
      list.push({ kind: r.kind, name: r.name });
      out.set(r.article_id, list);
    }
    return out;
  }

  /** The whole related list in `sort` order, whatever the linked articles' status. */
  async relatedOf(id: number, trx: Db = this.db): Promise<AdminRelatedLink[]> {
    const rows = await trx
      .selectFrom('related as r')
      .innerJoin('articles as a', 'a.id', 'r.related_id')
      .select(['r.related_id', 'r.pinned', 'r.sort', 'a.headline', 'a.status'])
      .where('r.article_id', '=', id)
      .orderBy('r.sort')
      .execute();
    return rows.map(relatedLinkFromRow);
  }

  /**
   * Writes `changes` and bumps the revision only if the article is still at
   * `expectedRevision`; returns the new revision, or null when someone else saved
   * first. The row lock (PostgreSQL) or the single writer (SQLite) makes the check
   * and the write one step, so two concurrent saves can never both succeed.
   */
  async updateIfRevision(id: number, expectedRevision: number, changes: Updateable<ArticleTable>, trx: Db): Promise<number | null> {
    const row = await trx
      .updateTable('articles')
      .set({ ...changes, revision: sql`revision + 1` })
      .where('id', '=', id)
      .where('revision', '=', expectedRevision)
      .returning('revision')
      .executeTakeFirst();
    return row ? row.revision : null;
  }

  /** Headlines of the given articles (those that exist). */
  async headlines(ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db.selectFrom('articles').select(['id', 'headline']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.headline]));
  }

  async existingIds(ids: number[]): Promise<number[]> {
    if (!ids.length) return [];
    const rows = await this.db.selectFrom('articles').select('id').where('id', 'in', ids).execute();
    return rows.map((r) => r.id);
  }

  /** Scheduled articles whose time has come. */
  async dueScheduled(now: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('articles')
      .select('id')
      .where('status', '=', 'scheduled')
      .where('scheduled_at', '<=', now)
      .orderBy('scheduled_at')
      .execute();
    return rows.map((r) => r.id);
  }

  async delete(id: number, trx: Db = this.db): Promise<void> {
    await trx.deleteFrom('articles').where('id', '=', id).execute();
  }

  async countInSection(sectionId: number): Promise<number> {
    const r = await this.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where('section_id', '=', sectionId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async countOfContentType(typeId: number): Promise<number> {
    const r = await this.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where('content_type_id', '=', typeId).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
