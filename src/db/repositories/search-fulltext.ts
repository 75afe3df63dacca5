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
  /** The match condition, for the `where` clause (SQLite matches in the join: always true). */
  match: RawBuilder<boolean>;
  /**
   * The same condition for a broad query read newest first: PostgreSQL then walks the
   * primary key backwards testing each row, which stops after a page of matches, where
   * the GIN index would first collect every match of a common word.
   */
  scanMatch: RawBuilder<boolean>;
  /**
   * `from … where` of the matches alone, for counting a query without filters, where the
   * engine has such a thing (SQLite: the FTS5 table without the join to each document).
   */
  matchesOnly?: RawBuilder<unknown>;
  /** With `matchesOnly`: the document rows `d`, as looked up by article id. */
  documentsById?: RawBuilder<unknown>;
  /** Newest first (by article id), in the order the engine's index reads matches: stops early under a limit. */
  newest: RawBuilder<unknown>;
  /**
   * Newest first for matches the full-text index collected (PostgreSQL: an expression,
   * so the planner sorts the few matches instead of walking the primary key past
   * thousands of rows that do not match, hoping to meet a page of them early).
   */
  newestCollected: RawBuilder<unknown>;
}

/**
 * The engine-specific part of full-text search, chosen once from `handle.engine`.
 * Everything else in the search repository is plain Kysely, the same on both engines.
 */
export interface FullTextAdapter {
  readonly engine: Engine;
  /** Writes the article's terms where they live apart from the document row (SQLite's FTS5 table). */
  write(trx: Db, articleId: number, fields: FieldTerms): Promise<void>;
  /** Columns of the document row that hold the terms (PostgreSQL's `tsv`), written in the row's own statement; none on SQLite. */
  documentColumns(fields: FieldTerms): Record<string, RawBuilder<unknown>>;
  /** Removes the article's terms (the document row is deleted by the repository). */
  erase(trx: Db, articleId: number): Promise<void>;
  /** `null` when the clauses cannot match anything (no positive clause). */
  query(clauses: QueryClause[], mode: 'all' | 'any'): FullTextQuery | null;
  /**
   * More-like-this: the `limit` best matches of any of the words by the `related`
   * ranking, from the text index alone (no join: visibility is the caller's to check).
   */
  relatedMatches(db: Db, terms: string[], limit: number): Promise<{ id: number; rank: number }[]>;
  /** How many times `limit` more-like-this candidates to keep (more where the ranking is coarser). */
  readonly relatedOversample: number;
  documentFrequencies(db: Db, terms: string[]): Promise<Map<string, number>>;
  /** Index terms starting with `prefix`, most frequent first, at most `max`. */
  expandPrefix(db: Db, prefix: string, max: number): Promise<string[]>;
  /** Only articles with an id of at least `minId`, as the engine's index reads them (the scan starts there). */
  fromId(minId: number): RawBuilder<boolean>;
  /**
   * Counts a newly indexed document's distinct terms into `search_terms` (SQLite; a
   * trigger does it on PostgreSQL, exactly, edits and removals included).
   */
  countNewDocument(trx: Db, terms: string[]): Promise<void>;
  /** `countNewDocument` does the counting (SQLite); false where a trigger does (so the writer need not ask whether the document is new). */
  readonly countsNewDocuments: boolean;
  /**
   * Bulk loading: stop maintaining document frequencies row by row (they are written at
   * the end) and give the connection what a large rebuild needs.
   */
  beginBulk(db: Db): Promise<void>;
  endBulk(db: Db): Promise<void>;
  clear(trx: Db): Promise<void>;
}

/** Replaces the whole document-frequency table (after a reindex that counted them itself). */
export async function replaceTermFrequencies(db: Db, df: Map<string, number>): Promise<void> {
  await sql`delete from search_terms`.execute(db);
  const rows = [...df];
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    await sql`insert into search_terms (term, df) values ${sql.join(chunk.map(([t, n]) => sql`(${t}, ${n})`))}`.execute(db);
  }
}

export type Ranking = 'search' | 'related';
// Field weights, the same on both engines: headline 4, tags and dek 2, body and byline 1;
// for related stories (FTS5 more-like-this) headline, dek and body 1 (wire headlines are
// formulaic), tags and byline 0 (they have signals of their own).
const FTS5_WEIGHTS = { search: sql.raw('4.0, 2.0, 1.0, 2.0, 1.0'), related: sql.raw('1.0, 1.0, 1.0, 0.0, 0.0') };
// ts_rank weights are {D, C, B, A}: body D, dek/byline C, tags B, headline A.
const TSV_WEIGHTS = sql.raw(`'{0.25, 0.5, 0.5, 1.0}'`);

