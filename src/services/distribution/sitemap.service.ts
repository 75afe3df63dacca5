import { articlePath, mediaPath, type Media } from '../../domain/article.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import type { ArticleRepository } from '../../db/repositories/article.repository.js';
import type { DistributionRepository, SitemapMonth, SitemapRow } from '../../db/repositories/distribution.repository.js';
import type { CatalogService } from '../catalog.service.js';
import type { Clock } from '../clock.js';
import type { ContentCache } from '../content-cache.js';
import type { DistributionSettings } from './distribution-settings.js';
import { leadPicture } from './share-images.js';
import { escapeXml, truncate } from './text.js';
import type { TranslationRepository } from '../../db/repositories/translation.repository.js';
import { LanguageUrls } from '../../domain/language-urls.js';

/**
 * URLs per article sitemap file. The protocol allows 50,000 and 50 MB; every entry is
 * bounded (titles and descriptions truncated) to well under 5 KB, so 10,000 entries
 * stay under 50 MB whatever the content, and a typical month is a single file.
 */
export const URLS_PER_SITEMAP = 10_000;
/** Google News sitemaps: the last 48 hours, at most 1,000 articles. */
export const NEWS_WINDOW_MS = 48 * 3600_000;
export const NEWS_MAX_URLS = 1000;

const NS = {
  sitemap: 'http://www.sitemaps.org/schemas/sitemap/0.9',
  image: 'http://www.google.com/schemas/sitemap-image/1.1',
  video: 'http://www.google.com/schemas/sitemap-video/1.1',
  news: 'http://www.google.com/schemas/sitemap-news/0.9',
  xhtml: 'http://www.w3.org/1999/xhtml',
};
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** W3C datetime with an explicit offset, to the second. */
export function w3cDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** One file of the sitemap index. */
export interface SitemapFile {
  path: string;
  lastModified: number | null;
}

const MONTH_FILE = /^(\d{4})-(0[1-9]|1[0-2])(?:-([1-9]\d{0,3}))?$/;

