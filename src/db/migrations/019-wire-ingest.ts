import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Wire ingest (agency sources polled on a schedule, their items in the Incoming queue)
 * and links in imported bodies that point at the old site and wait for their target.
 */
export function wireIngest(engine: Engine): Migration {
  const id = (c: ColumnDefinitionBuilder) => (engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity());
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('wire_sources')
        .addColumn('id', 'integer', id)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('feed', 'ninjs', 'folder')`))
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('agency', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
        .addColumn('interval_seconds', 'integer', (c) => c.notNull().defaultTo(300))
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('etag', 'text')
        .addColumn('last_modified', 'text')
        .addColumn('last_polled_at', 'bigint')
        .addColumn('last_status', 'text')
        .addColumn('last_error', 'text')
        .addColumn('failure_streak', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_poll_at', 'bigint')
        .addColumn('items_received', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('wire_items')
        .addColumn('id', 'integer', id)
        .addColumn('source_id', 'integer', (c) => c.notNull().references('wire_sources.id').onDelete('cascade'))
        .addColumn('guid', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('headline', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('body_html', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('byline', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('link', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('published_at', 'bigint')
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('set null'))
        .addColumn('drafted_at', 'bigint')
        .execute();
      await db.schema.createIndex('wire_items_guid').unique().on('wire_items').columns(['source_id', 'guid']).execute();
      await db.schema.createIndex('wire_items_hash').on('wire_items').column('content_hash').execute();
      await db.schema.createIndex('wire_items_received').on('wire_items').columns(['received_at', 'id']).execute();

      await db.schema
        .createTable('import_links')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('target_path', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('import_links_pk', ['article_id', 'target_path'])
        .execute();
      await db.schema.createIndex('import_links_target').on('import_links').column('target_path').execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['import_links', 'wire_items', 'wire_sources']) await db.schema.dropTable(table).execute();
    },
  };
}
