import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** How many articles carry each tag, and merging one tag into another. */
export class TagUsageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Article counts of the given tags (tags on no article are absent from the map). */
  async articleCounts(tagIds: number[]): Promise<Map<number, number>> {
    if (!tagIds.length) return new Map();
    const rows = await this.db
      .selectFrom('article_tags')
      .select(['tag_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tag_id', 'in', tagIds)
      .groupBy('tag_id')
      .execute();
    return new Map(rows.map((r) => [r.tag_id, Number(r.n)]));
  }

  async articleIdsOf(tagId: number, trx: Db = this.db): Promise<number[]> {
    const rows = await trx.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId).orderBy('article_id').execute();
    return rows.map((r) => r.article_id);
  }

  /**
   * Moves every article of `sourceId` to `targetId` (an article that has both keeps one,
   * at the target's position) and deletes the source tag.
   */
  async merge(sourceId: number, targetId: number, trx: Db): Promise<void> {
    await trx
      .deleteFrom('article_tags')
      .where('tag_id', '=', sourceId)
      .where('article_id', 'in', (eb) => eb.selectFrom('article_tags as t').select('t.article_id').where('t.tag_id', '=', targetId))
      .execute();
    await trx.updateTable('article_tags').set({ tag_id: targetId }).where('tag_id', '=', sourceId).execute();
    await trx.deleteFrom('tags').where('id', '=', sourceId).execute();
  }
}
