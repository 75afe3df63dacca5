import { sql, type RawBuilder } from 'kysely';
import type { QueryClause } from '../../../domain/text-analysis.js';
import { RUM_INDEX } from '../../migrations/030-search-rum.js';
import { RUM_NEWEST_INDEX } from '../../migrations/031-search-rum-newest.js';
import { GIN_INDEX } from '../../migrations/034-search-gin-with-rum.js';
import { safe, splitClauses, type BulkDocument, type DatePageRequest, type Db, type FieldTerms, type FullTextAdapter, type FullTextQuery, type NewestPageRequest, type RankedPageRequest, type SearchHit } from './full-text.js';
import { hasFilters, rowConditions, SCAN_BUDGET, walkBeatsIndex, type SearchFilter } from './planner.js';

// ts_rank weights are {D, C, B, A}: body D, dek/byline C, tags B, headline A (the same
// field weights as SQLite's bm25: headline 4, tags and dek 2, body and byline 1).
const TSV_WEIGHTS = sql.raw(`'{0.25, 0.5, 0.5, 1.0}'`);

/**
 * More-like-this from postings alone: each document scored by the summed BM25 idf of the
 * words it holds (each word's document frequency `df`), the `limit` best. Candidates
 * only: the related engine rescores them from their stored terms.
 */
export function idfSumTop(postings: { ids: number[]; df: number }[], n: number, limit: number): { id: number; rank: number }[] {
  const scores = new Map<number, number>();
  for (const { ids, df } of postings) {
    const weight = Math.log(1 + (Math.max(n, df) - df + 0.5) / (df + 0.5));
    for (const id of ids) scores.set(id, (scores.get(id) ?? 0) + weight);
  }
  // Only the `limit` best are sorted: those scoring at least the limit-th best score (found
  // in a numeric sort of the scores alone), not the thousands a list's postings bring.
  let kept = [...scores.keys()];
  if (kept.length > limit) {
    const sorted = Float64Array.from(scores.values()).sort();
    const threshold = sorted[sorted.length - limit]!;
    kept = kept.filter((id) => scores.get(id)! >= threshold);
  }
  return kept
    .sort((a, b) => scores.get(b)! - scores.get(a)! || b - a)
    .slice(0, limit)
    .map((id) => ({ id, rank: scores.get(id)! }));
}

/** A PostgreSQL `array_to_string` of integers (`1,2,3`) read back; postgres-array's general parser took as long as the scoring. */
function integerList(text: string): number[] {
  const out: number[] = [];
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 44 /* , */) {
      out.push(n);
      n = 0;
    } else n = n * 10 + (ch - 48);
  }
  if (text.length) out.push(n);
  return out;
}

/** The largest article id (`integer`): `article_id <=| MAX_ARTICLE_ID` orders newest first. */
const MAX_ARTICLE_ID = 2_147_483_647;
/** A broad query reads at most this many of its newest matches looking for a page that passes the filters. */
const NEWEST_SCAN = SCAN_BUDGET;
/** Up to this many rows the planner reads broad matches in the index's order by itself (no transaction needed). */
const PLAIN_NEWEST_ROWS = 200;

/** `search_documents`' full-text indexes, which a rebuild builds after writing the rows (`beginBulk`). */
const BULK_INDEXES = [GIN_INDEX, RUM_INDEX, RUM_NEWEST_INDEX];
/**
 * Roughly what each of a rebuild's last steps costs (seconds at 100k articles, statement log,
 * README), to share them between its two lanes (`endBulk`): the vacuum, the related
 * candidates' keys (their rows are written with the documents), and each index build; an
 * index not listed counts as a GIN build. GIN's is from an older, slower measurement.
 */
const BULK_STEP_COST: Record<string, number> = { vacuum: 3.5, topTerms: 12, [GIN_INDEX]: 51, [RUM_INDEX]: 28, [RUM_NEWEST_INDEX]: 21 };
/** Where `beginBulk` keeps their definitions until they are built again (`search_state`). */
const BULK_STATE_KEY = 'bulk_dropped_indexes';
/**
 * Memory for building them (PostgreSQL's default is 64 MB): a GIN or RUM build gathers
 * postings in it and writes them into the index each time it is full. Taken by each of a
 * rebuild's two sessions, for the builds only. At 1M articles the newest-first RUM index
 * (migration 031) built alone in 526.7 s with 64 MB, 466.2 s with 256 MB, 410.6 s with 1 GB.
 */
const BULK_INDEX_MEMORY = '1GB';
/** And for the sort that lists each document's distinctive terms once (`fillTopTerms`). */
const BULK_SORT_MEMORY = '256MB';

