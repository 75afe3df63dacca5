import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Purge bookkeeping for the page cache: the public state of each article as last seen
 * (so a change can be compared with what readers saw), backfilled from the articles
 * now, and a log of purges for processes that could not hear them over Redis.
 */
export function pageCache(engine: Engine): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('page_purge_state')
        .addColumn('article_id', 'integer', (c) => c.primaryKey())
        .addColumn('visible', 'integer', (c) => c.notNull())
        .addColumn('section_id', 'integer', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('tag_ids', 'text', (c) => c.notNull())
        .addColumn('published_at', 'bigint')
        .addColumn('related_ids', 'text')
        .execute();
      await db.schema
        .createTable('page_purge_log')
        .addColumn('id', 'integer', (c) => (engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity()))
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('keys', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('page_purge_log_created').on('page_purge_log').column('created_at').execute();

      const now = Date.now();
      const articles = await db.selectFrom('articles').select(['id', 'status', 'published_at', 'section_id', 'language']).execute();
      const tags = await db.selectFrom('article_tags').select(['article_id', 'tag_id']).orderBy('tag_id').execute();
      const tagsOf = new Map<number, number[]>();
      for (const t of tags as { article_id: number; tag_id: number }[]) {
        const list = tagsOf.get(t.article_id) ?? [];
        list.push(t.tag_id);
        tagsOf.set(t.article_id, list);
      }
      const rows = (articles as { id: number; status: string; published_at: number | string | null; section_id: number; language: string }[]).map((a) => {
        const publishedAt = a.published_at === null ? null : Number(a.published_at);
        return {
          article_id: a.id,
          visible: a.status === 'published' && publishedAt !== null && publishedAt <= now ? 1 : 0,
          section_id: a.section_id,
          language: a.language,
          tag_ids: (tagsOf.get(a.id) ?? []).join(','),
          published_at: publishedAt,
          related_ids: null,
        };
      });
      for (let i = 0; i < rows.length; i += 500) await db.insertInto('page_purge_state').values(rows.slice(i, i + 500)).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('page_purge_log').execute();
      await db.schema.dropTable('page_purge_state').execute();
    },
  };
}
