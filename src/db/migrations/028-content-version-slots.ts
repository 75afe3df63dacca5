import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/** Slots of the content version on PostgreSQL; a connection writes `content_version:<pid % SLOTS>`. */
export const CONTENT_VERSION_SLOTS = 64;

/**
 * PostgreSQL: the content version (002) becomes the sum of the `content_version` row and
 * up to 64 slot rows. Every content write bumped the one row in its transaction, so
 * concurrent saves queued for its lock until the holder committed (a synchronous
 * connection blocks its event loop while it waits). Each connection now bumps the slot of
 * its backend pid: one transaction only ever locks one slot (no deadlock between slots),
 * and concurrent writers on different connections do not wait for each other. The sum
 * still changes exactly when a writer commits, so a cache never keeps a value under a
 * version a later commit leaves unchanged (a sequence would not: nextval is visible
 * before the commit). SQLite has one writer at a time and keeps the single row.
 */
export function contentVersionSlots(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      await sql`create or replace function bump_content_version() returns trigger language plpgsql as $$
        begin
          insert into counters (name, value) values ('content_version:' || (pg_backend_pid() % ${sql.lit(CONTENT_VERSION_SLOTS)}), 1)
            on conflict (name) do update set value = counters.value + 1;
          return null;
        end $$`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      await sql`update counters set value = (select sum(value) from counters where name = 'content_version' or name like 'content_version:%')
        where name = 'content_version'`.execute(db);
      await sql`delete from counters where name like 'content_version:%'`.execute(db);
      await sql`create or replace function bump_content_version() returns trigger language plpgsql as $$
        begin
          update counters set value = value + 1 where name = 'content_version';
          return null;
        end $$`.execute(db);
    },
  };
}
