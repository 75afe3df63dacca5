import type { Kysely, Transaction } from 'kysely';
import type { Media } from '../../domain/article.js';
import type { Database, NewMediaRow } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Media records (metadata; the bytes live in a blob store). */
export class MediaRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: NewMediaRow, trx: Db = this.db): Promise<number> {
    const r = await trx.insertInto('media').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  async findById(id: number): Promise<Media | null> {
    const r = await this.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return null;
    return {
      id: r.id,
      kind: r.kind,
      key: r.storage_key,
      mime: r.mime,
      width: r.width,
      height: r.height,
      durationMs: r.duration_ms,
      posterKey: r.poster_key,
      alt: r.alt,
      caption: r.caption,
      credit: r.credit,
    };
  }

  async deleteAll(trx: Db = this.db): Promise<void> {
    await trx.deleteFrom('media').execute();
  }
}
