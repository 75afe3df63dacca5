import { sql, type RawBuilder } from 'kysely';
import { STOP_WORDS, type QueryClause } from '../../../domain/text-analysis.js';

/**
 * Query planning, the same on both engines: which clauses run, how many postings a query
 * may read before it counts as broad, and the row conditions (visibility, filters).
 * The engines' SQL lives beside this file (`sqlite.ts`, `postgres.ts`).
 */

export interface SearchFilter {
  /** Only articles with this id or above (a broad query's bound, from `planSearch`)… */
  minId?: number | null;
  /** …read row by row, newest first. */
  walk?: boolean;
  /**
   * Newest first (`order: 'date'`) by reading every match, then ordering them, rather than
   * walking the articles by date and testing each: few matches for the page asked (see
   * `matchesFirst`).
   */
  matchesFirst?: boolean;
  /** A broad query's estimate (`SearchPlan.broad`), for pricing a walk by id against an index read (`walkBeatsIndex`). */
  broad?: BroadEstimate;
  sectionId?: number;
  contentTypeId?: number;
  language?: string;
  publishedAfter?: number;
  publishedBefore?: number;
}

/**
 * Postings a ranked search may read. FTS5's bm25() counts every document matching each
 * term (or phrase) of the query before it ranks anything, and ts_rank_cd reads each
 * match's vector: a common word costs tens of milliseconds at a million articles. A
 * query reading more than this (a common word, a phrase of common words, a broad
 * prefix) is "broad": it lists its newest matches, searching the newest part of the
 * archive that holds about this many postings, and its total is then a lower bound.
 */
export const SCAN_BUDGET = 10_000;
/**
 * A filtered ranked search (SQLite) takes this many best matches from the text index and
 * filters their rows; a filter keeping fewer than a page of them falls back to the
 * joined query. 1,000 rows cost ~5 ms more than 40 to read back.
 */
export const RANK_POOL = 1000;
/** Ranked queries may read twice `SCAN_BUDGET` postings (counting them is cheaper than walking them; 5 made 1M p95 94 ms instead of 70). */
const RANK_FACTOR = 2;
/** Postings' worth of work per term and candidate of a phrase (positions are read and compared). */
const PHRASE_COST = 4;
/**
 * Postings' worth of work per posting of a prefix's completions when ranked: every match's
 * positions are scored for the OR of up to 30 words (PostgreSQL's RUM ranking of `wec*`,
 * 19,800 postings: 155-190 ms, where a single word of as many postings takes about a third).
 * Beyond, a prefix lists its newest matches, as on both engines, so their results agree.
 */
const PREFIX_COST = 4;
/** A prefix searches for its most frequent completions, at most this many (`elect*`: election, elector, …). */
export const PREFIX_EXPANSIONS = 30;
/** Spans of at most this many article ids are walked row by row rather than looked up in the index. */
const WALK_IDS = 5_000;

/** Completions asked for beyond `PREFIX_EXPANSIONS`, for the function words `completions` leaves out. */
const PREFIX_STOP_SPARE = 10;

/**
 * A prefix's completions as searched: the most frequent, without function words while
 * anything else completes it. `tha*` completed to "that" and "than", in nearly every
 * article: they matched everything, and at 1M articles reading their postings was most of
 * the search (`that` alone 96 ms of 216).
 */
function completions(found: string[]): string[] {
  const content = found.filter((t) => !STOP_WORDS.has(t));
  return (content.length ? content : found).slice(0, PREFIX_EXPANSIONS);
}

/** A search as it will run: prefixes expanded, and the lowest article id to read when the query is too broad. */
export interface SearchPlan {
  clauses: QueryClause[];
  /** At most this many documents match (its least frequent required part's postings). */
  matches: number;
  minId: number | null;
  /** The bounded span is short enough to test row by row, newest first (see `FullTextQuery.scanMatch`). */
  walk: boolean;
  /** What bounded a broad query, `null` for one that is not. */
  broad: BroadEstimate | null;
}

/** A broad query as planned: what a walk by id would read, against what an index read would. */
export interface BroadEstimate {
  /** Documents matching at most (`SearchPlan.matches`): a word's postings, a phrase's rarest word's, a prefix's completions' together. */
  matches: number;
  /** Indexed articles (the span of all their ids). */
  documents: number;
  /** Article ids from the bound (`minId`) to the newest: a walk reads no more rows. */
  span: number;
}

/** What planning reads from the index. */
export interface PlanReads {
  expandPrefix(prefix: string, max: number): Promise<string[]>;
  documentFrequencies(terms: string[]): Promise<Map<string, number>>;
  /** Lowest and highest indexed article id (0 when empty). */
  idRange(): Promise<{ lo: number; hi: number }>;
}

/** Whether a search narrows by section, content type, language or dates. */
export function hasFilters(f: SearchFilter): boolean {
  return [f.sectionId, f.contentTypeId, f.language, f.publishedAfter, f.publishedBefore].some((x) => x !== undefined);
}

/**
 * Expands prefixes into their completions and estimates how many postings the query
 * reads (a term: its document frequency; a phrase or an `all` query: about the rarest
 * part's, times the parts), bounding the scan to the newest articles beyond the budget.
 */
