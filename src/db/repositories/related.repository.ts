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
          'articles.translation_group',
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
  async replaceList(articleId: number, links: NewRelatedLink[], trx: Db = this.db, created = false): Promise<void> {
    // A new article (`created`) has no list to delete.
    if (!created) await trx.deleteFrom('related').where('article_id', '=', articleId).execute();
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

  /**
   * Replaces the engine-computed (`pinned = 0`) part of an article's list; editor pins are
   * untouched. New links take fresh numbers of the global sequence, which are higher
   * than every existing pin's, so pins stay first in `sort` order.
   */
  async replaceEngineLinks(articleId: number, links: { relatedId: number; score: number }[]): Promise<void> {
    const fresh = links.filter((l, i) => l.relatedId !== articleId && links.findIndex((o) => o.relatedId === l.relatedId) === i);
    const deleteEngineLinks = (db: Db) => db.deleteFrom('related').where('article_id', '=', articleId).where('pinned', '=', 0).execute();
    // Nothing to insert: one statement, no transaction around it.
    if (!fresh.length) return void (await deleteEngineLinks(this.db));
    await this.db.transaction().execute(async (trx) => {
      await deleteEngineLinks(trx);
      const first = await this.reserveSorts(fresh.length, trx);
      // A link the editor pinned stays as it is (the key is article and related id), without reading the pins first.
      await trx
        .insertInto('related')
        .values(fresh.map((l, i) => ({ article_id: articleId, related_id: l.relatedId, sort: first + i, pinned: 0, score: l.score })))
        .onConflict((oc) => oc.columns(['article_id', 'related_id']).doNothing())
        .execute();
    });
  }

  /** Every link of an article's list, pinned and engine, visible or not, in `sort` order. */
  async links(articleId: number): Promise<{ relatedId: number; sort: number; pinned: boolean; score: number | null }[]> {
    const rows = await this.db
      .selectFrom('related')
      .select(['related_id', 'sort', 'pinned', 'score'])
      .where('article_id', '=', articleId)
      .orderBy('sort')
      .execute();
    return rows.map((r) => ({ relatedId: r.related_id, sort: Number(r.sort), pinned: r.pinned === 1, score: r.score }));
  }

  /** Articles whose engine-computed lists contain `relatedId` (at most `limit`, best-scored first). */
  async engineListsContaining(relatedId: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('related')
      .select('article_id')
      .where('related_id', '=', relatedId)
      .where('pinned', '=', 0)
      .orderBy('score', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.article_id);
  }

  /** Removes an article from every engine-computed list (pins stay; reads hide invisible items). */
  async deleteEngineLinksTo(relatedId: number): Promise<void> {
    await this.db.deleteFrom('related').where('related_id', '=', relatedId).where('pinned', '=', 0).execute();
  }

  /** The visible items of an article's list, in `sort` order. */
  async listVisible(articleId: number, now: number, limit = 20): Promise<RelatedItem[]> {
    const rows = await this.visibleList.execute(articleId, now, limit);
    return rows.map(toRelatedItem);
  }

  /**
   * The legacy endpoint's list: visible items plus placeholders for related items an
   * import named that are not imported yet (the old site listed them; apps expect them).
   */
  async listLegacy(articleId: number, now: number, limit = 100): Promise<RelatedItem[]> {
    const rows = await this.db
      .selectFrom('related as r')
      .crossJoin('articles')
      .whereRef('articles.id', '=', 'r.related_id')
      .leftJoin('media as m', 'm.id', 'articles.lead_media_id')
      .select(['r.related_id as id', 'r.sort', 'r.pinned', 'r.score', 'articles.content_type_id', 'articles.language', 'articles.slug', 'articles.headline', 'articles.published_at', 'articles.translation_group'])
      .select(LEAD_MEDIA_COLUMNS)
      .where('r.article_id', '=', articleId)
      .where((eb) =>
        eb.or([
          isVisible(now)(eb),
          eb.exists(eb.selectFrom('import_items as p').select('p.article_id').whereRef('p.article_id', '=', 'articles.id').where('p.state', '=', 'placeholder')),
        ]),
      )
      .orderBy('r.sort')
      .limit(limit)
      .execute();
    return rows.map(toRelatedItem);
  }

  async deleteAll(trx: Db = this.db): Promise<void> {
    await trx.deleteFrom('related').execute();
  }

  /** Replaces the semantic basis (term → float32 bytes) and forgets every article vector made with the old one. */
  async replaceBasis(rows: Iterable<readonly [string, Uint8Array]>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('article_vectors').execute();
      await trx.deleteFrom('related_basis').execute();
      let batch: { term: string; vector: Buffer }[] = [];
      const flush = async () => {
        if (batch.length) await trx.insertInto('related_basis').values(batch).execute();
        batch = [];
      };
      for (const [term, vector] of rows) {
        batch.push({ term, vector: Buffer.from(vector) });
        if (batch.length === 400) await flush();
      }
      await flush();
    });
  }

  /** The basis rows of these terms (terms outside the basis are absent). */
  async basisRows(terms: readonly string[]): Promise<Map<string, Uint8Array>> {
    return inBatches(terms, async (some) =>
      (await this.db.selectFrom('related_basis').select(['term', 'vector']).where('term', 'in', some).execute()).map((r) => [r.term, r.vector] as const),
    );
  }

  /** Stores (or replaces) articles' semantic vectors. */
  async saveVectors(rows: readonly { articleId: number; vector: Uint8Array }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 400) {
      await this.db
        .insertInto('article_vectors')
        .values(rows.slice(i, i + 400).map((r) => ({ article_id: r.articleId, vector: Buffer.from(r.vector) })))
        .onConflict((oc) => oc.column('article_id').doUpdateSet((eb) => ({ vector: eb.ref('excluded.vector') })))
        .execute();
    }
  }

  async deleteVector(articleId: number): Promise<void> {
    await this.db.deleteFrom('article_vectors').where('article_id', '=', articleId).execute();
  }

  /** The stored semantic vectors of these articles (those without one are absent). */
  async vectors(ids: readonly number[]): Promise<Map<number, Uint8Array>> {
    return inBatches(ids, async (some) =>
      (await this.db.selectFrom('article_vectors').select(['article_id', 'vector']).where('article_id', 'in', some).execute()).map((r) => [r.article_id, r.vector] as const),
    );
  }
}

/** Looks keys up 500 at a time (bound parameters stay well within both engines' limits). */
async function inBatches<K, V>(keys: readonly K[], read: (some: K[]) => Promise<(readonly [K, V])[]>): Promise<Map<K, V>> {
  const out = new Map<K, V>();
  for (let i = 0; i < keys.length; i += 500) for (const [k, v] of await read(keys.slice(i, i + 500))) out.set(k, v);
  return out;
}

type RelatedRow = Parameters<typeof leadMediaFromRow>[0] & {
  id: number;
  sort: number | string | bigint;
  pinned: number;
  score: number | null;
  content_type_id: number;
  language: string;
  slug: string;
  headline: string;
  published_at: number | null;
  translation_group: string | null;
};

/** One row of a related list (article columns plus its lead media) as the item the site and APIs show. */
function toRelatedItem(r: RelatedRow): RelatedItem {
  return {
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
    translationGroup: r.translation_group,
  };
}
