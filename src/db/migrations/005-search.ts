import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Search index and related-engine tables. Both engines index the same normalized,
 * stemmed terms computed in JavaScript (src/domain/text-analysis.ts):
 * - SQLite: a contentless FTS5 table (columns headline, dek, body, tags, byline; rowid =
 *   article id) and an fts5vocab view over it for document frequencies;
 * - PostgreSQL: a weighted `tsvector` column built from the same terms, a GIN index on
 *   it, and a `search_terms` table of document frequencies kept by triggers.
 */
export function searchSchema(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('search_documents')
        .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('section_id', 'integer', (c) => c.notNull())
        .addColumn('content_type_id', 'integer', (c) => c.notNull())
        .addColumn('published_at', 'bigint', (c) => c.notNull())
        .addColumn('is_media', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('headline_terms', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('top_terms', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('term_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('indexed_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('search_documents_published').on('search_documents').columns(['published_at', 'article_id']).execute();

      await db.schema
        .createTable('article_entities')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('entity_key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('person', 'organisation', 'place')`))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('mentions', 'integer', (c) => c.notNull().defaultTo(1))
        .addPrimaryKeyConstraint('article_entities_pk', ['article_id', 'entity_key'])
        .execute();
      await db.schema.createIndex('article_entities_key').on('article_entities').columns(['entity_key', 'article_id']).execute();

      if (engine === 'sqlite') {
        await sql`create virtual table search_fts using fts5(
            headline, dek, body, tags, byline,
            content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
        await sql`create virtual table search_vocab using fts5vocab(search_fts, 'row')`.execute(db);
        // Rows leave the FTS index with their document, however the document goes
        // (unindexing, or a cascade from a deleted article).
        await sql`create trigger search_documents_fts_delete after delete on search_documents
            begin delete from search_fts where rowid = old.article_id; end`.execute(db);
        return;
      }
      await sql`alter table search_documents add column tsv tsvector not null default ''::tsvector`.execute(db);
      await sql`create index search_documents_tsv on search_documents using gin (tsv)`.execute(db);
      await sql`create table search_terms (term text primary key, df integer not null)`.execute(db);
      await sql`create function search_terms_track() returns trigger language plpgsql as $$
          begin
            if tg_op in ('DELETE', 'UPDATE') then
              update search_terms set df = df - 1 where term = any (tsvector_to_array(old.tsv));
            end if;
            if tg_op in ('INSERT', 'UPDATE') then
              insert into search_terms (term, df) select t, 1 from unnest(tsvector_to_array(new.tsv)) t
                on conflict (term) do update set df = search_terms.df + 1;
            end if;
            return null;
          end $$`.execute(db);
      await sql`create trigger search_documents_terms after insert or delete or update of tsv on search_documents
          for each row execute function search_terms_track()`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (engine === 'sqlite') {
        await sql`drop trigger search_documents_fts_delete`.execute(db);
        await sql`drop table search_vocab`.execute(db);
        await sql`drop table search_fts`.execute(db);
      } else {
        await sql`drop trigger search_documents_terms on search_documents`.execute(db);
        await sql`drop function search_terms_track()`.execute(db);
        await sql`drop table search_terms`.execute(db);
      }
      await db.schema.dropTable('article_entities').execute();
      await db.schema.dropTable('search_documents').execute();
    },
  };
}
