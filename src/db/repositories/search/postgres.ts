import { sql, type RawBuilder } from 'kysely';
import type { QueryClause } from '../../../domain/text-analysis.js';
import { RUM_INDEX } from '../../migrations/030-search-rum.js';
import { safe, splitClauses, type Db, type FieldTerms, type FullTextAdapter, type FullTextQuery, type RankedPageRequest, type SearchHit } from './full-text.js';
import { rowConditions } from './planner.js';

// ts_rank weights are {D, C, B, A}: body D, dek/byline C, tags B, headline A (the same
// field weights as SQLite's bm25: headline 4, tags and dek 2, body and byline 1).
const TSV_WEIGHTS = sql.raw(`'{0.25, 0.5, 0.5, 1.0}'`);

/**
 * More-like-this from postings alone: each document scored by the summed BM25 idf of the
 * words it holds (a word's postings give its document frequency), the `limit` best.
 * Candidates only: the related engine rescores them from their stored terms.
 */
export function idfSumTop(postings: number[][], n: number, limit: number): { id: number; rank: number }[] {
  const scores = new Map<number, number>();
  for (const ids of postings) {
    const df = ids.length;
    const weight = Math.log(1 + (Math.max(n, df) - df + 0.5) / (df + 0.5));
    for (const id of ids) scores.set(id, (scores.get(id) ?? 0) + weight);
  }
  return [...scores]
    .sort((a, b) => b[1] - a[1] || b[0] - a[0])
    .slice(0, limit)
    .map(([id, rank]) => ({ id, rank }));
}

/** `'a':1A,5A 'b':2D …`: a tsvector literal of exactly our terms, weights and positions. */
export function tsvectorLiteral(f: FieldTerms): string {
  const positions = new Map<string, string[]>();
  let pos = 1;
  const add = (terms: string[], weight: string) => {
    for (const t of terms) {
      const term = safe(t);
      if (!term || term.length > 200) continue;
      const list = positions.get(term) ?? [];
      // PostgreSQL keeps at most 256 positions per lexeme, and positions up to 16383.
      if (list.length < 256) list.push(`${Math.min(pos, 16383)}${weight}`);
      positions.set(term, list);
      pos++;
    }
    pos++; // a gap between fields so phrases never span two
  };
  add(f.headline, 'A');
  add(f.tags, 'B');
  add(f.dek, 'C');
  add(f.byline, 'C');
  add(f.body, 'D');
  return [...positions].map(([t, p]) => `'${t}':${p.join(',')}`).join(' ');
}

/**
 * PostgreSQL's full-text SQL: a weighted `tsvector` column of our own terms, a GIN index;
 * with the `rum` extension also a RUM index (migration 030) that ranks inside the index.
 */
export class PostgresTsvector implements FullTextAdapter {
  readonly engine = 'postgres' as const;
  private rum: Promise<string | null> | undefined;

