import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Imports and redirects: what each import source key became (idempotent, resumable
 * re-runs; placeholders for related items not yet imported) and old permalinks that
 * 301 to imported articles.
 */
export function importSchema(_engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('import_items')
        .addColumn('source_key', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('cascade'))
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('imported', 'placeholder')`))
        .addColumn('content_hash', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('indexed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('import_items_article').on('import_items').columns(['article_id', 'state']).execute();
      await db.schema.createIndex('import_items_unindexed').on('import_items').columns(['indexed', 'article_id']).execute();

      await db.schema
        .createTable('redirects')
        .addColumn('path', 'text', (c) => c.primaryKey())
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

    },
    async down(db: Kysely<unknown>) {
      for (const table of ['redirects', 'import_items']) await db.schema.dropTable(table).execute();
    },
  };
}
