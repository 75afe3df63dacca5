import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/** Pictures with a crop at least 1200 px wide (the 16x9 crop is the widest: width ≥ 1200 and height ≥ 675). */
const WIDE_PICTURE = sql`state = 'ready' and width >= 1200 and height >= 675 and (kind = 'image' or poster_key is not null)`;

/**
 * Distribution at archive scale, and share pictures at 1200 px:
 *  - `articles_sitemap` covers every article column a monthly sitemap reads (status,
 *    published_at, id, updated_at, lead_media_id, language, slug), so a month is one
 *    index range with no lookup of the article rows themselves (each several KB). It
 *    replaces `articles_status_published` (status, published_at, id), its prefix: with both,
 *    SQLite picked either by sampled statistics, and the old one meant a row read per URL;
 *  - `articles_visible_id` (id, status, published_at) answers "is this article visible?"
 *    from the index: the topic sitemaps and the index ask it for the first article of every
 *    tag (30,000 tags of a million-article archive: 30,000 row reads without it);
 *  - 1200 became a rendition width: pictures made before it whose crops allow it are
 *    redone in the background (state `processing` until then, so pages show the original
 *    and never a 1200 rendition that does not exist yet).
 */
export function distribution(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('articles_sitemap')
        .on('articles')
        .columns(['status', 'published_at', 'id', 'updated_at', 'lead_media_id', 'language', 'slug'])
        .execute();
      await db.schema.dropIndex('articles_status_published').execute();
      await db.schema.createIndex('articles_visible_id').on('articles').columns(['id', 'status', 'published_at']).execute();
      // SQLite's planner needs their statistics at once (a few seconds at a million articles):
      // unanalysed, an index on status looks selective and a per-tag query may walk it whole.
      if (engine === 'sqlite') {
        await sql`analyze articles_sitemap`.execute(db);
        await sql`analyze articles_visible_id`.execute(db);
      }
      const now = Date.now();
      await sql`
        insert into jobs (name, payload, key, status, run_at, attempts, max_attempts, created_at, updated_at)
        select 'media.renditions', '{"mediaId":' || m.id || '}', 'renditions:' || m.id, 'pending', ${now}, 0, 5, ${now}, ${now}
        from media m
        where ${WIDE_PICTURE}
          and not exists (select 1 from jobs j where j.key = 'renditions:' || m.id and j.status in ('pending', 'running'))
      `.execute(db);
      await sql`update media set state = 'processing' where ${WIDE_PICTURE}`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('articles_visible_id').execute();
      await db.schema.createIndex('articles_status_published').on('articles').columns(['status', 'published_at', 'id']).execute();
      await db.schema.dropIndex('articles_sitemap').execute();
    },
  };
}
