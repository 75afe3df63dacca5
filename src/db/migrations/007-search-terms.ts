import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Document frequencies on SQLite as a plain table, `search_terms (term, df)`, like the
 * one PostgreSQL has had since 005. Reading them from the `search_vocab` (fts5vocab)
 * view decodes each term's whole posting list: a few hundred terms of one article cost
 * seconds at a million articles, where this table answers in microseconds. It is also
 * the term dictionary prefix searches expand through, on both engines.
 */
export function searchTerms(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (engine !== 'sqlite') {
        // Prefix searches expand through this table (`term like 'elect%'`), whatever the database's collation.
        await sql`create index search_terms_prefix on search_terms (term text_pattern_ops)`.execute(db);
        return;
      }
      await sql`create table search_terms (term text primary key, df integer not null) without rowid`.execute(db);
      await sql`insert into search_terms (term, df) select term, doc from search_vocab`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (engine !== 'sqlite') {
        await sql`drop index search_terms_prefix`.execute(db);
        return;
      }
      await sql`drop table search_terms`.execute(db);
    },
  };
}