const usable = (c: QueryClause) => (c.anyOf ? c.anyOf.length > 0 : c.terms.length > 0);

/** Terms only ever hold letters and digits (see text-analysis); anything else is dropped defensively. */
const safe = (term: string) => term.replace(/[^\p{L}\p{N}]/gu, '');

/**
 * The document rows a search looks up per match, through their covering index (see
 * migration 009): FTS5 drives, each match costs one compact index seek.
 */
const SQLITE_DOCUMENTS = sql`search_documents d indexed by search_documents_filters`;

/**
 * SQLite page cache of a rebuild (KiB), and FTS5's pending-terms buffer then and otherwise.
 * The cache is a fixed size, not the database's: SQLite fills whatever it is allowed, so at
 * 1 GiB a rebuild's peak RSS grew with the archive (507 MB at 20k articles, 1,364 MB at 100k).
 */
export const BULK_CACHE_KIB = 65_536;
const BULK_HASH_BYTES = 256 * 1024 * 1024;
const DEFAULT_HASH_BYTES = 1024 * 1024;

class SqliteFts5 implements FullTextAdapter {
  readonly engine = 'sqlite' as const;

  async write(trx: Db, articleId: number, f: FieldTerms): Promise<void> {
    await sql`delete from search_fts where rowid = ${articleId}`.execute(trx);
    await sql`insert into search_fts (rowid, headline, dek, body, tags, byline)
      values (${articleId}, ${f.headline.join(' ')}, ${f.dek.join(' ')}, ${f.body.join(' ')}, ${f.tags.join(' ')}, ${f.byline.join(' ')})`.execute(trx);
  }

  documentColumns(): Record<string, RawBuilder<unknown>> {
    return {};
  }

  async erase(trx: Db, articleId: number): Promise<void> {
    await sql`delete from search_fts where rowid = ${articleId}`.execute(trx);
  }

  private clause(c: QueryClause): string {
    if (c.anyOf) return `(${c.anyOf.map((t) => `"${safe(t)}"`).join(' OR ')})`;
    const body = `"${c.terms.map(safe).join(' ')}"`;
    return c.prefix ? `${body}*` : body;
  }

  query(clauses: QueryClause[], mode: 'all' | 'any'): FullTextQuery | null {
    const positive = clauses.filter((c) => !c.negated && usable(c));
    // Every word is required: one that is in no document (a prefix nothing completes) matches nothing.
    if (!positive.length || (mode === 'all' && clauses.some((c) => !c.negated && !usable(c)))) return null;
    let expr = positive.map((c) => this.clause(c)).join(mode === 'all' ? ' ' : ' OR ');
    const negative = clauses.filter((c) => c.negated && usable(c));
    if (negative.length) expr = `(${expr})${negative.map((c) => ` NOT ${this.clause(c)}`).join('')}`;
    return {
      from: sql`search_fts cross join ${SQLITE_DOCUMENTS} on d.article_id = search_fts.rowid and search_fts match ${expr}`,
      rank: sql<number>`-bm25(search_fts, ${FTS5_WEIGHTS.search})`,
      match: sql<boolean>`1 = 1`,
      scanMatch: sql<boolean>`1 = 1`,
      matchesOnly: sql`search_fts where search_fts match ${expr}`,
      documentsById: SQLITE_DOCUMENTS,
      // FTS5 walks a term's postings backwards for `order by rowid desc`.
      newest: sql`search_fts.rowid desc`,
      newestCollected: sql`search_fts.rowid desc`,
    };
  }

  async documentFrequencies(db: Db, terms: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    // One statement per 1,000 terms: a json_each list joined to the primary key.
    for (let i = 0; i < terms.length; i += 1000) {
      const rows = await sql<{ term: string; df: number }>`select s.term as term, s.df as df
        from json_each(${JSON.stringify(terms.slice(i, i + 1000))}) j cross join search_terms s on s.term = j.value`.execute(db);
      for (const r of rows.rows) out.set(r.term, Number(r.df));
    }
    return out;
  }

