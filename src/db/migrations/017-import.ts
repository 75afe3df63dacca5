import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Import, ingest and redirects: what each import source key became (idempotent,
 * resumable re-runs; placeholders for related items not yet imported), old permalinks
 * that 301 to imported articles, wire sources and their Incoming queue.
 */
export function importSchema(engine: Engine): Migration {
  const serial = (c: import('kysely').ColumnDefinitionBuilder) =>
    engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity();
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

      await db.schema
        .createTable('wire_sources')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('etag', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('last_modified', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_polled_at', 'bigint')
        .addColumn('last_error', 'text', (c) => c.notNull().defaultTo(''))
        .execute();

      await db.schema
        .createTable('incoming_items')
        .addColumn('id', 'integer', serial)
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('guid', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('headline', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('byline', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('agency', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('url', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('published_at', 'bigint')
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('new').check(sql`status in ('new', 'drafted', 'dismissed')`))
        .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('set null'))
        .addColumn('body_html', 'text', (c) => c.notNull().defaultTo(''))
        .addUniqueConstraint('incoming_items_source_guid', ['source', 'guid'])
        .execute();
      await db.schema.createIndex('incoming_items_hash').on('incoming_items').column('content_hash').execute();
      await db.schema.createIndex('incoming_items_list').on('incoming_items').columns(['status', 'received_at', 'id']).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['incoming_items', 'wire_sources', 'redirects', 'import_items']) await db.schema.dropTable(table).execute();
    },
  };
}