/** Where the `rum` extension lives and which of its search indexes exist. */
interface RumIndexes {
  schema: string;
  /** Migration 030's: positions, for `tsv <=> query`. */
  ranked: boolean;
  /** Migration 031's: the article id attached, for newest first. */
  newest: boolean;
}

/**
 * Which of `costs` go to the first of two lanes that start with `start[0]` and `start[1]`, so
 * that the longer lane is as short as it can be (every split is tried: a rebuild has three
 * index builds at most).
 */
export function evenLanes(start: [number, number], costs: number[]): boolean[] {
  let best: boolean[] = costs.map(() => true);
  let bestSpan = Infinity;
  for (let mask = 0; mask < 1 << costs.length; mask++) {
    const inFirst = costs.map((_, i) => (mask & (1 << i)) !== 0);
    const lane = [...start];
    costs.forEach((c, i) => (lane[inFirst[i] ? 0 : 1]! += c));
    const span = Math.max(lane[0]!, lane[1]!);
    if (span < bestSpan) [best, bestSpan] = [inFirst, span];
  }
  return best;
}

/**
 * Runs `steps` one after another on a connection of its own whose session gets the memory a
 * sort or an index build wants and no statement timeout (a rebuild's lanes and its last vacuum).
 */
async function bulkSession(db: Db, steps: ((one: Db) => Promise<unknown>)[]): Promise<void> {
  await db.connection().execute(async (one) => {
    await sql`set maintenance_work_mem = ${sql.lit(BULK_INDEX_MEMORY)}`.execute(one);
    await sql`set work_mem = ${sql.lit(BULK_SORT_MEMORY)}`.execute(one);
    await sql`set statement_timeout = 0`.execute(one);
    try {
      for (const step of steps) await step(one);
    } finally {
      for (const setting of ['maintenance_work_mem', 'work_mem', 'statement_timeout']) await sql`reset ${sql.raw(setting)}`.execute(one);
    }
  });
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
 * PostgreSQL's full-text SQL: a weighted `tsvector` column of our own terms; with the `rum`
 * extension two RUM indexes (migrations 030 and 031: ranked inside the index, newest first),
 * without it a GIN index (migration 005; 034 drops it where both RUM indexes exist).
 */
export class PostgresTsvector implements FullTextAdapter {
  readonly engine = 'postgres' as const;
  private rum: Promise<RumIndexes | null> | undefined;
  /** Between `beginBulk` and `endBulk` with migration 033's table: `writeBulk` writes its rows. */
  private bulkTopTerms = false;

  /**
   * The schema of the `rum` extension and which of its indexes this database's search has
   * (migrations 030 and 031), else `null`. Looked up once per process.
   */
  rumIndexes(db: Db): Promise<RumIndexes | null> {
    this.rum ??= sql<{ schema: string; ranked: boolean; newest: boolean }>`select n.nspname as schema,
        to_regclass(${RUM_INDEX}) is not null as ranked, to_regclass(${RUM_NEWEST_INDEX}) is not null as newest
      from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'rum'`
      .execute(db)
      .then((r) => {
        const row = r.rows[0];
        return row && (row.ranked || row.newest) ? { schema: row.schema, ranked: row.ranked, newest: row.newest } : null;
      })
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

  /** A clause as tsquery text; `loose`: a phrase's words joined by `&` instead of `<->` (see `query`). */
  private clause(c: QueryClause, loose = false): string {
    if (c.anyOf) return `(${c.anyOf.map((t) => `'${safe(t)}'`).join(' | ')})`;
    const body = c.terms.map((t) => `'${safe(t)}'`).join(loose ? ' & ' : ' <-> ');
    const expr = c.prefix ? `${body}:*` : body;
    return c.terms.length > 1 ? `(${expr})` : expr;
  }

  query(clauses: QueryClause[], mode: 'all' | 'any'): FullTextQuery | null {
    const split = splitClauses(clauses, mode);
    if (!split) return null;
    const join = (positive: string[]) => {
      const all = positive.join(mode === 'all' ? ' & ' : ' | ');
      return split.negative.length ? `(${all})${split.negative.map((c) => ` & !${this.clause(c)}`).join('')}` : all;
    };
    const expr = join(split.positive.map((c) => this.clause(c)));
    // A phrase's word order is checked on the rows, not in the index: RUM evaluates `<->` by
    // reading the positions of every posting of each word, so a phrase with a common word was
    // slow however rare the other (`"the vysoung"` at 100k articles: 171 ms in the index, its
    // words `&`-joined 3.8 ms). The index reads the words together, a superset of the phrase's
    // matches (negated clauses stay exact), and `coalesce` keeps the phrase a row check.
    const loose = join(split.positive.map((c) => this.clause(c, true)));
    const phrased = loose !== expr;
    // One clause of alternatives (a prefix's completions) or one word, and nothing else.
    const one = split.positive.length === 1 && !split.negative.length ? split.positive[0]! : undefined;
    const only = one?.anyOf ?? (one && one.terms.length === 1 && !one.prefix ? one.terms : undefined);
    const phrase = one && !one.anyOf && !one.prefix && one.terms.length > 1 ? one.terms.map(safe).filter((t) => t.length > 0) : undefined;
    return {
      text: expr,
      ...(only ? { anyOf: only.map(safe).filter((t) => t.length > 0) } : {}),
      ...(phrase?.length ? { phrase } : {}),
      ...(phrased ? { loose } : {}),
      from: sql`search_documents d cross join lateral (select cast(${expr} as tsquery) as q${phrased ? sql`, cast(${loose} as tsquery) as l` : sql``}) fq`,
      rank: sql<number>`ts_rank_cd(${TSV_WEIGHTS}, d.tsv, fq.q, 1)`,
      match: phrased ? sql<boolean>`d.tsv @@ fq.l and coalesce(d.tsv @@ fq.q, false)` : sql<boolean>`d.tsv @@ fq.q`,
      // coalesce() hides the operator from the planner, so no full-text index is used.
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
    const rum = await this.rumIndexes(db);
    if (!rum?.ranked) return null;
    // With a phrase: read and ordered by its words together, the phrase checked on the rows (see `query`).
    const tsquery = sql`cast(${query.loose ?? query.text} as tsquery)`;
    const phrase = query.loose ? [sql`coalesce(d.tsv @@ cast(${query.text} as tsquery), false)`] : [];
    const distance = sql`d.tsv operator(${sql.id(rum.schema)}.<=>) ${tsquery}`;
    // A few spare places so that ties at the page's end are broken by date below.
    const k = want + Math.max(20, want >> 1);
    const rows = await sql<{ id: number; at: string; distance: number }>`select d.article_id as id, d.published_at as at, ${distance} as distance
      from search_documents d where d.tsv @@ ${tsquery} and ${sql.join([...phrase, ...rowConditions(filter, now)], sql` and `)}
      order by ${distance} limit ${k}`.execute(db);
    return rows.rows
      .map((r) => ({ articleId: Number(r.id), rank: 1 / Number(r.distance), at: Number(r.at) }))
      .sort((a, b) => b.rank - a.rank || b.at - a.at || b.articleId - a.articleId)
      .map(({ articleId, rank }) => ({ articleId, rank }));
  }

  /**
   * Newest first, ranked after the page is chosen: the rank in the joined query was
   * computed for every row the order read, each de-TOASTing its text vector, before the
   * sort (a word in 15,000 documents: 15,000 vectors for a page of 20). With
   * `filter.matchesFirst` the date is hidden from the planner (`+ 0`), so the matches are
   * read from the text index and then ordered: walking the articles by date and testing
   * each, as the planner chose for a word it took to be common, read 55,590 articles for a
   * word in 353 (351 ms at 1M articles, 3.6 ms read first).
   */
  async datePage(db: Db, { query, filter, limit, offset }: DatePageRequest): Promise<SearchHit[]> {
    const date = filter.matchesFirst ? sql`d.published_at + 0` : sql`d.published_at`;
    const rows = await sql<{ id: number; rank: number }>`select p.id, ts_rank_cd(${TSV_WEIGHTS}, p.tsv, p.q, 1) as rank
      from (select d.article_id as id, d.published_at as at, d.tsv, fq.q ${query.body} order by ${date} desc, d.article_id desc limit ${limit} offset ${offset}) p
      order by p.at desc, p.id desc`.execute(db);
    return rows.rows.map((r) => ({ articleId: Number(r.id), rank: Number(r.rank) }));
  }

  /**
   * With migration 031's index: the matches in the order of `article_id <=| max`, which
   * RUM reads from the ids attached to the postings, without a row until it returns one;
   * the filters and the plan's `minId` are checked on the rows as they come, until `want`
   * pass, after `NEWEST_SCAN` matches at most (as the bounded walk read about
   * `SCAN_BUDGET` rows). The walk it replaces tested each row's TOASTed vector: 1.3 s for
   * a common word with a type filter at 100k articles.
   */
  async newestPage(db: Db, { query, filter, now, want }: NewestPageRequest): Promise<number[] | null> {
    if (this.walksFaster(query, filter, want)) return (await this.walkNewest(query, filter, now, want).execute(db)).rows.map((r) => Number(r.id));
    const rum = await this.rumIndexes(db);
    if (rum?.newest && query.anyOf?.length) return (await this.eachAlternative(db, rum.schema, query.anyOf, filter, now, want)).sort((a, b) => b - a).slice(0, want);
    if (rum?.newest && query.phrase) return (await this.phraseNewest(rum.schema, query, filter, now, want).execute(db)).rows.map((r) => Number(r.id)).sort((a, b) => b - a);
    // Here: several words together, or words with exclusions. A query holding a phrase or an
    // OR beside them takes the bounded query: this index keeps no positions, and an OR read
    // from it whole is sorted before its first row (at 100k articles, p95 894 ms for phrases
    // and 1,518 ms for prefixes this way, against 164 and 476 on the bounded query).
    if (!rum?.newest || /<->| \| /.test(query.text)) return null;
    const newest = this.newestMatches(rum.schema, sql`cast(${query.text} as tsquery)`, filter, now, want);
    // Asked for many rows (a count's 1,000) the planner prefers reading every match and
    // sorting them (a word in 25,600 of 100k articles: 1.2 s, against 11 ms in the index's
    // order): with sorting priced out, the index's order is the plan. That needs a
    // transaction, which read routing sends to the primary; a page (a few dozen rows) gets
    // the index's order without it (10 ms at 100k articles), so it stays a plain read that
    // a replica serves.
    const rows = db.isTransaction || want <= PLAIN_NEWEST_ROWS
      ? await newest.execute(db)
      : await db.transaction().execute(async (trx) => {
          await sql`set local enable_sort = off`.execute(trx);
          return newest.execute(trx);
        });
    return rows.rows.map((r) => Number(r.id)).sort((a, b) => b - a);
  }

  /**
   * A word's or a prefix's matches counted up to `cap`: each completion's newest matches
   * that pass the filters, at most `cap` each, united. PostgreSQL's own plan was to test
   * every row's TOASTed vector (it does not price reading them): 1.2 s for `wec*` in a
   * section at 100k articles, 227 ms for a word with a type filter, where this reads each
   * word's postings from migration 031's index.
   */
  async countMatches(db: Db, { query, filter, now, want }: NewestPageRequest): Promise<number | null> {
    if (this.walksFaster(query, filter, want)) {
      const row = await sql<{ n: number }>`select count(*) as n from (${this.walkNewest(query, filter, now, want)}) m`.execute(db);
      return Number(row.rows[0]?.n ?? 0);
    }
    const rum = await this.rumIndexes(db);
    if (rum?.newest && query.phrase) {
      const row = await sql<{ n: number }>`select count(*) as n from (${this.phraseNewest(rum.schema, query, filter, now, want)}) m`.execute(db);
      return Number(row.rows[0]?.n ?? 0);
    }
    if (!rum?.newest || !query.anyOf?.length) return null;
    // First the commonest completions' matches, `want` rows at most (the nested loop stops
    // there): usually one or two words already hold `want` articles, or every word ran out.
    const first = (
      await sql<{ n: number; rows: number }>`select count(distinct id) as n, count(*) as rows from (
        select m.id from unnest(cast(${query.anyOf} as text[])) w(term)
        cross join lateral (${this.newestOfWord(rum.schema, filter, now, want)}) m limit ${want}) x`.execute(db)
    ).rows[0]!;
    const [n, rows] = [Number(first.n), Number(first.rows)];
    if (n >= want || rows < want) return Math.min(n, want);
    // Articles holding several completions filled the rows: every word's, united.
    return Math.min(want, (await this.eachAlternative(db, rum.schema, query.anyOf, filter, now, want)).length);
  }

  /**
   * A phrase's newest matches that pass the filters: its rarest word's newest matches from
   * migration 031's index (a word missing from the index is the rarest: nothing matches),
   * the phrase checked on each of their vectors, `NEWEST_SCAN` of them at most. PostgreSQL
   * otherwise walked every row of the plan's span testing its vector (`"تجغج في"` in a
   * section at 100k articles, warm: 60 → 14 ms).
   */
  private phraseNewest(schema: string, query: FullTextQuery, filter: SearchFilter, now: number, want: number) {
    const rarest = sql`(select w.term from unnest(cast(${query.phrase} as text[])) w(term) left join search_terms s on s.term = w.term
      order by coalesce(s.df, 0), w.term limit 1)`;
    return this.newestMatches(schema, sql`cast(quote_literal(${rarest}) as tsquery)`, filter, now, want, sql`d.tsv @@ cast(${query.text} as tsquery)`);
  }

  /**
   * A broad query whose `want` newest matches a walk by id reaches sooner than RUM's
   * newest-first read, which goes through every posting of each word it reads (`"and for"`:
   * every posting of "for"), whatever the bound (priced by the plan's estimate,
   * `walkBeatsIndex`). Only a word's or a prefix's matches (`anyOf`) are as many as their
   * postings; a phrase or several words are priced at the whole span (`"tropeavark faimea"`
   * at 1M articles, in no article: a walk of its span took 90 ms, RUM 14 ms).
   */
  private walksFaster(query: FullTextQuery, filter: SearchFilter, want: number): boolean {
    return filter.minId != null && filter.broad !== undefined && walkBeatsIndex(filter.broad, want, hasFilters(filter), !!query.anyOf?.length);
  }

  /**
   * The `want` newest matches that pass the filters, walking the articles by id from the
   * newest, each row's vector tested (`scanMatch` hides the text index from the planner,
   * so the primary key's order is the plan and the walk stops at `want`), down to the bound.
   */
  private walkNewest(query: FullTextQuery, filter: SearchFilter, now: number, want: number) {
    return sql<{ id: number }>`select d.article_id as id from ${query.from}
      where ${sql.join([query.scanMatch, ...rowConditions(filter, now), sql<boolean>`d.article_id >= ${filter.minId ?? 0}`], sql` and `)}
      order by ${query.newest} limit ${want}`;
  }

  /** `and article_id >= minId` for a broad query's bound, where RUM checks it on the postings' attached ids. */
  private aboveMinId(filter: SearchFilter): RawBuilder<unknown> {
    return filter.minId != null ? sql`and article_id >= ${filter.minId}` : sql``;
  }

  /**
   * The `want` newest matches of `match` that pass the filters, for a page, a count or a
   * lateral join: read in the order of `article_id <=| max` from migration 031's index, which
   * RUM takes from the ids attached to the postings without a row until it returns one, and
   * checks the plan's lowest id on them (RUM orders only the postings above it, not every
   * one of the word's); `NEWEST_SCAN` matches at most (the inner limit bounds the rows read;
   * the outer one stops at `want`, no sort between them). `check`: a further test of each
   * row's vector (a phrase's word order, which the index does not keep).
   */
  private newestMatches(schema: string, match: RawBuilder<unknown>, filter: SearchFilter, now: number, want: number, check?: RawBuilder<unknown>) {
    return sql<{ id: number }>`select d.article_id as id from (
        select article_id, ${check ? sql`tsv, ` : sql``}published_at, section_id, content_type_id, language from search_documents
        where tsv @@ ${match} ${this.aboveMinId(filter)}
        order by article_id operator(${sql.id(schema)}.<=|) ${sql.lit(MAX_ARTICLE_ID)} limit ${NEWEST_SCAN}
      ) d where ${sql.join([...(check ? [check] : []), ...rowConditions(filter, now)], sql` and `)} limit ${want}`;
  }

  /** The `want` newest matches of the word `w.term` (an `unnest` alias) that pass the filters, for a lateral join (see `eachAlternative`). */
  private newestOfWord(schema: string, filter: SearchFilter, now: number, want: number): RawBuilder<unknown> {
    return this.newestMatches(schema, sql`cast(quote_literal(w.term) as tsquery)`, filter, now, want);
  }

  /**
   * Distinct articles among each alternative's `want` newest matches that pass the
   * filters (and the plan's `minId`), read in the order of `article_id <=| max` from
   * migration 031's index, `NEWEST_SCAN` matches of each at most: one ordered read per
   * word, which RUM stops after a page, where the OR of them all is sorted whole first.
   * The `want` newest matches of the whole query are among them: a match newer than one
   * of those is itself one of them, so fewer than `want` are newer within its word.
   */
  private async eachAlternative(db: Db, schema: string, terms: string[], filter: SearchFilter, now: number, want: number): Promise<number[]> {
    const rows = await sql<{ id: number }>`select distinct m.id from unnest(cast(${terms} as text[])) w(term)
      cross join lateral (${this.newestOfWord(schema, filter, now, want)}) m`.execute(db);
    return rows.rows.map((r) => Number(r.id));
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
   * The articles that count the words among their distinctive terms (`search_top_terms`,
   * migration 033: an index-only scan, one statement for all the words), ranked by summed
   * idf. Reading the words' GIN postings instead cost a table row per posting (related
   * compute 4.4 times SQLite's at 100k articles); ordering their OR by `tsv <=> query` in
   * RUM cost as much and lost precision (no idf). The engine scores candidates by their
   * distinctive terms anyway, so an article holding a word only in passing adds little.
   * As many candidates as on SQLite: Reuters tune split precision@4 0.8694 (SQLite 0.8725);
   * twice as many gave 0.8744 for 40 % more CPU per list (README, issue 14).
   */
  async relatedMatches(db: Db, terms: string[], limit: number): Promise<{ id: number; rank: number }[]> {
    if (!terms.length) return [];
    // One statement (one round trip on an editor's synchronous connection, where a
    // publish computes its lists): each word's postings, its document frequency and the
    // archive's size (the planner's estimate, enough for idf).
    // Each word's frequency by its key: joined, the planner (expecting thousands of words)
    // hashed the whole of search_terms, 11 ms at 100k articles for the ~80 words.
    const rows = await sql<{ term: string; ids: string; df: number | null; n: number }>`select p.term, p.ids,
        (select s.df from search_terms s where s.term = p.term) as df,
        (select greatest(reltuples, 1)::bigint from pg_class where oid = 'search_documents'::regclass) as n
      from (select term, array_to_string(array_agg(article_id), ',') as ids from search_top_terms where term = any(${terms}) group by term) p`.execute(db);
    if (!rows.rows.length) return [];
    const postings = rows.rows.map((r) => {
      const ids = integerList(r.ids);
      return { df: r.df == null ? ids.length : Number(r.df), ids };
    });
    return idfSumTop(postings, Number(rows.rows[0]!.n ?? 1), limit);
  }

  async expandPrefix(db: Db, prefix: string, max: number): Promise<string[]> {
    // `like` with text_pattern_ops (migration 007) reads the prefix's range of the index whatever the collation.
    const rows = await sql<{ term: string }>`select term from search_terms where term like ${`${safe(prefix)}%`} and df > 0
      order by df desc limit ${max}`.execute(db);
    return rows.rows.map((r) => r.term);
  }

  /**
   * A rebuild writes the rows first and builds the full-text indexes once from all of them:
   * maintained row by row, the RUM indexes were most of a rebuild's time (README, issue 14).
   * The indexes' definitions are kept in `search_state` before they are dropped, so a
   * rebuild that dies midway leaves them to the next one (and start-up says so, `notice`).
   * The related candidates' table (migration 033) loses its keys too: its rows are written
   * with the documents (`writeBulk`), its keys built at the end.
   */
  async beginBulk(db: Db): Promise<void> {
    await sql`alter table search_documents disable trigger search_documents_terms`.execute(db);
    const found = await sql<{ name: string; def: string }>`select indexname as name, indexdef as def from pg_indexes
      where schemaname = current_schema() and tablename = 'search_documents' and indexname in (${sql.join(BULK_INDEXES)})`.execute(db);
    const defs = new Map((await this.bulkIndexes(db)).map((i) => [i.name, i.def]));
    for (const { name, def } of found.rows) defs.set(name, def);
    const value = JSON.stringify([...defs].map(([name, def]) => ({ name, def })));
    await sql`insert into search_state (key, value) values (${BULK_STATE_KEY}, ${value}) on conflict (key) do update set value = excluded.value`.execute(db);
    for (const { name } of found.rows) await sql`drop index if exists ${sql.id(name)}`.execute(db);
    if (await this.hasTopTerms(db)) {
      // Migration 033's table is loaded in bulk too (`writeBulk`, `fillTopTerms`): emptied, and without its keys until then.
      await sql`alter table search_documents disable trigger search_documents_top_terms`.execute(db);
      await sql`truncate search_top_terms`.execute(db);
      await sql`alter table search_top_terms drop constraint if exists search_top_terms_article_id_fkey`.execute(db);
      await sql`alter table search_top_terms drop constraint if exists search_top_terms_pkey`.execute(db);
      await sql`drop index if exists search_top_terms_article`.execute(db);
      this.bulkTopTerms = true;
    }
  }

  /**
   * Each document's distinctive terms as rows of `search_top_terms`, written with the
   * documents while the table has no keys: reading them back from every row's JSON at the
   * end, and sorting them to drop repeats, took 11 of a 100k rebuild's 54 s of index
   * building, where these rows cost the writing pass little (a heap append, no parsing).
   */
  async writeBulk(trx: Db, docs: BulkDocument[]): Promise<void> {
    if (!this.bulkTopTerms) return;
    const terms: string[] = [];
    const ids: number[] = [];
    for (const d of docs) {
      for (const term of new Set(d.topTerms.map(([t]) => t))) {
        terms.push(term);
        ids.push(d.articleId);
      }
    }
    if (terms.length) await sql`insert into search_top_terms (term, article_id) select * from unnest(cast(${terms} as text[]), cast(${ids} as integer[]))`.execute(trx);
  }

  async endBulk(db: Db, writtenAt: number): Promise<void> {
    // The candidates' rows were written with the documents (`writeBulk`), or are read from them now.
    const written = this.bulkTopTerms;
    this.bulkTopTerms = false;
    const saved = await this.bulkIndexes(db);
    // With both RUM indexes the GIN index is not built again (migration 034 drops it): they answer every query it did.
    const withRum = [RUM_INDEX, RUM_NEWEST_INDEX].every((name) => saved.some((i) => i.name === name));
    const defs = withRum ? saved.filter((i) => i.name !== GIN_INDEX) : saved;
    const topTerms = await this.hasTopTerms(db);
    // Two lanes, each on a connection of its own whose session gets the memory a sort or an
    // index build wants and no statement timeout: index builds share their table (SHARE
    // locks) and PostgreSQL 15 builds a GIN or RUM index with one process, so two at once
    // use two cores. Each build is its own statement: a publish meanwhile waits for the
    // builds (as for the upgrade migrations), not for the whole list.
    const builds = defs.map(({ name, def }) => ({ name, run: (one: Db) => sql.raw(def.replace(/^CREATE (UNIQUE )?INDEX /i, (m) => `${m}IF NOT EXISTS `)).execute(one) }));
    // Rows written in bulk have no hint bits and are not marked all-visible: until a vacuum
    // reaches them every read first writes the pages it visits, and an index-only scan
    // (the related candidates' `search_top_terms`) visits the table for every row (a
    // candidate read at 100k articles: 291 ms, 22 ms after). A vacuum of rows nobody deleted
    // reads the table once and skips the indexes; it waits for no build, and the builds
    // wait for it (the first lane's first step). `search_top_terms` is vacuumed at the end.
    const vacuum = (tables: string) => (one: Db) => sql.raw(`vacuum (analyze) ${tables}`).execute(one);
    const lanes: ((one: Db) => Promise<unknown>)[][] = [[vacuum('search_documents, article_entities')], topTerms ? [(one) => this.fillTopTerms(one, written)] : []];
    const inFirst = evenLanes([BULK_STEP_COST.vacuum!, topTerms ? BULK_STEP_COST.topTerms! : 0], builds.map((b) => BULK_STEP_COST[b.name] ?? BULK_STEP_COST[GIN_INDEX]!));
    builds.forEach((build, i) => lanes[inFirst[i] ? 0 : 1]!.push(build.run));
    const started = Date.now();
    await Promise.all(lanes.map((steps) => bulkSession(db, steps)));
    if (topTerms) {
      // Enforced from now on, then checked on the rows loaded (without holding up writes); an
      // article unindexed while they were read left rows behind, which go first.
      await sql`alter table search_top_terms add constraint search_top_terms_article_id_fkey foreign key (article_id) references search_documents (article_id) on delete cascade not valid`.execute(db);
      const validate = () => sql`alter table search_top_terms validate constraint search_top_terms_article_id_fkey`.execute(db);
      await validate().catch(async () => {
        await sql`delete from search_top_terms t where not exists (select 1 from search_documents d where d.article_id = t.article_id)`.execute(db);
        await validate();
      });
      await sql`alter table search_documents enable trigger search_documents_top_terms`.execute(db);
      // Indexed by others while the trigger was off: their rows again, as the trigger writes
      // them. With the rows written beside the documents, that is every document not stamped
      // `writtenAt` (usually none; one read of the documents' heap, which the vacuum has just
      // read). Else the fill read the table, and what came after it (a few seconds' margin for
      // other processes' clocks) is read again: the rebuild's last seconds of documents were
      // written twice (8.4 of a 100k rebuild's 54 s of index building).
      const others = written
        ? (await sql<{ id: number }>`select article_id as id from search_documents where indexed_at <> ${writtenAt}`.execute(db)).rows.map((r) => r.id)
        : (await sql<{ id: number }>`select article_id as id from search_documents where indexed_at >= ${started - 5_000}`.execute(db)).rows.map((r) => r.id);
      if (others.length) {
        await sql`delete from search_top_terms where article_id = any(${others})`.execute(db);
        await sql`insert into search_top_terms (term, article_id)
            select distinct e ->> 0, d.article_id from search_documents d cross join lateral jsonb_array_elements(d.top_terms::jsonb) e
            where d.article_id = any(${others}) on conflict do nothing`.execute(db);
      }
    }
    if (topTerms) {
      // Last, when the lanes' transactions are over: a vacuum marks a page all-visible only if its
      // rows are older than every open transaction, and beside the other lane's index build (one
      // long transaction) the fill's 78M rows at 1M articles stayed unmarked, so the candidates'
      // index-only read visited the table for every posting (1.4 s for one article's list; 38 ms
      // vacuumed). 35 s at 1M articles, in a bulk session (no statement timeout).
      await bulkSession(db, [vacuum('search_top_terms')]);
    }
    await sql`alter table search_documents enable trigger search_documents_terms`.execute(db);
    await sql`delete from search_state where key = ${BULK_STATE_KEY}`.execute(db);
    // Fresh planner statistics for the term counts just replaced (the lanes analyzed the rest).
    await sql`analyze search_terms`.execute(db);
  }

  /**
   * Migration 033's rows for every document, written as a bulk load (`beginBulk` emptied the
   * table and dropped its keys): the rows, then the keys built from all of them (20k
   * articles, 1.56M rows: 8 s, where inserting under the keys took 39). `written`: the
   * rebuild wrote the rows with its documents (`writeBulk`) and only the keys are built
   * here (`endBulk` mends what others indexed meanwhile); else every document's rows are
   * read from its terms first. `endBulk` adds the foreign key and turns the trigger back on
   * after the index builds (both lock `search_documents`).
   */
  private async fillTopTerms(one: Db, written: boolean): Promise<void> {
    await sql`alter table search_top_terms drop constraint if exists search_top_terms_article_id_fkey`.execute(one);
    await sql`alter table search_top_terms drop constraint if exists search_top_terms_pkey`.execute(one);
    await sql`drop index if exists search_top_terms_article`.execute(one);
    if (!written) {
      await sql`truncate search_top_terms`.execute(one);
      await sql`insert into search_top_terms (term, article_id)
          select distinct e ->> 0, d.article_id from search_documents d cross join lateral jsonb_array_elements(d.top_terms::jsonb) e`.execute(one);
    }
    await sql`alter table search_top_terms add constraint search_top_terms_pkey primary key (term, article_id)`.execute(one);
    await sql`create index search_top_terms_article on search_top_terms (article_id)`.execute(one);
  }

  /** Indexes a rebuild dropped and has not built again yet (an interrupted one: `beginBulk`). */
  private async bulkIndexes(db: Db): Promise<{ name: string; def: string }[]> {
    const row = (await sql<{ value: string }>`select value from search_state where key = ${BULK_STATE_KEY}`.execute(db)).rows[0];
    if (!row) return [];
    try {
      const parsed: unknown = JSON.parse(row.value);
      return Array.isArray(parsed) ? parsed.filter((i): i is { name: string; def: string } => typeof i?.name === 'string' && typeof i?.def === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Whether migration 033's table of related candidates exists (it does once migrated). */
  private async hasTopTerms(db: Db): Promise<boolean> {
    return (await sql<{ ok: boolean }>`select to_regclass('search_top_terms') is not null as ok`.execute(db)).rows[0]!.ok;
  }

  /**
   * Truncated, not deleted: a delete of every document wrote each row and its text vector's
   * TOAST rows once more (3.6 s at 100k articles, against 25 ms), and the rebuild's rows then
   * went after the dead ones, doubling the table its index builds and vacuum read (1.4 GB at
   * 100k, 15 GB at 1M). The related candidates' table goes with them (its foreign key is on
   * the documents). The lock is held for this short transaction only: searches wait that long.
   */
  async clear(trx: Db): Promise<void> {
    await sql`truncate search_top_terms, article_entities, search_documents, search_terms`.execute(trx);
  }

  async notice(db: Db): Promise<string | null> {
    const interrupted = await this.bulkIndexes(db).catch(() => []);
    if (interrupted.length) {
      return `A search rebuild is running or was interrupted: its indexes (${interrupted.map((i) => i.name).join(', ')}) are not built yet, so searches read the whole table. If no rebuild is running, run "dateline reindex --search-only" to finish it.`;
    }
    const rum = await this.rumIndexes(db);
    if (rum?.ranked && rum.newest) return null;
    const missing = [
      ...(rum?.ranked ? [] : [`create index ${RUM_INDEX} on search_documents using rum (tsv rum_tsvector_ops);`]),
      ...(rum?.newest ? [] : [`create index ${RUM_NEWEST_INDEX} on search_documents using rum (tsv rum_tsvector_addon_ops, article_id) with (attach = 'article_id', to = 'tsv');`]),
    ];
    return `PostgreSQL search runs without the rum extension's indexes: ranked searches read every match's text vector, and common words test rows one by one, slower as the archive grows. Install the server's rum package (Debian: postgresql-15-rum), then as a superuser: create extension if not exists rum; ${missing.join(' ')}`;
  }
}
