import { sql, type Kysely, type Transaction } from 'kysely';
import type { RelatedItem } from '../../domain/article.js';
import { PreparedQuery } from '../prepared-query.js';
import type { Database } from '../schema.js';
import { isVisible, LEAD_MEDIA_COLUMNS, leadMediaFromRow } from './row-mappers.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewRelatedLink {
  relatedId: number;
  pinned: boolean;
  score?: number | null;
}

const SORT_COUNTER = 'related_sort';

/** Related lists. Each link takes its `sort` from one global, increasing sequence. */
export class RelatedRepository {
  private readonly visibleList;

  constructor(private readonly db: Kysely<Database>) {
    this.visibleList = new PreparedQuery(db, 3, (articleId: number, now: number, limit: number) =>
      db
        .selectFrom('related as r')
        // CROSS JOIN pins the join order on SQLite: walk this one list, then look up its
        // articles, instead of scanning every published article (PostgreSQL plans it freely).
        .crossJoin('articles')
        .whereRef('articles.id', '=', 'r.related_id')
        .leftJoin('media as m', 'm.id', 'articles.lead_media_id')
        .select([
          'r.related_id as id',
          'r.sort',
          'r.pinned',
          'r.score',
          'articles.content_type_id',
          'articles.language',
          'articles.slug',
          'articles.headline',
          'articles.published_at',
        ])
        .select(LEAD_MEDIA_COLUMNS)
        .where('r.article_id', '=', articleId)
        .where(isVisible(now))
        .orderBy('r.sort')
        .limit(limit),
    );
  }

  /**
   * Reserves `count` consecutive numbers of the global sequence and returns the first.
   * A single UPDATE … RETURNING: atomic on both engines, so numbers never repeat.
   */
  async reserveSorts(count: number, trx: Db = this.db): Promise<number> {
    const row = await trx
      .updateTable('counters')
      .set({ value: sql`value + ${count}` })
      .where('name', '=', SORT_COUNTER)
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(row.value) - count + 1;
  }

  /** Moves the sequence forward so the next link gets at least `next` (never backward). */
  async advanceSortTo(next: number, trx: Db = this.db): Promise<void> {
    await trx
      .updateTable('counters')
      .set({ value: next - 1 })
      .where('name', '=', SORT_COUNTER)
      .where('value', '<', next - 1)
      .execute();
  }

  /**
   * Replaces an article's list with `links`, in order. Links that are new get fresh
   * numbers; the whole list is renumbered so the stored order is the given order.
   */
  async replaceList(articleId: number, links: NewRelatedLink[], trx: Db = this.db): Promise<void> {
    await trx.deleteFrom('related').where('article_id', '=', articleId).execute();
    const unique = links.filter((l, i) => l.relatedId !== articleId && links.findIndex((o) => o.relatedId === l.relatedId) === i);
    if (unique.length === 0) return;
    const first = await this.reserveSorts(unique.length, trx);
    await trx
      .insertInto('related')
      .values(
        unique.map((l, i) => ({
          article_id: articleId,
          related_id: l.relatedId,
          sort: first + i,
          pinned: l.pinned ? 1 : 0,
          score: l.score ?? null,
        })),
      )
      .execute();
  }

  /** The visible items of an article's list, in `sort` order. */
  async listVisible(articleId: number, now: number, limit = 20): Promise<RelatedItem[]> {
    const rows = await this.visibleList.execute(articleId, now, limit);
    return rows.map((r) => ({
      id: r.id,
      sort: Number(r.sort),
      pinned: r.pinned === 1,
      score: r.score,
      contentTypeId: r.content_type_id,
      language: r.language,
      slug: r.slug,
      headline: r.headline,
      publishedAt: r.published_at,
      leadMedia: leadMediaFromRow(r),
    }));
  }

  async deleteAll(trx: Db = this.db): Promise<void> {
    await trx.deleteFrom('related').execute();
  }
}
