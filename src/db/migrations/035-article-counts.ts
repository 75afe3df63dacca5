import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/** Slots of a count on PostgreSQL: a connection adds to slot `pg_backend_pid() % SLOTS` (as 028 does for the content version). */
export const ARTICLE_COUNT_SLOTS = 16;

/**
 * Published articles per section and language, kept by triggers on `articles` whatever
 * code (or SQL prompt) writes them. A section front or a language's home page shows how
 * many pages it has: counting a section's visible articles read every one of its index
 * entries, 50 ms and more for a cold section at 1M articles (`npm run bench:boot`, issue 14).
 * The visible count is now these counts less the few published with a future time
 * (`ArticleRepository.countVisible`).
 *
 * PostgreSQL: statement triggers with transition tables (one upsert per statement, so a
 * bulk load or COPY pays once, not per row), and each connection adds to its own slot so
 * concurrent publishers in one section do not queue for one row's lock until they commit.
 * An update that changes no article's published state, section or language writes nothing.
 * SQLite (one writer at a time): row triggers on one row per section and language.
 */
export function articleCounts(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('article_counts')
        .addColumn('section_id', 'integer', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('slot', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('published', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('article_counts_pkey', ['section_id', 'language', 'slot'])
        .execute();
      if (engine === 'postgres') {
        const slot = sql`pg_backend_pid() % ${sql.lit(ARTICLE_COUNT_SLOTS)}`;
        const add = (rows: ReturnType<typeof sql>) => sql`
          insert into article_counts as c (section_id, language, slot, published)
          select section_id, language, ${slot}, sum(d) from (${rows}) x group by section_id, language having sum(d) <> 0
          on conflict (section_id, language, slot) do update set published = c.published + excluded.published;`;
        const added = sql`select section_id, language, 1 as d from new_rows where status = 'published'`;
        const removed = sql`select section_id, language, -1 as d from old_rows where status = 'published'`;
        await sql`create function article_counts_insert() returns trigger language plpgsql as $$
          begin ${add(added)} return null; end $$`.execute(db);
        await sql`create function article_counts_delete() returns trigger language plpgsql as $$
          begin ${add(removed)} return null; end $$`.execute(db);
        await sql`create function article_counts_update() returns trigger language plpgsql as $$
          begin ${add(sql`${added} union all ${removed}`)} return null; end $$`.execute(db);
        await sql`create trigger articles_counts_insert after insert on articles referencing new table as new_rows
          for each statement execute function article_counts_insert()`.execute(db);
        await sql`create trigger articles_counts_delete after delete on articles referencing old table as old_rows
          for each statement execute function article_counts_delete()`.execute(db);
        await sql`create trigger articles_counts_update after update on articles referencing old table as old_rows new table as new_rows
          for each statement execute function article_counts_update()`.execute(db);
      } else {
        const add = (row: 'new' | 'old', d: 1 | -1) => sql`
          insert into article_counts (section_id, language, slot, published) select ${sql.raw(row)}.section_id, ${sql.raw(row)}.language, 0, ${sql.lit(d)} where ${sql.raw(row)}.status = 'published'
          on conflict (section_id, language, slot) do update set published = published + ${sql.lit(d)};`;
        await sql`create trigger articles_counts_insert after insert on articles begin ${add('new', 1)} end`.execute(db);
        await sql`create trigger articles_counts_delete after delete on articles begin ${add('old', -1)} end`.execute(db);
        await sql`create trigger articles_counts_update after update of status, section_id, language on articles
          when old.status is not new.status or old.section_id is not new.section_id or old.language is not new.language
          begin ${add('old', -1)} ${add('new', 1)} end`.execute(db);
      }
      // The archive so far (in the migration's transaction: no write falls between this and the triggers).
      await sql`insert into article_counts (section_id, language, slot, published)
        select section_id, language, 0, count(*) from articles where status = 'published' group by section_id, language`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      for (const op of ['insert', 'delete', 'update']) {
        await sql`drop trigger if exists ${sql.id(`articles_counts_${op}`)} ${engine === 'postgres' ? sql`on articles` : sql``}`.execute(db);
        if (engine === 'postgres') await sql`drop function if exists ${sql.id(`article_counts_${op}`)}()`.execute(db);
      }
      await db.schema.dropTable('article_counts').execute();
    },
  };
}
