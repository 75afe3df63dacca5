import type { Item } from 'feed';
import { feedLibrary } from './live-feed.js';
import { articlePath, mediaPath, type ArticleSummary, type Section, type Tag } from '../../domain/article.js';
import { canonicalLanguage } from '../../domain/language.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import type { ArticleRepository } from '../../db/repositories/article.repository.js';
import type { DistributionRepository, FeedBody, FeedScope } from '../../db/repositories/distribution.repository.js';
import type { CatalogService } from '../catalog.service.js';
import type { Clock } from '../clock.js';
import type { ContentCache } from '../content-cache.js';
import type { DistributionSettings } from './distribution-settings.js';
import { absolutizeHtml, correctionLabel, excerptOf, xmlSafe } from './text.js';

// xml-js escapes only quotes in attribute values: escape the rest ourselves.
const attr = (v: string) => xmlSafe(v).replace(/&/g, '&amp;').replace(/</g, '&lt;');
import { leadPicture } from './share-images.js';
import { feedBasePath, feedPath, type FeedFormat, type FeedTarget } from './feed-paths.js';

export { FEED_FORMATS, feedBasePath, feedPath, type FeedFormat, type FeedTarget } from './feed-paths.js';

/** A rendered feed document and what HTTP needs to serve it. */
export interface FeedDocument {
  body: string;
  contentType: string;
  /** The latest change to anything the feed shows or showed (epoch ms). */
  lastModified: number;
  /** Surrogate keys: `feed`, the scope's key, and one per article shown. */
  surrogateKeys: string[];
}

/** One entry of the `/feeds` list. */
export interface FeedLink {
  title: string;
  kind: FeedTarget['kind'];
  language: string;
  /** Paths of the three formats. */
  rss: string;
  atom: string;
  json: string;
}

const MEDIA_NS = 'http://search.yahoo.com/mrss/';
const DC_NS = 'http://purl.org/dc/elements/1.1/';
const CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};
interface ResolvedTarget {
  scope: FeedScope;
  title: string;
  language: string;
  /** The HTML page the feed mirrors. */
  pagePath: string;
  scopeKey: string;
}

/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site, a section, a topic or a language,
 * built with the `feed` library. Where it falls short (no media RSS, no `dc:creator`,
 * JSON Feed 1.0 only) the gaps are filled through its extension points and by
 * upgrading its JSON output to 1.1 as data, never by string templates.
 */
