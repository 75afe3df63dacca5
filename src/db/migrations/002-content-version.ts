import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/** Tables whose changes readers can see; any write to them bumps `content_version`. */
export const CONTENT_TABLES = ['articles', 'article_tags', 'related', 'media', 'tags', 'sections', 'content_types'];

/**
 * A database-wide content version, bumped by triggers on every write to content
 * tables, whatever code (or person with a SQL prompt) made it. Caches of content
 * compare it on each read, so every app process sees a write at once.
 */
export function contentVersion(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.insertInto('counters' as never).values({ name: 'content_version', value: 1 } as never).execute();
      if (engine === 'postgres') {
        await sql`create function bump_content_version() returns trigger language plpgsql as $$
          begin
            update counters set value = value + 1 where name = 'content_version';
            return null;
          end $$`.execute(db);
        for (const table of CONTENT_TABLES) {
          await sql`create trigger ${sql.id(`${table}_content_version`)} after insert or update or delete on ${sql.table(table)}
            for each statement execute function bump_content_version()`.execute(db);
        }
        return;
      }
      for (const table of CONTENT_TABLES) {
        for (const event of ['insert', 'update', 'delete']) {
          await sql`create trigger ${sql.id(`${table}_${event}_content_version`)} after ${sql.raw(event)} on ${sql.table(table)}
            begin update counters set value = value + 1 where name = 'content_version'; end`.execute(db);
        }
      }
    },
    async down(db: Kysely<unknown>) {
      if (engine === 'postgres') {
        for (const table of CONTENT_TABLES) await sql`drop trigger ${sql.id(`${table}_content_version`)} on ${sql.table(table)}`.execute(db);
        await sql`drop function bump_content_version()`.execute(db);
      } else {
        for (const table of CONTENT_TABLES) {
          for (const event of ['insert', 'update', 'delete']) await sql`drop trigger ${sql.id(`${table}_${event}_content_version`)}`.execute(db);
        }
      }
      await db.deleteFrom('counters' as never).where('name' as never, '=', 'content_version' as never).execute();
    },
  };
}