/** Sitemap index, monthly article sitemaps, section and topic sitemaps, the Google News sitemap, robots.txt. */
export class SitemapService {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly distribution: DistributionRepository,
    private readonly catalog: CatalogService,
    private readonly cache: ContentCache,
    private readonly clock: Clock,
    /** URLs per article or topic sitemap file (tests use a small number to see files split). */
    private readonly perFile = URLS_PER_SITEMAP,
    /** Translations of the listed articles, for `xhtml:link` alternates (absent: none). */
    private readonly translations?: Pick<TranslationRepository, 'alternatesOf'>,
  ) {}

  /** Files the index lists: news, sections, topics, then article months newest first. */
  async files(): Promise<SitemapFile[]> {
    return this.cache.get(`sitemap:files:${this.perFile}`, async () => {
      const now = this.clock();
      const [months, topics] = await Promise.all([this.distribution.months(now), this.distribution.countTagsWithArticles(now)]);
      const out: SitemapFile[] = [
        { path: '/sitemap-news.xml', lastModified: null },
        { path: '/sitemaps/sections.xml', lastModified: null },
      ];
      for (let page = 1; page <= Math.ceil(topics / this.perFile); page++) out.push({ path: `/sitemaps/topics-${page}.xml`, lastModified: null });
      for (const m of months) out.push(...monthFiles(m, this.perFile));
      return out;
    });
  }

  /** The sitemap index document. */
  async index(settings: DistributionSettings): Promise<string> {
    const files = await this.files();
    const entries = files
      .map((f) => `<sitemap><loc>${escapeXml(settings.baseUrl + f.path)}</loc>${f.lastModified ? `<lastmod>${w3cDate(f.lastModified)}</lastmod>` : ''}</sitemap>`)
      .join('\n');
    return `${XML_DECL}<sitemapindex xmlns="${NS.sitemap}">\n${entries}\n</sitemapindex>\n`;
  }

  /**
   * One month's articles (`2026-11`, or `2026-11-2` for its second file), streamed in
   * batches: memory stays bounded however many articles the archive holds.
   */
  async month(settings: DistributionSettings, file: string): Promise<AsyncIterable<string>> {
    const m = MONTH_FILE.exec(file);
    if (!m) throw new DomainError('NOT_FOUND', text('sitemapBadMonth', { file }));
    const [year, month, part] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 1)];
    const from = Date.UTC(year, month - 1, 1);
    const to = Date.UTC(year, month, 1);
    const now = this.clock();
    const count = await this.distribution.countBetween(from, to, now);
    const files = Math.ceil(count / this.perFile);
    if (part > files) throw new DomainError('NOT_FOUND', count ? text('sitemapNoPart', { file, month: `${m[1]}-${m[2]}`, files: { plural: 'sitemapFiles', count: files } }) : text('sitemapEmptyMonth', { month: `${m[1]}-${m[2]}` }));
    const rows = withAlternates(this.distribution.sitemapRows(from, to, now, { skip: (part - 1) * this.perFile, limit: this.perFile }), this.translations, now);
    const urls = languageUrls(settings);
    return urlset(rows, (r) => articleEntry(settings.baseUrl, r, urls), [NS.image, NS.video, NS.xhtml]);
  }

  /** Home and section pages in every site language (each with its alternates), with when each last had a new story. */
  async sections(settings: DistributionSettings): Promise<string> {
    const now = this.clock();
    const sections = await this.catalog.sections();
    const last = await this.distribution.sectionsLastPublished(sections.map((s) => s.id), now);
    const newest = Math.max(0, ...last.values());
    const urls = languageUrls(settings);
    const inEvery = (path: string, lastModified: number | null) =>
      urls.languages.map((l) => url(urls.absolute(l, path), lastModified, urls.languages.length > 1 ? urls.languages.map((a) => ({ language: a, href: urls.absolute(a, path) })) : []));
    const entries = [inEvery('/', newest || null), ...sections.map((s) => inEvery(`/section/${encodeURIComponent(s.slug)}`, last.get(s.id) ?? null))].flat();
    return `${XML_DECL}<urlset xmlns="${NS.sitemap}" xmlns:xhtml="${NS.xhtml}">\n${entries.join('\n')}\n</urlset>\n`;
  }

  /**
   * Topic (tag) pages that have at least one story, 10,000 topics a file. A topic is listed at
   * `/topic/{slug}` (its own language, every story) and, with `xhtml:link` alternates, in each
   * other site language that has stories of it (`/ar/topic/{slug}`: that language's stories).
   */
  async topics(settings: DistributionSettings, page: number): Promise<string> {
    const now = this.clock();
    const tags = await this.distribution.tagsWithArticles(now, (page - 1) * this.perFile, this.perFile);
    if (tags.length === 0 && page > 1) throw new DomainError('NOT_FOUND', text('topicSitemapMissing', { page: String(page) }));
    const urls = languageUrls(settings);
    const languages = await this.distribution.tagLanguages(tags.map((t) => t.id), now, otherTopicLanguages(urls));
    const entries = tags.flatMap((t) => {
      const versions = topicVersions(t, languages.get(t.id) ?? [], urls);
      const alternates = withDefault(versions, versions[0]!);
      return versions.map((v) => url(v.href, null, alternates));
    });
    return `${XML_DECL}<urlset xmlns="${NS.sitemap}" xmlns:xhtml="${NS.xhtml}">\n${entries.join('\n')}\n</urlset>\n`;
  }

  /** The languages of a topic's visible stories (for its pages' alternates). */
  async topicLanguages(tagId: number, urls: LanguageUrls): Promise<string[]> {
    return (await this.distribution.tagLanguages([tagId], this.clock(), otherTopicLanguages(urls))).get(tagId) ?? [];
  }

  /** Google News sitemap: articles of the last 48 hours, newest first, at most 1,000. */
  async news(settings: DistributionSettings): Promise<{ body: string; articleIds: number[] }> {
    const now = this.clock();
    const rows = await this.distribution.newsRows(now - NEWS_WINDOW_MS, now, NEWS_MAX_URLS);
    const versions = this.translations ? await this.translations.alternatesOf(rows.map((r) => r.id), now) : new Map<number, ArticleVersion[]>();
    const urls = languageUrls(settings);
    const entries = rows.map(
      (r) =>
        `<url><loc>${escapeXml(urls.origin(r.language) + articlePath(r))}</loc>` +
        `<news:news><news:publication><news:name>${escapeXml(settings.siteName)}</news:name>` +
        `<news:language>${escapeXml(newsLanguage(r.language))}</news:language></news:publication>` +
        `<news:publication_date>${w3cDate(r.publishedAt)}</news:publication_date>` +
        `<news:title>${escapeXml(truncate(r.headline, 300))}</news:title></news:news>${versionLinks(versions.get(r.id), urls)}</url>`,
    );
    return {
      body: `${XML_DECL}<urlset xmlns="${NS.sitemap}" xmlns:news="${NS.news}" xmlns:xhtml="${NS.xhtml}">\n${entries.join('\n')}\n</urlset>\n`,
      articleIds: rows.map((r) => r.id),
    };
  }

  /** robots.txt: the configured disallow list and where the sitemaps are. */
  robots(settings: DistributionSettings): string {
    const lines = ['User-agent: *', ...(settings.robotsDisallow.length ? settings.robotsDisallow.map((p) => `Disallow: ${p}`) : ['Disallow:']), ''];
    lines.push(`Sitemap: ${settings.baseUrl}/sitemap.xml`, `Sitemap: ${settings.baseUrl}/sitemap-news.xml`, '');
    return lines.join('\n');
  }
}