export class FeedService {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly distribution: DistributionRepository,
    private readonly catalog: CatalogService,
    private readonly cache: ContentCache,
    private readonly clock: Clock,
  ) {}

  /** A feed document; unknown sections, topics and languages are 404s. */
  async feed(settings: DistributionSettings, target: FeedTarget, format: FeedFormat): Promise<FeedDocument> {
    const resolved = await this.resolve(settings, target);
    const key = `feed:${settings.feedContent}:${settings.feedItems}:${feedBasePath(target)}:${format}`;
    return this.cache.get(key, () => this.build(settings, target, resolved, format));
  }

  /** Every feed of the site: site, languages, sections, then topics that have stories. */
  async list(settings: DistributionSettings, topicLimit = 200): Promise<FeedLink[]> {
    const snapshot = await this.catalog.current();
    const defaultLanguage = settings.languages[0] ?? 'en';
    const link = (target: FeedTarget, title: string, language: string): FeedLink => ({
      title,
      kind: target.kind,
      language,
      rss: feedPath(target, 'rss'),
      atom: feedPath(target, 'atom'),
      json: feedPath(target, 'json'),
    });
    const out: FeedLink[] = [link({ kind: 'site' }, settings.siteName, defaultLanguage)];
    for (const code of settings.languages) out.push(link({ kind: 'language', code }, `${settings.siteName} (${languageName(code)})`, code));
    for (const s of snapshot.sections) out.push(link({ kind: 'section', slug: s.slug }, sectionTitle(s, defaultLanguage), defaultLanguage));
    const tags = await this.distribution.tagsWithArticles(this.clock(), 0, topicLimit);
    for (const t of tags) out.push(link({ kind: 'topic', slug: t.slug }, t.name, t.language));
    return out;
  }

  private async resolve(settings: DistributionSettings, target: FeedTarget): Promise<ResolvedTarget> {
    const defaultLanguage = settings.languages[0] ?? 'en';
    switch (target.kind) {
      case 'site':
        return { scope: {}, title: settings.siteName, language: defaultLanguage, pagePath: '/', scopeKey: 'latest' };
      case 'section': {
        const s = await this.catalog.sectionBySlug(target.slug);
        return { scope: { sectionId: s.id }, title: `${sectionTitle(s, defaultLanguage)} · ${settings.siteName}`, language: defaultLanguage, pagePath: `/section/${s.slug}`, scopeKey: `section-${s.id}` };
      }
      case 'topic': {
        const t = await this.catalog.tagBySlug(target.slug);
        return { scope: { tagId: t.id }, title: `${t.name} · ${settings.siteName}`, language: t.language, pagePath: `/topic/${encodeURIComponent(t.slug)}`, scopeKey: `tag-${t.id}` };
      }
      case 'language': {
        const code = canonicalLanguage(target.code);
        if (!code || !settings.languages.includes(code)) {
          throw new DomainError('NOT_FOUND', text('feedNoLanguage', { language: target.code, languages: settings.languages.join(', ') }));
        }
        return { scope: { language: code }, title: `${settings.siteName} (${languageName(code)})`, language: code, pagePath: '/', scopeKey: `lang-${code}` };
      }
    }
  }

  private async build(settings: DistributionSettings, target: FeedTarget, r: ResolvedTarget, format: FeedFormat): Promise<FeedDocument> {
    const now = this.clock();
    const items = await this.articles.listVisible(r.scope, { limit: settings.feedItems }, now);
    const ids = items.map((a) => a.id);
    const [bodies, tags, removed, snapshot] = await Promise.all([
      this.distribution.feedBodies(ids),
      this.articles.tagsOf(ids),
      this.distribution.lastRemoval(r.scope),
      this.catalog.current(),
    ]);
    // Honest `updated`: the newest edit or publication shown, or the newest removal.
    const lastModified = Math.max(0, removed ?? 0, ...items.map((a) => Math.max(a.updatedAt, a.publishedAt ?? 0)));
    const base = settings.baseUrl;
    const { Feed } = await feedLibrary();
    const feed = new Feed({
      id: `${base}${feedPath(target, 'atom')}`,
      title: r.title,
      description: settings.siteDescription,
      link: `${base}${r.pagePath}`,
      language: r.language,
      updated: new Date(lastModified),
      generator: 'Dateline',
      favicon: `${base}/favicon.ico`,
      copyright: `© ${settings.siteName}`,
      feedLinks: { rss: `${base}${feedPath(target, 'rss')}`, atom: `${base}${feedPath(target, 'atom')}`, json: `${base}${feedPath(target, 'json')}` },
    });
    for (const a of items) {
      const body = bodies.get(a.id);
      if (!body) continue;
      const section = snapshot.sectionsById.get(a.sectionId);
      feed.addItem(this.item(settings, format, a, body, tags.get(a.id) ?? [], section));
    }
    let text: string;
    if (format === 'rss') text = feed.rss2();
    else if (format === 'atom') text = feed.atom1();
    else text = JSON.stringify(upgradeJsonFeed(JSON.parse(feed.json1()) as JsonFeed, settings, r.language, items, bodies), null, 2);
    return {
      body: text,
      contentType: CONTENT_TYPES[format],
      lastModified,
      surrogateKeys: ['feed', r.scopeKey, ...items.map((a) => `article-${a.id}`)],
    };
  }

  private item(settings: DistributionSettings, format: FeedFormat, a: ArticleSummary, body: FeedBody, tags: Tag[], section: Section | undefined): Item {
    const base = settings.baseUrl;
    const link = `${base}${articlePath(a)}`;
    const full = settings.feedContent === 'full';
    const categories = [
      ...(section ? [{ name: xmlSafe(sectionTitle(section, a.language)), term: section.slug, domain: attr(`${base}/section/${encodeURIComponent(section.slug)}`), scheme: `${base}/section/` }] : []),
      ...tags.map((t) => ({ name: xmlSafe(t.name), term: t.slug, domain: attr(`${base}/topic/${encodeURIComponent(t.slug)}`), scheme: `${base}/topic/` })),
    ];
    const item: Item = {
      title: xmlSafe(a.headline),
      // A stable identity that survives headline (slug) changes; it redirects to the article.
      id: `${base}/news/${a.id}`,
      link,
      date: new Date(Math.max(a.updatedAt, a.publishedAt ?? 0)),
      published: a.publishedAt !== null ? new Date(a.publishedAt) : undefined,
      description: xmlSafe(a.dek || excerptOf(body.bodyHtml)),
      content: full ? xmlSafe(fullText(body, base, a.language)) : undefined,
      category: categories,
    };
    const media = a.leadMedia;
    const picture = media ? leadPicture(media, base) : null;
    if (format === 'rss') {
      const extensions: NonNullable<Item['extensions']> = [];
      if (a.byline) extensions.push({ name: 'dc:creator', objects: { _attributes: { 'xmlns:dc': DC_NS }, _text: xmlSafe(a.byline) } });
      if (media && media.kind === 'video') {
        const duration = media.durationMs ? Math.round(media.durationMs / 1000) : undefined;
        extensions.push({
          name: 'media:content',
          objects: {
            _attributes: { 'xmlns:media': MEDIA_NS, url: attr(`${base}${mediaPath(media.key)}`), type: attr(media.mime), medium: 'video', ...(body.leadMediaBytes ? { fileSize: body.leadMediaBytes } : {}), ...(duration ? { duration } : {}), ...(media.width && media.height ? { width: media.width, height: media.height } : {}) },
            ...(media.alt ? { 'media:description': { _text: xmlSafe(media.alt) } } : {}),
          },
        });
        item.enclosure = { url: `${base}${mediaPath(media.key)}`, type: media.mime, length: body.leadMediaBytes ?? 0 };
      } else if (media && picture) {
        extensions.push({
          name: 'media:content',
          objects: {
            _attributes: { 'xmlns:media': MEDIA_NS, url: attr(picture.url), type: 'image/jpeg', medium: 'image', width: picture.width, height: picture.height },
            ...(media.alt ? { 'media:description': { _text: xmlSafe(media.alt) } } : {}),
            ...(media.credit ? { 'media:credit': { _text: xmlSafe(media.credit) } } : {}),
          },
        });
      }
      if (picture) extensions.push({ name: 'media:thumbnail', objects: { _attributes: { 'xmlns:media': MEDIA_NS, url: attr(picture.url), width: picture.width, height: picture.height } } });
      item.extensions = extensions;
    } else {
      if (a.byline) item.author = [{ name: xmlSafe(a.byline) }];
      if (format === 'atom' && media?.kind === 'video') item.video = { url: `${base}${mediaPath(media.key)}`, length: body.leadMediaBytes ?? undefined };
      if (format === 'json' && picture) item.image = picture.url;
    }
    return item;
  }
}

