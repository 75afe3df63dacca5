import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';
import { rumSchema } from './030-search-rum.js';

/** The RUM index of `search_documents.tsv` with each document's `article_id` attached (PostgreSQL with `rum`). */
export const RUM_NEWEST_INDEX = 'search_documents_rum_newest';

/**
 * PostgreSQL: a second RUM index on `search_documents.tsv`, its postings carrying the
 * article id (`rum_tsvector_addon_ops`), so a broad query (a word in tens of thousands of
 * articles, see `planSearch`) reads its matches newest first from the index,
 * `order by article_id <=| …`, and stops after a page. Without it PostgreSQL walked the
 * primary key's newest range testing each row's TOASTed vector (1.3 s for a common word
 * with a type filter at 100k articles). Migration 030's index keeps positions for
 * ranking; RUM attaches one value per posting, so ranking and newest-first need one index
 * each. Nothing is created where the extension is not available (030 says so at start-up).
 * SQLite: nothing (FTS5 reads a term's postings in rowid order).
 */
export function searchRumNewest(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      const schema = await rumSchema(db);
      if (!schema) return;
      await sql`create index ${sql.id(RUM_NEWEST_INDEX)} on search_documents
        using rum (tsv ${sql.id(schema)}.rum_tsvector_addon_ops, article_id)
        with (attach = 'article_id', to = 'tsv')`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      await sql`drop index if exists ${sql.id(RUM_NEWEST_INDEX)}`.execute(db);
    },
  };
}
