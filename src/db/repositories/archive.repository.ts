import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Portable archives: the content tables in an order that satisfies their foreign keys,
 * each read in primary-key order. Sessions, tokens, API keys, jobs and search state are
 * not content and stay behind (search is rebuilt after a restore).
 */
export const ARCHIVE_TABLES = [
  { name: 'content_types', key: ['id'] },
  { name: 'sections', key: ['id'] },
  { name: 'tags', key: ['id'] },
  { name: 'users', key: ['id'] },
  { name: 'media', key: ['id'] },
  { name: 'media_renditions', key: ['id'] },
  { name: 'articles', key: ['id'] },
  { name: 'article_tags', key: ['article_id', 'tag_id'] },
  { name: 'related', key: ['article_id', 'related_id'] },
  { name: 'counters', key: ['name'] },
  { name: 'redirects', key: ['path'] },
  { name: 'import_items', key: ['source_key'] },
] as const;

export type ArchiveTable = (typeof ARCHIVE_TABLES)[number]['name'];
type Row = Record<string, unknown>;

export class ArchiveRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** One page of a table in primary-key order. */
  async page(table: ArchiveTable, offset: number, limit: number): Promise<Row[]> {
    const spec = ARCHIVE_TABLES.find((t) => t.name === table)!;
    let q = this.db.selectFrom(table as never).selectAll();
    for (const column of spec.key) q = q.orderBy(column as never);
    return (await q.limit(limit).offset(offset).execute()) as Row[];
  }

  async count(table: ArchiveTable): Promise<number> {
    const row = await this.db.selectFrom(table as never).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number((row as { n: number }).n);
  }

  /** Inserts rows as they were; rows a fresh instance seeded (content types, counters) are overwritten. */
  async insert(table: ArchiveTable, rows: Row[]): Promise<void> {
    if (!rows.length) return;
    const spec = ARCHIVE_TABLES.find((t) => t.name === table)!;
    await this.db.transaction().execute(async (trx) => {
      if (table === 'content_types' || table === 'counters') {
        for (const row of rows) {
          await trx
            .insertInto(table as never)
            .values(row as never)
            .onConflict((oc) => oc.columns(spec.key as never).doUpdateSet(row as never))
            .execute();
        }
        return;
      }
      for (let i = 0; i < rows.length; i += 200) await trx.insertInto(table as never).values(rows.slice(i, i + 200) as never).execute();
    });
  }

  /** Whether the instance holds any article (restores go into empty instances only). */
  async hasContent(): Promise<boolean> {
    return !!(await this.db.selectFrom('articles').select('id').limit(1).executeTakeFirst());
  }

  /** Content version bump so every process drops cached content after a restore. */
  async touch(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }
}
