import { stripBoilerplate } from '../domain/boilerplate.js';
import { extractEntities } from '../domain/entity-extraction.js';
import { analyze, isContentTerm } from '../domain/text-analysis.js';
import type { ArticleForIndex, SearchDocumentInput } from '../db/repositories/search.repository.js';

/** Content types whose items are pictures or video (the diversity slot of related lists). */
export const MEDIA_CONTENT_TYPES = new Set([22, 23]);
/** How many distinctive terms each document keeps for more-like-this. */
const TOP_TERMS = 80;

/** Inverse document frequency, smoothed: rare terms weigh more, no term weighs zero. */
export function idf(df: number, n: number): number {
  return Math.log(1 + (n + 1) / (Math.max(df, 0) + 1));
}

/**
 * Builds an article's index entry: per-field terms, distinctive terms, entities. Pure
 * apart from the document frequencies passed in (term → number of documents).
 */
export function buildSearchDocument(a: ArticleForIndex, df: ReadonlyMap<string, number>, n: number, houseNames: readonly string[] = []): SearchDocumentInput {
  const headline = analyze(a.headline);
  const dek = analyze(a.dek);
  const body = analyze(a.bodyText);
  const tags = analyze(a.tags.map((t) => t.name).join(' . '));
  const byline = analyze(`${a.byline} . ${a.source}`);
  // Distinctive terms come from the text itself, every word counting once: weighting
  // headline or tag words up made related lists worse on labelled news (npm run eval:related).
  const tf = new Map<string, number>();
  const count = (terms: string[], weight: number) => {
    for (const t of terms) if (isContentTerm(t)) tf.set(t, (tf.get(t) ?? 0) + weight);
  };
  count(headline, 1);
  count(dek, 1);
  count(body, 1);
  const topTerms = [...tf]
    .map(([term, f]) => ({ term, f, w: (1 + Math.log(f)) * idf((df.get(term) ?? 0) + 1, n + 1) }))
    .sort((x, y) => y.w - x.w || (x.term < y.term ? -1 : 1))
    .slice(0, TOP_TERMS)
    .map((x): [string, number] => [x.term, x.f]);
  return {
    articleId: a.id,
    language: a.language,
    sectionId: a.sectionId,
    contentTypeId: a.contentTypeId,
    publishedAt: a.publishedAt ?? 0,
    isMedia: MEDIA_CONTENT_TYPES.has(a.contentTypeId) || a.leadMediaKind === 'video',
    fields: { headline, dek, body, tags, byline },
    headlineTerms: [...new Set(headline.filter(isContentTerm))],
    topTerms,
    termCount: headline.length + dek.length + body.length,
    // The site, the publisher and the agency (the source field, "Reuters/AFP") are never shared entities.
    entities: extractEntities({ headline: a.headline, dek: a.dek, body: a.bodyText, place: a.place, houseNames: [...houseNames, ...a.source.split(/[/,;&|]| and /)] }),
  };
}

/** Every term the index holds for an article, once each (what a document frequency counts). */
export function distinctIndexTerms(a: ArticleForIndex): Set<string> {
  return new Set(analyze(`${a.headline} . ${a.dek} . ${a.bodyText} . ${a.tags.map((t) => t.name).join(' . ')} . ${a.byline} . ${a.source}`));
}

/** A rebuild's first pass over a batch: how many of its articles hold each term. */
export function batchTermCounts(articles: readonly ArticleForIndex[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const a of articles) for (const t of distinctIndexTerms(a)) df.set(t, (df.get(t) ?? 0) + 1);
  return df;
}

/** What a rebuild's second pass knows once the first has counted the archive. */
export interface RebuildContext {
  /** Document frequencies from the first pass (with the boilerplate lines still in). */
  df: ReadonlyMap<string, number>;
  /** Published articles in the archive. */
  total: number;
  houseNames: readonly string[];
  /** Boilerplate lines (`lineKey`s), left out of what is indexed. */
  dropped: ReadonlySet<string>;
}

export interface BatchDocuments {
  docs: SearchDocumentInput[];
  /**
   * Terms that some articles of the batch held only in boilerplate lines, with how many:
   * the first pass counted them, so their document frequencies go down by that much.
   */
  lost: Map<string, number>;
}

/**
 * A rebuild's second pass over a batch: each published article's document, built from
 * the first pass's counts. Pure, and the same on the main thread as on a worker thread
 * (rebuild-analysis.ts), so how many threads build the documents changes nothing in them.
 */
export function batchDocuments(articles: readonly ArticleForIndex[], ctx: RebuildContext | null): BatchDocuments {
  if (!ctx) throw new Error('the rebuild sent documents to build before the first pass had counted');
  const lost = new Map<string, number>();
  const docs: SearchDocumentInput[] = [];
  for (const a of articles) {
    if (a.publishedAt === null) continue;
    let kept = a;
    if (ctx.dropped.size) {
      const bodyText = stripBoilerplate(a.bodyText, ctx.dropped);
      if (bodyText.length !== a.bodyText.length) {
        kept = { ...a, bodyText };
        // Terms found only in dropped lines are not in this document after all.
        const after = distinctIndexTerms(kept);
        for (const t of distinctIndexTerms(a)) if (!after.has(t)) lost.set(t, (lost.get(t) ?? 0) + 1);
      }
    }
    docs.push(buildSearchDocument(kept, ctx.df, ctx.total, ctx.houseNames));
  }
  return { docs, lost };
}
