import { articlePath, mediaPath, type Article, type Section } from '../../domain/article.js';
import { leadPicture, structuredImages } from './share-images.js';
import { excerptOf } from './text.js';

/** Site facts every JSON-LD document and social card uses. */
export interface SiteFacts {
  siteName: string;
  baseUrl: string;
  description: string;
  /** RFC 3339 with the site zone's offset, e.g. `2013-06-01T11:08:45+04:30`. */
  iso: (epochMs: number) => string;
}

type JsonLd = Record<string, unknown>;

/** The publisher as schema.org wants it for news: a NewsMediaOrganization with a logo. */
export function publisher(site: SiteFacts): JsonLd {
  return {
    '@type': 'NewsMediaOrganization',
    '@id': `${site.baseUrl}/#publisher`,
    name: site.siteName,
    url: `${site.baseUrl}/`,
    logo: { '@type': 'ImageObject', url: `${site.baseUrl}/icons/icon-512.png`, width: 512, height: 512 },
  };
}

/** A description for an article: its dek, else the start of its text. */
export function articleDescription(article: Pick<Article, 'dek' | 'bodyHtml'>): string {
  return article.dek || excerptOf(article.bodyHtml, 200);
}

/** `NewsArticle` (plus `VideoObject` for a video lead) and `BreadcrumbList` for an article page. */
export function articleJsonLd(site: SiteFacts, article: Article, section: { section: Section; name: string } | null): JsonLd[] {
  const url = `${site.baseUrl}${articlePath(article)}`;
  const media = article.leadMedia;
  const images = media ? structuredImages(media, site.baseUrl) : [];
  const news: JsonLd = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': `${url}#article`,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    headline: article.headline.length > 110 ? `${article.headline.slice(0, 109)}…` : article.headline,
    description: articleDescription(article),
    inLanguage: article.language,
    isAccessibleForFree: true,
    publisher: publisher(site),
  };
  if (images.length) news.image = images.map((i) => ({ '@type': 'ImageObject', url: i.url, width: i.width, height: i.height }));
  if (article.publishedAt !== null) news.datePublished = site.iso(article.firstPublishedAt ?? article.publishedAt);
  news.dateModified = site.iso(Math.max(article.updatedAt, article.publishedAt ?? 0));
  if (article.byline) news.author = article.byline.split(/\s*(?:,| and | و )\s*/).filter(Boolean).map((name) => ({ '@type': 'Person', name }));
  else news.author = { '@type': 'Organization', name: article.source || site.siteName, url: `${site.baseUrl}/` };
  if (section) news.articleSection = section.name;
  if (article.tags.length) news.keywords = article.tags.map((t) => t.name);
  if (article.place) news.contentLocation = { '@type': 'Place', name: article.place };
  if (article.corrections.length) {
    news.correction = article.corrections.map((c) => ({ '@type': 'CorrectionComment', text: c.note, datePublished: site.iso(c.at) }));
  }
  if (media?.kind === 'video') {
    const poster = leadPicture(media, site.baseUrl);
    const video: JsonLd = {
      '@type': 'VideoObject',
      name: article.headline,
      description: media.caption || media.alt || articleDescription(article),
      contentUrl: `${site.baseUrl}${mediaPath(media.key)}`,
      encodingFormat: media.mime,
      uploadDate: site.iso(article.firstPublishedAt ?? article.publishedAt ?? article.createdAt),
      inLanguage: article.language,
    };
    if (poster) video.thumbnailUrl = [poster.url];
    if (media.durationMs) video.duration = isoDuration(media.durationMs);
    if (media.width && media.height) Object.assign(video, { width: media.width, height: media.height });
    news.video = video;
  }
  const crumbs: { name: string; item: string }[] = [{ name: site.siteName, item: `${site.baseUrl}/` }];
  if (section) crumbs.push({ name: section.name, item: `${site.baseUrl}/section/${encodeURIComponent(section.section.slug)}` });
  crumbs.push({ name: article.headline, item: url });
  return [news, breadcrumbs(crumbs)];
}

/** `BreadcrumbList` from the home page down. */
export function breadcrumbs(items: { name: string; item: string }[]): JsonLd {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: items.map((c, i) => ({ '@type': 'ListItem', position: i + 1, name: c.name, item: c.item })),
  };
}

/** The home page's `WebSite` with a `SearchAction` (the site search box), and the publisher. */
export function homeJsonLd(site: SiteFacts, language: string): JsonLd[] {
  return [
    {
      '@context': 'https://schema.org',
      '@type': 'WebSite',
      '@id': `${site.baseUrl}/#website`,
      url: `${site.baseUrl}/`,
      name: site.siteName,
      description: site.description,
      inLanguage: language,
      publisher: { '@id': `${site.baseUrl}/#publisher` },
      potentialAction: {
        '@type': 'SearchAction',
        target: { '@type': 'EntryPoint', urlTemplate: `${site.baseUrl}/search?q={search_term_string}` },
        'query-input': 'required name=search_term_string',
      },
    },
    { '@context': 'https://schema.org', ...publisher(site) },
  ];
}

/** ISO 8601 duration: `PT1M5S`. */
export function isoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

/** JSON for a `<script type="application/ld+json">`: `<` escaped so no text can close the element. */
export function jsonLdScript(data: JsonLd | JsonLd[]): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