  /**
   * The schema of the `rum` extension when this database's search index has its RUM
   * index (migration 030), else `null`. Looked up once per process.
   */
  rumSchema(db: Db): Promise<string | null> {
    this.rum ??= sql<{ schema: string }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      where e.extname = 'rum' and to_regclass(${RUM_INDEX}) is not null`
      .execute(db)
      .then((r) => r.rows[0]?.schema ?? null)
      .catch(() => {
        this.rum = undefined; // asked again next time: a failed look-up is no answer
        return null;
      });
    return this.rum;
  }

  async write(): Promise<void> {
    // The terms are the document row's `tsv`, written with the row (documentColumns): one statement, not two.
  }

  documentColumns(f: FieldTerms): Record<string, RawBuilder<unknown>> {
    return { tsv: sql`cast(${tsvectorLiteral(f)} as tsvector)` };
  }

  async erase(): Promise<void> {
    // The terms live in the document row, which the repository deletes.
  }

  private clause(c: QueryClause): string {
    if (c.anyOf) return `(${c.anyOf.map((t) => `'${safe(t)}'`).join(' | ')})`;
    const body = c.terms.map((t) => `'${safe(t)}'`).join(' <-> ');
    const expr = c.prefix ? `${body}:*` : body;
    return c.terms.length > 1 ? `(${expr})` : expr;
  }

  query(clauses: QueryClause[], mode: 'all' | 'any'): FullTextQuery | null {
    const split = splitClauses(clauses, mode);
    if (!split) return null;
    let expr = split.positive.map((c) => this.clause(c)).join(mode === 'all' ? ' & ' : ' | ');
    if (split.negative.length) expr = `(${expr})${split.negative.map((c) => ` & !${this.clause(c)}`).join('')}`;
    return {
      text: expr,
      from: sql`search_documents d cross join lateral (select cast(${expr} as tsquery) as q) fq`,
      rank: sql<number>`ts_rank_cd(${TSV_WEIGHTS}, d.tsv, fq.q, 1)`,
      match: sql<boolean>`d.tsv @@ fq.q`,
      // coalesce() hides the operator from the planner, so the GIN index is not used.
      scanMatch: sql<boolean>`coalesce(d.tsv @@ fq.q, false)`,
      newest: sql`d.article_id desc`,
      newestCollected: sql`d.article_id + 0 desc`,
    };
  }

  /**
   * With the RUM index: the best matches in the order of `tsv <=> query`, which RUM
   * computes from the positions it stores, so no match's vector is read from the table
   * (ts_rank_cd de-TOASTs every match: 230 ms p95 at 100k articles). Filters are checked
   * on the rows as the index returns them, best first, until a page's worth pass. Without
   * RUM, `null`: the repository ranks the joined query with ts_rank_cd.
   */
  async rankedPage(db: Db, { query, filter, now, want }: RankedPageRequest): Promise<SearchHit[] | null> {
    const schema = await this.rumSchema(db);
    if (!schema) return null;
    const tsquery = sql`cast(${query.text} as tsquery)`;
    const distance = sql`d.tsv operator(${sql.id(schema)}.<=>) ${tsquery}`;
    // A few spare places so that ties at the page's end are broken by date below.
    const k = want + Math.max(20, want >> 1);
    const rows = await sql<{ id: number; at: string; distance: number }>`select d.article_id as id, d.published_at as at, ${distance} as distance
      from search_documents d where d.tsv @@ ${tsquery} and ${sql.join(rowConditions(filter, now), sql` and `)}
      order by ${distance} limit ${k}`.execute(db);
    return rows.rows
      .map((r) => ({ articleId: Number(r.id), rank: 1 / Number(r.distance), at: Number(r.at) }))
      .sort((a, b) => b.rank - a.rank || b.at - a.at || b.articleId - a.articleId)
      .map(({ articleId, rank }) => ({ articleId, rank }));
  }

  async documentFrequencies(db: Db, terms: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!terms.length) return out;
    const rows = await sql<{ term: string; df: number }>`select term, df from search_terms where term = any(${terms})`.execute(db);
    for (const r of rows.rows) out.set(r.term, Number(r.df));
    return out;
  }

  readonly countsNewDocuments = false;

  async countNewDocument(): Promise<void> {
    // The search_documents_terms trigger counts every insert, update and delete.
  }

  fromId(minId: number): RawBuilder<boolean> {
    return sql<boolean>`d.article_id >= ${minId}`;
  }

  /**
   * ts_rank_cd reads (de-TOASTs) every match's vector: 0.7–2 s for 12,000 matches at 100k
   * articles. The postings alone (ids from the GIN index) cost a fraction of that, ranked
   * by summed idf; that ranking finds fewer of the best matches than BM25, so three times
   * as many candidates are kept (on the Reuters tune split: precision@4 0.8602 with 300,
   * 0.8498 with 100, 0.8625 with BM25's 100).
   */
  readonly relatedOversample = 3;

  /**
   * From the postings alone, also with the RUM index: ordering the OR of ~80 terms by
   * `tsv <=> query` inside RUM cost as much as reading the postings (related p50 at 100k
   * 4.4 times SQLite's either way) and, without idf, lost 0.45–0.6 points of precision@4
   * on the Reuters tune split.
   */
  async relatedMatches(db: Db, terms: string[], limit: number): Promise<{ id: number; rank: number }[]> {
    if (!terms.length) return [];
    const estimate = await sql<{ n: number }>`select greatest(reltuples, 1)::bigint as n from pg_class where oid = 'search_documents'::regclass`.execute(db);
    return idfSumTop(await this.postings(db, terms), Number(estimate.rows[0]?.n ?? 1), limit);
  }

  /** For each term (in order), the ids of the documents holding it, in one round trip. */
  private async postings(db: Db, terms: string[]): Promise<number[][]> {
    if (!terms.length) return [];
    // One round trip: each term's ids as an array.
    const parts = terms.map((t, k) => sql`select ${sql.lit(k)} as k, array(select article_id from search_documents where tsv @@ cast(${`'${safe(t)}'`} as tsquery)) as ids`);
    const rows = (await sql<{ k: number; ids: number[] }>`${sql.join(parts, sql` union all `)}`.execute(db)).rows;
    const out: number[][] = terms.map(() => []);
    for (const r of rows) out[r.k] = r.ids.map(Number);
    return out;
  }

  async expandPrefix(db: Db, prefix: string, max: number): Promise<string[]> {
    // `like` with text_pattern_ops (migration 007) reads the prefix's range of the index whatever the collation.
    const rows = await sql<{ term: string }>`select term from search_terms where term like ${`${safe(prefix)}%`} and df > 0
      order by df desc limit ${max}`.execute(db);
    return rows.rows.map((r) => r.term);
  }

  async beginBulk(db: Db): Promise<void> {
    await sql`alter table search_documents disable trigger search_documents_terms`.execute(db);
  }

  async endBulk(db: Db): Promise<void> {
    await sql`alter table search_documents enable trigger search_documents_terms`.execute(db);
    // Fresh planner statistics for the rebuilt tables (PostgreSQL plans full-text queries by them).
    await sql`analyze search_documents, search_terms`.execute(db);
  }

  async clear(trx: Db): Promise<void> {
    await sql`delete from search_terms`.execute(trx);
  }

  async notice(db: Db): Promise<string | null> {
    if (await this.rumSchema(db)) return null;
    return `PostgreSQL search runs without the rum extension's index (${RUM_INDEX}): ranked searches read every match's text vector and get slower as the archive grows. Install the server's rum package (Debian: postgresql-15-rum), then as a superuser: create extension rum; create index ${RUM_INDEX} on search_documents using rum (tsv rum_tsvector_ops);`;
  }
}
