import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { QueryClause } from '../../../domain/text-analysis.js';
import type { Engine } from '../../database.js';
import type { Database } from '../../schema.js';
import type { SearchFilter } from './planner.js';

/** The contract between the search repository and one engine's full-text SQL (`sqlite.ts`, `postgres.ts`). */

export type Db = Kysely<Database> | Transaction<Database>;

/** Index terms of one article, per field. */
export interface FieldTerms {
  headline: string[];
  dek: string[];
  body: string[];
  tags: string[];
  byline: string[];
}

export interface SearchHit {
  articleId: number;
  rank: number;
}

export type Ranking = 'search' | 'related';

/** What a search needs from the engine: a match condition and a relevance expression. */
export interface FullTextQuery {
  /** The engine's own query text (an FTS5 match expression, a tsquery). */
  text: string;
  /**
   * When the query is one word, or one clause of alternatives (a prefix's completions), and
   * nothing else: the words, for an engine that reads each one's matches apart (PostgreSQL).
   */
  anyOf?: string[];
  /** When the query is one phrase and nothing else: its words, in order. */
  phrase?: string[];
  /**
   * When the query holds a phrase (PostgreSQL): the same query with each phrase's words
   * joined by `&`, which the index answers; the phrase itself is then checked on the rows.
   */
  loose?: string;
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
  /** Newest first (by article id), in the order the engine's index reads matches: stops early under a limit. */
  newest: RawBuilder<unknown>;
  /**
   * Newest first for matches the full-text index collected (PostgreSQL: an expression,
   * so the planner sorts the few matches instead of walking the primary key past
   * thousands of rows that do not match, hoping to meet a page of them early).
   */
  newestCollected: RawBuilder<unknown>;
}

/** A ranked page's request to the engine: the query, the filters and how many hits are wanted. */
export interface RankedPageRequest {
  query: FullTextQuery;
  filter: SearchFilter;
  now: number;
  /** Offset plus limit: the hits the caller needs, best first. */
  want: number;
  /** Best matches a filtered search takes from the index before checking rows (see RANK_POOL). */
  pool: number;
}

/** A page of a query that is not broad, newest first (`order: 'date'`). */
export interface DatePageRequest {
  /** With `body`: `from … where …`, the match with visibility and the filters (the joined query's). */
  query: FullTextQuery & { body: RawBuilder<unknown> };
  /** With `matchesFirst`: every match read, then ordered (see `matchesFirst` in planner.ts). */
  filter: SearchFilter;
  now: number;
  limit: number;
  offset: number;
}

/** A broad query's request to the engine: its newest matches that pass the filters, `want` of them at most. */
export interface NewestPageRequest {
  query: FullTextQuery;
  /** With `minId` (see `planSearch`): matches below it are not listed. */
  filter: SearchFilter;
  now: number;
  want: number;
}

/** What `writeBulk` reads of a document. */
export interface BulkDocument {
  articleId: number;
  topTerms: [string, number][];
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
   * A ranked page from the engine's own index, best first; `null` when the engine has no
   * such path for this request, and the repository runs the joined query instead.
   */
  rankedPage(db: Db, request: RankedPageRequest): Promise<SearchHit[] | null>;
  /**
   * A broad query's newest matches (article ids, newest first) from an index that returns
   * them in that order and stops after a page; `null` where the engine has no such index
   * for this request, and the repository runs the bounded query instead.
   */
  newestPage(db: Db, request: NewestPageRequest): Promise<number[] | null>;
  /**
   * A page newest first, each hit with its rank, by the engine's own query; absent (or
   * `null`) where the repository's joined query serves.
   */
  datePage?(db: Db, request: DatePageRequest): Promise<SearchHit[] | null>;
  /**
   * Matches that pass the filters, counted up to `cap` by the engine's own path; `null`
   * where it has none for this query, and the repository counts the joined query.
   */
  countMatches?(db: Db, request: NewestPageRequest): Promise<number | null>;
  /**
   * More-like-this: the `limit` best matches of any of the words by the `related`
   * ranking, from the text index alone (no join: visibility is the caller's to check).
   */
  relatedMatches(db: Db, terms: string[], limit: number): Promise<{ id: number; rank: number }[]>;
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
  /**
   * In bulk loading, beside each batch of documents: the rows a trigger would have written
   * from them (PostgreSQL's related candidates); nothing elsewhere.
   */
  writeBulk(trx: Db, docs: BulkDocument[]): Promise<void>;
  /**
   * After a rebuild (frequencies already replaced): back to row-by-row upkeep, planner
   * statistics refreshed. `writtenAt`: the `indexed_at` of every document the rebuild wrote,
   * to tell them from what other writers indexed meanwhile.
   */
  endBulk(db: Db, writtenAt: number): Promise<void>;
  /** Empties the index (a rebuild's start): the documents, their entities and the engine's own tables. */
  clear(trx: Db): Promise<void>;
  /** What an operator should know at start-up about this engine's search (a missing extension), or `null`. */
  notice(db: Db): Promise<string | null>;
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

/** Whether a clause has anything to search for (a prefix nothing completes has not). */
export const usable = (c: QueryClause) => (c.anyOf ? c.anyOf.length > 0 : c.terms.length > 0);

/** Terms only ever hold letters and digits (see text-analysis); anything else is dropped defensively. */
export const safe = (term: string) => term.replace(/[^\p{L}\p{N}]/gu, '');

/**
 * The positive clauses of a query and the negated ones, or `null` when it cannot match:
 * no positive clause, or (mode `all`) a required word that is in no document.
 */
export function splitClauses(clauses: QueryClause[], mode: 'all' | 'any'): { positive: QueryClause[]; negative: QueryClause[] } | null {
  const positive = clauses.filter((c) => !c.negated && usable(c));
  if (!positive.length || (mode === 'all' && clauses.some((c) => !c.negated && !usable(c)))) return null;
  return { positive, negative: clauses.filter((c) => c.negated && usable(c)) };
}
