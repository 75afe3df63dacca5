import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * PostgreSQL: `search_top_terms`, each indexed article's distinctive terms (the
 * `top_terms` the related engine scores with) as (term, article id) rows under a btree,
 * kept by a trigger on `search_documents` and filled here from the rows already indexed.
 * More-like-this reads its ~80 terms' articles from this index alone (an index-only
 * scan), where the GIN postings of `tsv` cost a table row per posting (related compute
 * 4.4 times SQLite's at 100k articles). SQLite: nothing (FTS5 ranks in its own index).
 */
export function relatedTopTerms(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      await sql`create table search_top_terms (
          term text not null,
          article_id integer not null references search_documents (article_id) on delete cascade,
          primary key (term, article_id)
        )`.execute(db);
      // The article's own rows, for the cascade and for rewriting them.
      await sql`create index search_top_terms_article on search_top_terms (article_id)`.execute(db);
      await sql`create function search_top_terms_track() returns trigger language plpgsql as $$
          begin
            if tg_op = 'UPDATE' then
              delete from search_top_terms where article_id = old.article_id;
            end if;
            insert into search_top_terms (term, article_id)
              select distinct e ->> 0, new.article_id from jsonb_array_elements(new.top_terms::jsonb) e
              on conflict do nothing;
            return null;
          end $$`.execute(db);
      await sql`create trigger search_documents_top_terms after insert or update of top_terms on search_documents
          for each row execute function search_top_terms_track()`.execute(db);
      await sql`insert into search_top_terms (term, article_id)
          select distinct e ->> 0, d.article_id from search_documents d cross join lateral jsonb_array_elements(d.top_terms::jsonb) e
          on conflict do nothing`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (engine !== 'postgres') return;
      await sql`drop trigger search_documents_top_terms on search_documents`.execute(db);
      await sql`drop function search_top_terms_track()`.execute(db);
      await sql`drop table search_top_terms`.execute(db);
    },
  };
}
