import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';
import { RUM_INDEX } from './030-search-rum.js';
import { RUM_NEWEST_INDEX } from './031-search-rum-newest.js';

/** Migration 005's GIN index of `search_documents.tsv`. */
export const GIN_INDEX = 'search_documents_tsv';

/**
 * PostgreSQL with both RUM indexes (migrations 030 and 031): the GIN index of the same
 * column goes. Every `tsv @@ query` a search asks can be read from a RUM index (ranked
 * pages and broad pages already were; counts and filtered matches read RUM's bitmaps), and
 * the GIN index was a third of a rebuild's index building and of the full-text indexes'
 * size (README, issue 14). Where either RUM index is missing the GIN index stays: without
 * the extension it is what every search reads. SQLite: nothing.
 */
export function searchGinWithRum(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      const { rows } = await sql<{ both: boolean }>`select to_regclass(${RUM_INDEX}) is not null and to_regclass(${RUM_NEWEST_INDEX}) is not null as both`.execute(db);
      if (rows[0]?.both) await sql`drop index if exists ${sql.id(GIN_INDEX)}`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      await sql`create index if not exists ${sql.id(GIN_INDEX)} on search_documents using gin (tsv)`.execute(db);
    },
  };
}
