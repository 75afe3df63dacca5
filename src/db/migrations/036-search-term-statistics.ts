import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/** Lexemes PostgreSQL's statistics keep per 1 of `statistics` on a tsvector column (ts_typanalyze keeps ten times the target). */
export const TSV_STATISTICS = 1000;

/**
 * PostgreSQL: `search_documents.tsv` keeps the frequencies of its 10,000 commonest words
 * in the planner's statistics instead of the default 1,000. With 1,000, a word outside them
 * was estimated in 0.5 % of the documents whatever its real share, so a ranked page of a
 * word in 2.8 % of them with a section filter (2,787 of 98,000) was planned as a bitmap
 * read of every match, each match's text vector de-TOASTed to rank it (21 ms warm, 60 ms
 * cold), instead of RUM's ranked order stopping after the page (7 ms). ANALYZE samples
 * 300,000 rows for this target (6 s at 100k articles); the rebuild's vacuum analyzes with
 * it too. SQLite: nothing.
 */
export function searchTermStatistics(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      await sql`alter table search_documents alter column tsv set statistics ${sql.raw(String(TSV_STATISTICS))}`.execute(db);
      await sql`analyze search_documents (tsv)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      await sql`alter table search_documents alter column tsv set statistics -1`.execute(db);
    },
  };
}
