import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

export const DEFAULT_CONTENT_TYPES = [
  { id: 21, name: 'news', label: 'News' },
  { id: 22, name: 'video-report', label: 'Video report' },
  { id: 23, name: 'photo-gallery', label: 'Photo gallery' },
  { id: 24, name: 'opinion', label: 'Opinion' },
  { id: 25, name: 'interview', label: 'Interview' },
  { id: 26, name: 'programme', label: 'Programme' },
];

/** Content model: content types, sections, tags, media, articles, related links, counters. */
export function initialSchema(engine: Engine): Migration {
  // SQLite rowid aliases vs PostgreSQL identity columns: the only engine difference here.
  const serial = (c: import('kysely').ColumnDefinitionBuilder) =>
    engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity();

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('content_types')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('label', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sections')
        .addColumn('id', 'integer', serial)
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('names_json', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable('tags')
        .addColumn('id', 'integer', serial)
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('topic', 'person', 'organisation', 'place')`))
        .addColumn('language', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('media')
        .addColumn('id', 'integer', serial)
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('image', 'video')`))
        .addColumn('storage_key', 'text', (c) => c.notNull().unique())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('duration_ms', 'integer')
        .addColumn('poster_key', 'text')
        .addColumn('alt', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('caption', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('credit', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('articles')
        .addColumn('id', 'integer', serial)
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('translation_group', 'text')
        .addColumn('content_type_id', 'integer', (c) => c.notNull().references('content_types.id'))
        .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id'))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('draft', 'submitted', 'scheduled', 'published', 'unpublished', 'killed')`),
        )
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('headline', 'text', (c) => c.notNull())
        .addColumn('dek', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('byline', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('lead_media_id', 'integer', (c) => c.references('media.id').onDelete('set null'))
        .addColumn('first_published_at', 'bigint')
        .addColumn('published_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
        // Bodies last: SQLite reads a row's columns in order, and lists and related
        // lookups should not wade through kilobytes of body to reach published_at.
        .addColumn('body_html', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('body_text', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      // Listing indexes: every public list is "published, newest first", optionally narrowed.
      await db.schema.createIndex('articles_status_published').on('articles').columns(['status', 'published_at', 'id']).execute();
      await db.schema
        .createIndex('articles_section_published')
        .on('articles')
        .columns(['section_id', 'status', 'published_at', 'id'])
        .execute();
      await db.schema
        .createIndex('articles_type_published')
        .on('articles')
        .columns(['content_type_id', 'status', 'published_at', 'id'])
        .execute();
      await db.schema
        .createIndex('articles_language_published')
        .on('articles')
        .columns(['language', 'status', 'published_at', 'id'])
        .execute();
      await db.schema.createIndex('articles_slug').on('articles').column('slug').execute();

      await db.schema
        .createTable('article_tags')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('article_tags_pk', ['article_id', 'tag_id'])
        .execute();
      await db.schema.createIndex('article_tags_tag').on('article_tags').columns(['tag_id', 'article_id']).execute();

      await db.schema
        .createTable('related')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('related_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('sort', 'bigint', (c) => c.notNull())
        .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('score', 'real')
        .addPrimaryKeyConstraint('related_pk', ['article_id', 'related_id'])
        .addCheckConstraint('related_not_self', sql`article_id <> related_id`)
        .execute();
      await db.schema.createIndex('related_list').on('related').columns(['article_id', 'sort']).execute();
      await db.schema.createIndex('related_target').on('related').column('related_id').execute();

      await db.schema
        .createTable('counters')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull())
        .execute();

      // Legacy numeric ids are kept: 21 is "news" on the reference site.
      await db
        .insertInto('content_types' as never)
        .values(DEFAULT_CONTENT_TYPES as never)
        .execute();
      await db.insertInto('counters' as never).values({ name: 'related_sort', value: 0 } as never).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['counters', 'related', 'article_tags', 'articles', 'media', 'tags', 'sections', 'content_types']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
