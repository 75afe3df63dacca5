import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { QueryClause } from '../../domain/text-analysis.js';
import type { Engine } from '../database.js';
import type { Database } from '../schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Index terms of one article, per field. */
export interface FieldTerms {
  headline: string[];
  dek: string[];
  body: string[];
  tags: string[];
  byline: string[];
}

/** What a search needs from the engine: a match condition and a relevance expression. */
export interface FullTextQuery {
  /** Tables to add to `from`, aliased so `d` is `search_documents`. */
  from: RawBuilder<unknown>;
  /** Relevance, higher is better. */
  rank: RawBuilder<number>;
}

/**
 * The engine-specific part of full-text search, chosen once from `handle.engine`.
 * Everything else in the search repository is plain Kysely, the same on both engines.
 */
export interface FullTextAdapter {
  readonly engine: Engine;
  write(trx: Db, articleId: number, fields: FieldTerms): Promise<void>;
  /** Removes the article's terms (the document row is deleted by the repository). */
  erase(trx: Db, articleId: number): Promise<void>;
  /** `null` when the clauses cannot match anything (no positive clause). */
  /** `related`: more-like-this ranking, headline and text alike, tags and byline left to their own signals. */
  query(clauses: QueryClause[], mode: 'all' | 'any', ranking?: Ranking): FullTextQuery | null;
  documentFrequencies(db: Db, terms: string[]): Promise<Map<string, number>>;
  clear(trx: Db): Promise<void>;
}

export type Ranking = 'search' | 'related';
// Field weights, the same on both engines: headline 4, tags and dek 2, body and byline 1;
// for related stories headline, dek and body 1 (wire headlines are formulaic), tags and byline 0.
const FTS5_WEIGHTS = { search: sql.raw('4.0, 2.0, 1.0, 2.0, 1.0'), related: sql.raw('1.0, 1.0, 1.0, 0.0, 0.0') };
// ts_rank weights are {D, C, B, A}: body D, dek/byline C, tags B, headline A.
const TSV_WEIGHTS = { search: sql.raw(`'{0.25, 0.5, 0.5, 1.0}'`), related: sql.raw(`'{1.0, 1.0, 0.0, 1.0}'`) };

/** Terms only ever hold letters and digits (see text-analysis); anything else is dropped defensively. */
const safe = (term: string) => term.replace(/[^\p{L}\p{N}]/gu, '');

class SqliteFts5 implements FullTextAdapter {
  readonly engine = 'sqlite' as const;

  async write(trx: Db, articleId: number, f: FieldTerms): Promise<void> {
    await sql`delete from search_fts where rowid = ${articleId}`.execute(trx);
    await sql`insert into search_fts (rowid, headline, dek, body, tags, byline)
      values (${articleId}, ${f.headline.join(' ')}, ${f.dek.join(' ')}, ${f.body.join(' ')}, ${f.tags.join(' ')}, ${f.byline.join(' ')})`.execute(trx);
  }

  async erase(trx: Db, articleId: number): Promise<void> {
    await sql`delete from search_fts where rowid = ${articleId}`.execute(trx);
  }

  private clause(c: QueryClause): string {
    const body = `"${c.terms.map(safe).join(' ')}"`;
    return c.prefix ? `${body}*` : body;
  }

  query(clauses: QueryClause[], mode: 'all' | 'any', ranking: Ranking = 'search'): FullTextQuery | null {
    const positive = clauses.filter((c) => !c.negated && c.terms.length);
    if (!positive.length) return null;
    let expr = positive.map((c) => this.clause(c)).join(mode === 'all' ? ' ' : ' OR ');
    const negative = clauses.filter((c) => c.negated && c.terms.length);
    if (negative.length) expr = `(${expr})${negative.map((c) => ` NOT ${this.clause(c)}`).join('')}`;
    return {
      from: sql`search_fts join search_documents d on d.article_id = search_fts.rowid and search_fts match ${expr}`,
      rank: sql<number>`-bm25(search_fts, ${FTS5_WEIGHTS[ranking]})`,
    };
  }

  async documentFrequencies(db: Db, terms: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    // fts5vocab scans its whole vocabulary for `term in (…)`, but answers `term = ?` from
    // the index: joining from a json_each list makes one statement of many such lookups.
    for (let i = 0; i < terms.length; i += 1000) {
      const rows = await sql<{ term: string; doc: number }>`select v.term as term, v.doc as doc
        from json_each(${JSON.stringify(terms.slice(i, i + 1000))}) j cross join search_vocab v on v.term = j.value`.execute(db);
      for (const r of rows.rows) out.set(r.term, Number(r.doc));
    }
    return out;
  }

  async clear(trx: Db): Promise<void> {
    await sql`delete from search_fts`.execute(trx);
  }
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

class PostgresTsvector implements FullTextAdapter {
  readonly engine = 'postgres' as const;

  async write(trx: Db, articleId: number, f: FieldTerms): Promise<void> {
    await sql`update search_documents set tsv = cast(${tsvectorLiteral(f)} as tsvector) where article_id = ${articleId}`.execute(trx);
  }

  async erase(): Promise<void> {
    // The terms live in the document row, which the repository deletes.
  }

  private clause(c: QueryClause): string {
    const body = c.terms.map((t) => `'${safe(t)}'`).join(' <-> ');
    const expr = c.prefix ? `${body}:*` : body;
    return c.terms.length > 1 ? `(${expr})` : expr;
  }

  query(clauses: QueryClause[], mode: 'all' | 'any', ranking: Ranking = 'search'): FullTextQuery | null {
    const positive = clauses.filter((c) => !c.negated && c.terms.length);
    if (!positive.length) return null;
    let expr = positive.map((c) => this.clause(c)).join(mode === 'all' ? ' & ' : ' | ');
    const negative = clauses.filter((c) => c.negated && c.terms.length);
    if (negative.length) expr = `(${expr})${negative.map((c) => ` & !${this.clause(c)}`).join('')}`;
    return {
      from: sql`search_documents d cross join lateral (select cast(${expr} as tsquery) as q) fq`,
      rank: sql<number>`ts_rank_cd(${TSV_WEIGHTS[ranking]}, d.tsv, fq.q, 1)`,
    };
  }

  async documentFrequencies(db: Db, terms: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!terms.length) return out;
    const rows = await sql<{ term: string; df: number }>`select term, df from search_terms where term = any(${terms})`.execute(db);
    for (const r of rows.rows) out.set(r.term, Number(r.df));
    return out;
  }

  async clear(trx: Db): Promise<void> {
    await sql`delete from search_terms`.execute(trx);
  }
}

export function fullTextAdapter(engine: Engine): FullTextAdapter {
  return engine === 'sqlite' ? new SqliteFts5() : new PostgresTsvector();
}

/** The match condition for PostgreSQL (SQLite matches in the join). */
export function matchCondition(engine: Engine): RawBuilder<boolean> {
  return engine === 'postgres' ? sql<boolean>`d.tsv @@ fq.q` : sql<boolean>`1 = 1`;
}