/** The body with absolute links, followed by its corrections. */
function fullText(body: FeedBody, baseUrl: string, language: string): string {
  const corrections = body.corrections
    .map((c) => `<p class="correction"><strong>${correctionLabel(language)}</strong> (${new Date(c.at).toISOString()}): ${escapeHtml(c.note)}</p>`)
    .join('');
  return absolutizeHtml(body.bodyHtml, baseUrl) + corrections;
}

function escapeHtml(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function sectionTitle(section: Section, language: string): string {
  return section.names[language.split('-')[0] ?? language] ?? section.name;
}

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', ar: 'العربية', fa: 'فارسی' };
export function languageName(code: string): string {
  return LANGUAGE_NAMES[code] ?? code;
}

interface JsonFeedItem {
  id: string;
  url?: string;
  author?: { name?: string; url?: string };
  [key: string]: unknown;
}
interface JsonFeed {
  version: string;
  author?: { name?: string; url?: string };
  items: JsonFeedItem[];
  [key: string]: unknown;
}

/**
 * The `feed` library writes JSON Feed 1.0. Version 1.1 renames `author` to `authors`
 * (an array) and adds `language`; it also lets us attach a video (`attachments`).
 */
function upgradeJsonFeed(doc: JsonFeed, settings: DistributionSettings, language: string, items: ArticleSummary[], bodies: Map<number, FeedBody>): JsonFeed {
  const byId = new Map(items.map((a) => [`${settings.baseUrl}/news/${a.id}`, a]));
  const out: JsonFeed = { ...doc, version: 'https://jsonfeed.org/version/1.1', language, icon: `${settings.baseUrl}/icons/icon-512.png`, favicon: `${settings.baseUrl}/icons/icon-64.png` };
  if (doc.author) {
    delete out.author;
    out.authors = [doc.author];
  }
  out.items = doc.items.map((item) => {
    const next: JsonFeedItem = { ...item };
    if (item.author) {
      delete next.author;
      next.authors = [item.author];
    }
    const a = byId.get(item.id);
    if (a) {
      next.language = a.language;
      const media = a.leadMedia;
      if (media?.kind === 'video') {
        next.attachments = [
          {
            url: `${settings.baseUrl}${mediaPath(media.key)}`,
            mime_type: media.mime,
            ...(bodies.get(a.id)?.leadMediaBytes ? { size_in_bytes: bodies.get(a.id)!.leadMediaBytes } : {}),
            ...(media.durationMs ? { duration_in_seconds: Math.round(media.durationMs / 1000) } : {}),
          },
        ];
      }
    }
    return next;
  });
  return out;
}
