import { lazyImport } from '../lazy-require.js';
import { articlePath, type Article } from '../../domain/article.js';
import type { LiveEntry } from '../../domain/live.js';
import { htmlToText } from '../html-sanitizer.js';

export type LiveFeedFormat = 'rss' | 'atom';

/** Path of a live blog's feed. */
export const liveFeedPath = (articleId: number, format: LiveFeedFormat) => `/feeds/live/${articleId}/${format}.xml`;

/** The feed library (and its XML writer), loaded with the first feed asked for. */
export const feedLibrary = lazyImport(() => import('feed'));

/**
 * A live blog's entries as RSS 2.0 or Atom, newest first: each entry an item linking to
 * its anchor on the blog page, so feed readers and apps follow the coverage.
 */
export async function liveBlogFeed(article: Article, entries: LiveEntry[], endedAt: number | null, site: { baseUrl: string; siteName: string }, format: LiveFeedFormat): Promise<string> {
  const { Feed } = await feedLibrary();
  const page = `${site.baseUrl}${articlePath(article)}`;
  const updated = Math.max(article.updatedAt, endedAt ?? 0, ...entries.map((e) => e.updatedAt));
  const feed = new Feed({
    id: `${site.baseUrl}${liveFeedPath(article.id, 'atom')}`,
    title: `${article.headline} (live)`,
    description: endedAt !== null ? 'This live coverage has ended.' : article.dek || article.headline,
    link: page,
    language: article.language,
    updated: new Date(updated),
    generator: 'Dateline',
    copyright: `© ${site.siteName}`,
    feedLinks: { rss: `${site.baseUrl}${liveFeedPath(article.id, 'rss')}`, atom: `${site.baseUrl}${liveFeedPath(article.id, 'atom')}` },
  });
  for (const e of entries) {
    const text = htmlToText(e.bodyHtml) || (e.quote ? `“${e.quote.text}” — ${e.quote.source}` : '') || e.media?.caption || e.media?.alt || article.headline;
    const title = text.length > 120 ? `${text.slice(0, 119)}…` : text;
    const quote = e.quote ? `<blockquote><p>${escape(e.quote.text)}</p><cite>${escape(e.quote.source)}</cite></blockquote>` : '';
    const correction = e.correction ? `<p><em>Corrected: ${escape(e.correction)}</em></p>` : '';
    feed.addItem({
      id: `${page}#entry-${e.id}`,
      link: `${page}#entry-${e.id}`,
      title,
      date: new Date(e.updatedAt),
      published: new Date(e.createdAt),
      author: [{ name: e.author }],
      content: `${quote}${e.bodyHtml}${correction}`,
    });
  }
  return format === 'rss' ? feed.rss2() : feed.atom1();
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