function monthFiles(m: SitemapMonth, perFile: number): SitemapFile[] {
  const files = Math.ceil(m.count / perFile);
  // No lastmod on month entries: an honest one needs every article's last change (a full read of
  // the archive); the entries inside each file carry their own.
  return Array.from({ length: files }, (_, i) => ({ path: `/sitemaps/articles/${m.month}${i === 0 ? '' : `-${i + 1}`}.xml`, lastModified: null }));
}

function url(loc: string, lastModified: number | null, alternates: { language: string; href: string }[] = []): string {
  return `<url><loc>${escapeXml(loc)}</loc>${lastModified ? `<lastmod>${w3cDate(lastModified)}</lastmod>` : ''}${alternateLinks(alternates)}</url>`;
}

/** `xhtml:link` alternates of one URL (every version, itself included, as search engines ask). */
function alternateLinks(alternates: { language: string; href: string }[]): string {
  return alternates.map((a) => `<xhtml:link rel="alternate" hreflang="${escapeXml(a.language)}" href="${escapeXml(a.href)}"/>`).join('');
}

/** Versions of a page plus `x-default` (the given fallback), as the pages' own `<link rel="alternate">` carry them; none for a single version. */
function withDefault(versions: { language: string; href: string }[], fallback: { href: string }): { language: string; href: string }[] {
  return versions.length > 1 ? [...versions, { language: 'x-default', href: fallback.href }] : [];
}

type ArticleVersion = { id: number; language: string; slug: string };

/** An article's versions as `xhtml:link` alternates; x-default is the default language's version, else the first (as on the page). */
function versionLinks(versions: ArticleVersion[] | undefined, urls: LanguageUrls): string {
  if (!versions) return '';
  const links = versions.map((v) => ({ language: v.language, href: urls.origin(v.language) + articlePath(v) }));
  return alternateLinks(withDefault(links, links.find((l) => l.language === urls.defaultLanguage) ?? links[0]!));
}

/**
 * A topic's pages: `/topic/{slug}` in its own language (every story; also the x-default), then
 * each other site language with stories of it (`/ar/topic/{slug}`). The default language has no
 * page of its own for a topic in another language: its `/topic/…` is the topic's own page.
 */
export function topicVersions(tag: { slug: string; language: string }, storyLanguages: readonly string[], urls: LanguageUrls): { language: string; href: string }[] {
  const path = `/topic/${encodeURIComponent(tag.slug)}`;
  const candidates = otherTopicLanguages(urls);
  const others = storyLanguages.filter((l) => l !== tag.language && candidates.includes(l));
  return [{ language: tag.language, href: urls.origin(urls.defaultLanguage) + path }, ...others.map((l) => ({ language: l, href: urls.absolute(l, path) }))];
}