export async function planSearch(clauses: QueryClause[], reads: PlanReads, budget = SCAN_BUDGET): Promise<SearchPlan> {
  const expanded = await Promise.all(
    clauses.map(async (c) => (c.prefix ? { ...c, prefix: false, anyOf: completions(await reads.expandPrefix(c.terms[0]!, PREFIX_EXPANSIONS + PREFIX_STOP_SPARE)) } : c)),
  );
  // A function word beside other words narrows the query by what nearly every article
  // holds, and bm25() would count all its documents: it is left out ("bam to" → "bam").
  const isStop = (c: QueryClause) => !c.negated && !c.anyOf && c.terms.length === 1 && STOP_WORDS.has(c.terms[0]!);
  const planned = expanded.some((c) => !c.negated && !isStop(c)) ? expanded.filter((c) => !isStop(c)) : expanded;
  const df = await reads.documentFrequencies([...new Set(planned.flatMap((c) => c.anyOf ?? c.terms))]);
  const dfOf = (t: string) => df.get(t) ?? 0;
  const sum = (terms: string[]) => terms.reduce((n, t) => n + dfOf(t), 0);
  const positive = planned.filter((c) => !c.negated);
  const matches = positive.length ? Math.min(...positive.map((c) => (c.anyOf ? sum(c.anyOf) : Math.min(...c.terms.map(dfOf))))) : 0;
  // Ranking reads every posting of every word: bm25() counts each word's (or phrase's) documents first.
  const rankCost = positive.reduce((n, c) => n + (c.anyOf ? sum(c.anyOf) * PREFIX_COST : c.terms.length === 1 ? dfOf(c.terms[0]!) : sum(c.terms) * PHRASE_COST), 0);
  if (rankCost <= budget * RANK_FACTOR) return { clauses: planned, matches, minId: null, walk: false, broad: null };
  // Listing newest first reads about the rarest part's postings (a phrase: positions of each of its terms too).
  const scanCost = (c: QueryClause) =>
    c.anyOf ? sum(c.anyOf) : c.terms.length === 1 ? dfOf(c.terms[0]!) : Math.min(...c.terms.map(dfOf)) * c.terms.length * PHRASE_COST;
  const postings = positive.length ? Math.min(...positive.map(scanCost)) * positive.length : 0;
  const { lo, hi } = await reads.idRange();
  const minId = postings <= budget ? lo : Math.max(lo, Math.floor(hi - ((hi - lo + 1) * budget) / postings));
  return { clauses: planned, matches, minId, walk: hi - minId <= WALK_IDS, broad: { matches, documents: hi - lo + 1, span: hi - minId + 1 } };
}

/**
 * A filter is taken to keep one article in this many when a walk by date is priced (a
 * section: 1 in 12, and a word's matches cluster in their own sections). Generous on
 * purpose: reading the matches costs at most the matches, a walk has no such bound.
 */
const FILTER_WALK = 16;

/**
 * Whether a newest-first page of a query that is not broad is read by its matches, then
 * ordered: `matches` rows read from the text index, against `want × documents / matches`
 * articles walked by date, each tested on its text vector (about the same cost a row at 1M
 * articles: a word in 353 documents walked 55,590 articles, 351 ms, and read first 3.6 ms; a
 * word in 15,404 read first 110 ms, walked 5–8 ms). A filter lengthens the walk (that word
 * in one section: walked 159 ms, read first 63 ms).
 */
export function matchesFirst(matches: number, want: number, documents: number, filtered: boolean): boolean {
  return matches * matches <= want * documents * (filtered ? FILTER_WALK : 1);
}

/**
 * What walking one row costs (its text vector read and tested) in postings an index reads
 * past. At 1M articles on PostgreSQL (EXPLAIN ANALYZE, bound as planned) RUM's newest-first
 * read goes through every posting of a word, 0.06–0.15 µs each ("said", 845,903 postings:
 * 40–113 ms for 40 or 1,000 matches), and a walk by id tests rows at 4.6–5.5 µs each (the
 * same 1,000 matches: 1,182 rows, 6.5 ms; "staff", 195,943 postings: 40 matches walked in
 * 1.2–1.6 ms against 10–17 ms, 1,000 in 24 ms against 14). About 70 postings a row; priced a
 * little towards the index, whose reads stay in the cache better than a walk's rows.
 */
export const WALK_ROW_POSTINGS = 100;

/**
 * Whether a broad query's `want` newest matches are found sooner walking the articles by
 * id, newest first, testing each row, than by an index read whose cost grows with the
 * postings it goes through (`matches`: a word's, a phrase's rarest word's, all of a
 * prefix's completions'). The walk reads about `want × documents / matches` rows (a filter
 * taken as keeping 1 in `FILTER_WALK`), never more than the bound's span; `spread: false`
 * (a phrase, several words: `matches` bounds them from above, and as few as none may match)
 * prices it at the whole span. A common word is walked, and a phrase of function words in
 * its short span; a rarer word, a page of a narrow filter, a phrase of content words in a
 * long span are read from the index.
 */
export function walkBeatsIndex({ matches, documents, span }: BroadEstimate, want: number, filtered: boolean, spread = true): boolean {
  if (matches <= 0 || documents <= 0) return false;
  const rows = spread ? Math.min(span, (want * documents * (filtered ? FILTER_WALK : 1)) / Math.min(matches, documents)) : span;
  return rows * WALK_ROW_POSTINGS < matches;
}

/** Visibility in time and the filters, on the document row `d`. */
export function rowConditions(filter: SearchFilter, now: number): RawBuilder<boolean>[] {
  const conditions = [sql<boolean>`d.published_at <= ${now}`];
  if (filter.sectionId !== undefined) conditions.push(sql<boolean>`d.section_id = ${filter.sectionId}`);
  if (filter.contentTypeId !== undefined) conditions.push(sql<boolean>`d.content_type_id = ${filter.contentTypeId}`);
  if (filter.language !== undefined) conditions.push(sql<boolean>`d.language = ${filter.language}`);
  if (filter.publishedAfter !== undefined) conditions.push(sql<boolean>`d.published_at >= ${filter.publishedAfter}`);
  if (filter.publishedBefore !== undefined) conditions.push(sql<boolean>`d.published_at < ${filter.publishedBefore}`);
  return conditions;
}
