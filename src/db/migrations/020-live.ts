import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Breaking news and live coverage: breaking banner items per language, live blogs (an
 * article with a live state) and their entries, and the event log that Server-Sent
 * Events resume from (`Last-Event-ID` is an id of this log).
 */
export function live(engine: Engine): Migration {
  const id = (c: any) => (engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity());
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('breaking_items')
        .addColumn('id', 'integer', id)
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('headline', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('article_id', 'integer')
        .addColumn('alert', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('cleared_at', 'bigint')
        .execute();
      await db.schema.createIndex('breaking_items_language').on('breaking_items').columns(['language', 'id']).execute();
      await db.schema
        .createTable('live_blogs')
        .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
        .addColumn('ended_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('live_entries')
        .addColumn('id', 'integer', id)
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('body_html', 'text', (c) => c.notNull())
        .addColumn('media_id', 'integer')
        .addColumn('quote_text', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('quote_source', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('alert', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('author_name', 'text', (c) => c.notNull())
        .addColumn('correction', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('deleted_at', 'bigint')
        .execute();
      await db.schema.createIndex('live_entries_blog').on('live_entries').columns(['article_id', 'created_at']).execute();
      await db.schema
        .createTable('live_events')
        .addColumn('id', 'integer', id)
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('live_events_channel').on('live_events').columns(['channel', 'id']).execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['live_events', 'live_entries', 'live_blogs', 'breaking_items']) await db.schema.dropTable(t).execute();
    },
  };
}
