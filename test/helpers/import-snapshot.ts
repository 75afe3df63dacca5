import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

/**
 * What an import left in a database, named by source keys, slugs and emails rather than
 * ids (ids depend on arrival order, and PostgreSQL sequences skip numbers a rolled-back
 * batch took): two runs that did the same work give equal snapshots.
 */
export async function importSnapshot(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('articles')
    .innerJoin('import_items as i', 'i.article_id', 'articles.id')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .leftJoin('media', 'media.id', 'articles.lead_media_id')
    .leftJoin('users', 'users.id', 'articles.author_id')
    .select(['i.source_key', 'i.state', 'i.content_hash', 'i.indexed', 'headline', 'articles.slug', 'status', 'published_at', 'byline', 'dek', 'body_html', 'body_text', 'sections.slug as section', 'media.storage_key as lead', 'users.email as author'])
    .orderBy('i.source_key')
    .execute();
  const tags = await db.selectFrom('article_tags').innerJoin('tags', 'tags.id', 'article_tags.tag_id').innerJoin('import_items as i', 'i.article_id', 'article_tags.article_id').select(['i.source_key', 'tags.slug', 'position']).orderBy('i.source_key').orderBy('position').execute();
  const redirects = await db.selectFrom('redirects').innerJoin('import_items as i', 'i.article_id', 'redirects.article_id').select(['path', 'i.source_key']).orderBy('path').execute();
  const users = await db.selectFrom('users').select(['email', 'name', 'role', 'password_hash']).orderBy('email').execute();
  const sections = await db.selectFrom('sections').select(['slug', 'name']).orderBy('slug').execute();
  const allTags = await db.selectFrom('tags').select(['slug', 'name', 'kind']).orderBy('slug').orderBy('kind').execute();
  const media = await db.selectFrom('media').select(['storage_key', 'kind', 'mime', 'state']).orderBy('storage_key').execute();
  const articles = Number((await db.selectFrom('articles').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);
  return { articles, rows, tags, redirects, users, sections, allTags, media };
}
