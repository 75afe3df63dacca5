import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * PostgreSQL: `search_documents.tsv` is kept out of line without compression (`storage
 * external`). A text vector is positions in binary beside sorted words, which pglz gives up
 * on: of 60,000 vectors of the 1M benchmark archive none was stored compressed, yet every
 * write tried (30,000 of them were written in 2.1–2.3 s trying, 1.35 s not; 27 µs of the
 * server's CPU a document, about 27 s of a 1M rebuild). Rows written before this keep
 * their storage until written again (a rebuild rewrites them all). SQLite: nothing.
 */
export function searchTsvUncompressed(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      await sql`alter table search_documents alter column tsv set storage external`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      await sql`alter table search_documents alter column tsv set storage extended`.execute(db);
    },
  };
}