  /**
   * Edits and removals are not subtracted (the contentless index cannot give back a
   * document's old terms): frequencies drift up slightly until the next `dateline
   * reindex`, which recounts them exactly. They only weight terms (idf).
   */
  readonly countsNewDocuments = true;

  async countNewDocument(trx: Db, terms: string[]): Promise<void> {
    if (!terms.length) return;
    await sql`insert into search_terms (term, df) select value, 1 from json_each(${JSON.stringify(terms)}) where true
      on conflict (term) do update set df = df + 1`.execute(trx);
  }

  readonly relatedOversample = 1;

  async relatedMatches(db: Db, terms: string[], limit: number): Promise<{ id: number; rank: number }[]> {
    if (!terms.length) return [];
    const expr = terms.map((t) => `"${safe(t)}"`).join(' OR ');
    const rows = await sql<{ id: number; rank: number }>`select rowid as id, -bm25(search_fts, ${FTS5_WEIGHTS.related}) as rank
      from search_fts where search_fts match ${expr} order by rank desc, rowid desc limit ${limit}`.execute(db);
    return rows.rows;
  }

  fromId(minId: number): RawBuilder<boolean> {
    // FTS5 only bounds its scan by an integer: better-sqlite3 binds JS numbers as reals.
    return sql<boolean>`search_fts.rowid >= cast(${minId} as integer)`;
  }

  async expandPrefix(db: Db, prefix: string, max: number): Promise<string[]> {
    // Binary collation: every term starting with the prefix sorts between it and prefix + U+FFFF.
    const rows = await sql<{ term: string }>`select term from search_terms where term >= ${prefix} and term < ${`${prefix}\uffff`} and df > 0
      order by df desc limit ${max}`.execute(db);
    return rows.rows.map((r) => r.term);
  }

  async beginBulk(db: Db): Promise<void> {
    // FTS5 merges its segments as it grows, and a merge re-reads them: with SQLite's
    // default 2 MB page cache every page came back through a system call (a 1M rebuild
    // spent its time in pread); 64 MB rebuilt 40k articles as fast as 1 GiB did and does
    // not grow with the archive (see BULK_CACHE_KIB). Pending terms are flushed once per batch, not per
    // megabyte (FTS5's default `hashsize`), so there are fewer, larger segments to merge.
    await sql`pragma cache_size = ${sql.raw(String(-BULK_CACHE_KIB))}`.execute(db);
    await sql`insert into search_fts (search_fts, rank) values ('hashsize', ${sql.raw(String(BULK_HASH_BYTES))})`.execute(db);
  }

  async endBulk(db: Db): Promise<void> {
    await sql`insert into search_fts (search_fts, rank) values ('hashsize', ${sql.raw(String(DEFAULT_HASH_BYTES))})`.execute(db);
    await sql`pragma cache_size = -2000`.execute(db);
  }

  async clear(trx: Db): Promise<void> {
    await sql`delete from search_fts`.execute(trx);
    await sql`delete from search_terms`.execute(trx);
  }
}

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

class PostgresTsvector implements FullTextAdapter {
  readonly engine = 'postgres' as const;

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
    const positive = clauses.filter((c) => !c.negated && usable(c));
    // Every word is required: one that is in no document (a prefix nothing completes) matches nothing.
    if (!positive.length || (mode === 'all' && clauses.some((c) => !c.negated && !usable(c)))) return null;
    let expr = positive.map((c) => this.clause(c)).join(mode === 'all' ? ' & ' : ' | ');
    const negative = clauses.filter((c) => c.negated && usable(c));
    if (negative.length) expr = `(${expr})${negative.map((c) => ` & !${this.clause(c)}`).join('')}`;
    return {
      from: sql`search_documents d cross join lateral (select cast(${expr} as tsquery) as q) fq`,
      rank: sql<number>`ts_rank_cd(${TSV_WEIGHTS}, d.tsv, fq.q, 1)`,
      match: sql<boolean>`d.tsv @@ fq.q`,
      // coalesce() hides the operator from the planner, so the GIN index is not used.
      scanMatch: sql<boolean>`coalesce(d.tsv @@ fq.q, false)`,
      newest: sql`d.article_id desc`,
      newestCollected: sql`d.article_id + 0 desc`,
    };
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
  }

  async clear(trx: Db): Promise<void> {
    await sql`delete from search_terms`.execute(trx);
  }
}

export function fullTextAdapter(engine: Engine): FullTextAdapter {
  return engine === 'sqlite' ? new SqliteFts5() : new PostgresTsvector();
}
