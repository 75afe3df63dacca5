import { sql, type RawBuilder } from 'kysely';
import type { QueryClause } from '../../../domain/text-analysis.js';
import { safe, splitClauses, type Db, type FieldTerms, type FullTextAdapter, type FullTextQuery, type RankedPageRequest, type SearchHit } from './full-text.js';
import { hasFilters, rowConditions } from './planner.js';

// Field weights, the same on both engines: headline 4, tags and dek 2, body and byline 1;
// for related stories (FTS5 more-like-this) headline, dek and body 1 (wire headlines are
// formulaic), tags and byline 0 (they have signals of their own).
const FTS5_WEIGHTS = { search: sql.raw('4.0, 2.0, 1.0, 2.0, 1.0'), related: sql.raw('1.0, 1.0, 1.0, 0.0, 0.0') };

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

/** SQLite's full-text SQL: a contentless FTS5 table (rowid = article id) ranked by bm25(). */
export class SqliteFts5 implements FullTextAdapter {
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
    const split = splitClauses(clauses, mode);
    if (!split) return null;
    let expr = split.positive.map((c) => this.clause(c)).join(mode === 'all' ? ' ' : ' OR ');
    if (split.negative.length) expr = `(${expr})${split.negative.map((c) => ` NOT ${this.clause(c)}`).join('')}`;
    return {
      text: expr,
      from: sql`search_fts cross join ${SQLITE_DOCUMENTS} on d.article_id = search_fts.rowid and search_fts match ${expr}`,
      rank: sql<number>`-bm25(search_fts, ${FTS5_WEIGHTS.search})`,
      match: sql<boolean>`1 = 1`,
      scanMatch: sql<boolean>`1 = 1`,
      matchesOnly: sql`search_fts where search_fts match ${expr}`,
      // FTS5 walks a term's postings backwards for `order by rowid desc`.
      newest: sql`search_fts.rowid desc`,
      newestCollected: sql`search_fts.rowid desc`,
    };
  }

  /**
   * A ranked page from the text index alone: the best `k` matches by rank, then their
   * rows checked for visibility and the filters. Joining every match to its row first
   * cost three to four times as much at a million articles (a word in 19,000 of them:
   * 74 ms instead of 22). `null` when the `k` best hold too few that pass and there are
   * more matches (a narrow filter): the caller then runs the joined query.
   */
  async rankedPage(db: Db, { query, filter, now, want, pool }: RankedPageRequest): Promise<SearchHit[] | null> {
    // Unfiltered, a few spare places for embargoed matches; filtered, the `pool` best.
    const k = hasFilters(filter) ? Math.max(pool, want) : want + Math.max(20, want >> 1);
    const ranked = (await sql<{ id: number; rank: number }>`select search_fts.rowid as id, ${query.rank} as rank from ${query.matchesOnly} order by rank desc, search_fts.rowid desc limit ${k}`.execute(db)).rows;
    const rank = new Map(ranked.map((r) => [Number(r.id), Number(r.rank)]));
    const kept: { id: number; at: number }[] = [];
    const conditions = rowConditions(filter, now);
    const ids = [...rank.keys()];
    // Best first, in growing chunks, until a page's worth pass: a broad filter reads few rows.
    for (let i = 0, size = Math.max(50, want * 2); i < ids.length && kept.length < want; i += size, size = 500) {
      // By article id in the covering index, never a range of the published_at index (a date
      // filter keeping half the archive made SQLite walk half of that one: 130 ms at 1M).
      const rows = await sql<{ id: number; at: number }>`select d.article_id as id, d.published_at as at from ${SQLITE_DOCUMENTS}
        where d.article_id in (${sql.join(ids.slice(i, i + size))}) and ${sql.join(conditions, sql` and `)}`.execute(db);
      for (const r of rows.rows) kept.push({ id: Number(r.id), at: Number(r.at) });
    }
    if (kept.length < want && ranked.length === k) return null;
    return kept
      .map((r) => ({ articleId: r.id, rank: rank.get(r.id)!, at: r.at }))
      .sort((a, b) => b.rank - a.rank || b.at - a.at || b.articleId - a.articleId)
      .map(({ articleId, rank: r }) => ({ articleId, rank: r }));
  }

  async newestPage(): Promise<number[] | null> {
    // The bounded query already reads FTS5's matches in rowid order, newest first, and stops after a page.
    return null;
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

  async writeBulk(): Promise<void> {
    // No table beside FTS5's own is filled from the documents.
  }

  async endBulk(db: Db): Promise<void> {
    await sql`insert into search_fts (search_fts, rank) values ('hashsize', ${sql.raw(String(DEFAULT_HASH_BYTES))})`.execute(db);
    await sql`pragma cache_size = -2000`.execute(db);
  }

  async clear(trx: Db): Promise<void> {
    await sql`delete from article_entities`.execute(trx);
    await sql`delete from search_documents`.execute(trx);
    await sql`delete from search_fts`.execute(trx);
    await sql`delete from search_terms`.execute(trx);
  }

  async notice(): Promise<string | null> {
    return null;
  }
}
