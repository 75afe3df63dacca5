/**
 * The one set of input limits. Schemas (the HTTP edge), multipart uploads and services
 * read them from here, so an editor meets the same number wherever a field is edited,
 * and every refusal names the limit.
 */
export const TEXT_LIMITS = {
  headline: 300,
  dek: 2000,
  /** Body HTML of an article, in characters. */
  bodyHtml: 2_000_000,
  byline: 300,
  source: 300,
  place: 300,
  note: 2000,
  /** Media metadata: the same whether set at upload or edited later. */
  alt: 1000,
  caption: 4000,
  credit: 300,
  licence: 300,
  /** Search and filter text in query strings. */
  query: 200,
} as const;
export type LimitedField = keyof typeof TEXT_LIMITS;

/** Largest database id (ids are 32-bit integers on both engines). */
export const MAX_ID = 2_147_483_647;

/** Lists: the most items one page may hold, and the deepest page a reader may ask for. */
export const LIST_LIMITS = { apiMaxLimit: 100, searchMaxLimit: 50, maxPage: 1000, searchMaxPage: 100 } as const;

/**
 * Request bodies (JSON): large enough for the largest valid article, whose body may be
 * 2,000,000 characters of up to 3 UTF-8 bytes each and JSON-escaped (`\"`), plus the
 * other fields: 6 bytes per body character, plus 1 MiB.
 */
export const MAX_JSON_BODY_BYTES = 6 * TEXT_LIMITS.bodyHtml + 1024 * 1024;

/** Deepest JSON nesting a request body may have (no valid body comes close). */
export const MAX_JSON_DEPTH = 32;
