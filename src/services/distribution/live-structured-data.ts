import { articlePath, type Article } from '../../domain/article.js';
import type { LiveEntry } from '../../domain/live.js';
import type { SiteFacts } from './structured-data.js';
import { htmlToText } from '../html-sanitizer.js';

type JsonLd = Record<string, unknown>;

/**
 * A live blog's `NewsArticle` becomes a `LiveBlogPosting` (schema.org, Google's live
 * badge): coverage start and, once ended, end time, and its newest entries as
 * `liveBlogUpdate` BlogPostings.
 */
export function liveBlogJsonLd(site: SiteFacts, article: Article, articleLd: JsonLd[], live: { startedAt: number; endedAt: number | null; entries: LiveEntry[] }): JsonLd[] {
  const url = `${site.baseUrl}${articlePath(article)}`;
  return articleLd.map((node) => {
    if (node['@type'] !== 'NewsArticle') return node;
    const posting: JsonLd = { ...node, '@type': 'LiveBlogPosting', '@id': `${url}#live`, coverageStartTime: site.iso(article.firstPublishedAt ?? article.publishedAt ?? live.startedAt) };
    if (live.endedAt !== null) posting.coverageEndTime = site.iso(live.endedAt);
    posting.liveBlogUpdate = live.entries.map((e) => {
      const text = htmlToText(e.bodyHtml || '') || e.quote?.text || e.media?.caption || e.media?.alt || '';
      const update: JsonLd = {
        '@type': 'BlogPosting',
        '@id': `${url}#entry-${e.id}`,
        url: `${url}#entry-${e.id}`,
        headline: text.length > 110 ? `${text.slice(0, 109)}…` : text || article.headline,
        articleBody: text,
        datePublished: site.iso(e.createdAt),
        dateModified: site.iso(e.updatedAt),
        author: { '@type': 'Person', name: e.author },
      };
      return update;
    });
    const newest = live.entries[0];
    if (newest) posting.dateModified = site.iso(Math.max(newest.updatedAt, article.updatedAt));
    return posting;
  });
}