/** The site languages a topic may have pages in besides `/topic/…` (the default language's): what `tagLanguages` looks for. */
function otherTopicLanguages(urls: LanguageUrls): string[] {
  return urls.languages.filter((l) => l !== urls.defaultLanguage);
}

function languageUrls(settings: DistributionSettings): LanguageUrls {
  return new LanguageUrls({ baseUrl: settings.baseUrl, languages: settings.languages, languageHosts: settings.languageHosts });
}

type RowWithAlternates = SitemapRow & { versions?: ArticleVersion[] };

/** Each batch of rows with the other visible versions of its translated articles (one lookup per batch). */
async function* withAlternates(batches: AsyncIterable<SitemapRow[]>, translations: Pick<TranslationRepository, 'alternatesOf'> | undefined, now: number): AsyncGenerator<RowWithAlternates[]> {
  for await (const rows of batches) {
    if (!translations) {
      yield rows;
      continue;
    }
    const versions = await translations.alternatesOf(rows.map((r) => r.id), now);
    yield rows.map((r) => ({ ...r, versions: versions.get(r.id) }));
  }
}

/** News sitemaps take ISO 639 codes (zh-cn and zh-tw aside): the primary subtag. */
function newsLanguage(language: string): string {
  const lower = language.toLowerCase();
  if (lower === 'zh-cn' || lower === 'zh-hans') return 'zh-cn';
  if (lower === 'zh-tw' || lower === 'zh-hant') return 'zh-tw';
  return lower.split('-')[0] ?? lower;
}

async function* urlset<T>(batches: AsyncIterable<T[]>, entry: (row: T) => string, extraNamespaces: string[]): AsyncGenerator<string> {
  const ns = extraNamespaces.map((n) => ` xmlns:${n === NS.image ? 'image' : n === NS.video ? 'video' : n === NS.xhtml ? 'xhtml' : 'news'}="${n}"`).join('');
  yield `${XML_DECL}<urlset xmlns="${NS.sitemap}"${ns}>\n`;
  for await (const rows of batches) {
    let chunk = '';
    for (const r of rows) chunk += entry(r) + '\n';
    yield chunk;
  }
  yield '</urlset>\n';
}

function articleEntry(baseUrl: string, r: RowWithAlternates, urls: LanguageUrls): string {
  let out = `<url><loc>${escapeXml(urls.origin(r.language) + articlePath(r))}</loc><lastmod>${w3cDate(Math.max(r.updatedAt, r.publishedAt))}</lastmod>`;
  if (r.leadMedia) out += mediaEntries(baseUrl, r, r.leadMedia);
  out += versionLinks(r.versions, urls);
  return `${out}</url>`;
}

function mediaEntries(baseUrl: string, r: SitemapRow, media: Media): string {
  const picture = leadPicture(media, baseUrl);
  if (media.kind === 'image') {
    if (!picture) return '';
    const caption = media.caption || media.alt;
    return (
      `<image:image><image:loc>${escapeXml(picture.url)}</image:loc>` +
      (caption ? `<image:caption>${escapeXml(truncate(caption, 300))}</image:caption>` : '') +
      (media.alt ? `<image:title>${escapeXml(truncate(media.alt, 200))}</image:title>` : '') +
      '</image:image>'
    );
  }
  // A video entry needs a thumbnail; without a poster there is nothing valid to say.
  if (!picture) return '';
  const description = truncate(r.dek || media.caption || media.alt || r.headline, 500);
  const seconds = media.durationMs ? Math.min(28_800, Math.max(1, Math.round(media.durationMs / 1000))) : null;
  return (
    `<video:video><video:thumbnail_loc>${escapeXml(picture.url)}</video:thumbnail_loc>` +
    `<video:title>${escapeXml(truncate(r.headline, 100))}</video:title>` +
    `<video:description>${escapeXml(description)}</video:description>` +
    `<video:content_loc>${escapeXml(baseUrl + mediaPath(media.key))}</video:content_loc>` +
    (seconds ? `<video:duration>${seconds}</video:duration>` : '') +
    `<video:publication_date>${w3cDate(r.publishedAt)}</video:publication_date>` +
    '</video:video>'
  );
}

