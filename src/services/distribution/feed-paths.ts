/** Where feeds live; pages link to them, routes serve them. */

export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/** Which stories a feed carries. */
export type FeedTarget = { kind: 'site' } | { kind: 'section'; slug: string } | { kind: 'topic'; slug: string } | { kind: 'language'; code: string };

export const FEED_FILE_NAMES: Record<FeedFormat, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };
export const FEED_MEDIA_TYPES: Record<FeedFormat, string> = { rss: 'application/rss+xml', atom: 'application/atom+xml', json: 'application/feed+json' };

/** Base path of a target's feeds: `/feeds`, `/feeds/section/world`, `/feeds/topic/qusayr`, `/feeds/lang/ar`. */
export function feedBasePath(target: FeedTarget): string {
  switch (target.kind) {
    case 'site':
      return '/feeds';
    case 'section':
      return `/feeds/section/${encodeURIComponent(target.slug)}`;
    case 'topic':
      return `/feeds/topic/${encodeURIComponent(target.slug)}`;
    case 'language':
      return `/feeds/lang/${encodeURIComponent(target.code)}`;
  }
}

export function feedPath(target: FeedTarget, format: FeedFormat): string {
  return `${feedBasePath(target)}/${FEED_FILE_NAMES[format]}`;
}

/** The format a feed file name asks for (`rss.xml`, `atom.xml`, `feed.json`), or null. */
export function feedFormatOf(fileName: string): FeedFormat | null {
  for (const f of FEED_FORMATS) if (FEED_FILE_NAMES[f] === fileName) return f;
  return null;
}
