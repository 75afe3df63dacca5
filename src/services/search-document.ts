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
export function buildSearchDocument(a: ArticleForIndex, df: Map<string, number>, n: number, houseNames: readonly string[] = []): SearchDocumentInput {
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

