import { sql, type Kysely, type Migration } from 'kysely';
import { ANALYZER_VERSION } from '../../domain/text-analysis.js';
import type { Engine } from '../database.js';

/**
 * `search_state (key, value)`: facts about the search index as a whole. The first is
 * `analyzer_version`, the text analysis the indexed documents were written with: an
 * index already holding documents was written by version 1 (before Arabic light
 * stemming); an empty one will be written by the running code. When the code's version
 * moves on, `serve` rebuilds a small index at start and asks for `dateline reindex` on
 * a large one (see `SearchService.analyzerState`).
 */
export function searchState(_engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('search_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      const indexed = await sql<{ id: number }>`select article_id as id from search_documents limit 1`.execute(db);
      const version = indexed.rows.length ? 1 : ANALYZER_VERSION;
      await sql`insert into search_state (key, value) values ('analyzer_version', ${String(version)})`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('search_state').execute();
    },
  };
}
