import { createHash } from 'node:crypto';
import type { DatelineParser } from '../../domain/dateline-parse.js';
import { mediaTypeOf, type ImportDraft } from '../../domain/import-draft.js';
import { legacyIdFromFileName } from './legacy-page.parser.js';
import { stripDebugOutput } from './debug-dump.js';
import { pageImages } from './page-images.js';
import { lazyRequire } from '../lazy-require.js';

export interface HtmlPageOptions {
  dateline: DatelineParser;
  language: string;
  contentTypeId: number;
  section: { slug: string; name: string };
  /** Address the page was saved from, when the page does not name its own (resolves relative links). */
  url?: string;
  /** Folder holding the old site's media under their old paths. */
  mediaDir?: string;
}

/** What a saved page says about its article, before it becomes a draft. */
export interface ExtractedPage {
  title: string;
  byline: string;
  excerpt: string;
  siteName: string;
  lang: string;
  dir: string;
  publishedTime: string;
  contentHtml: string;
  textContent: string;
  canonicalUrl: string;
  image: string;
}

// Loaded on the first import of a saved page, not by every server start.
const jsdom = lazyRequire<typeof import('jsdom')>('jsdom');
const readability = lazyRequire<typeof import('@mozilla/readability')>('@mozilla/readability');
let quiet: import('jsdom').VirtualConsole | undefined;

/**
 * Extracts the article of a saved news page with Mozilla's Readability (the Firefox
 * Reader View engine) on jsdom, plus the page's own metadata: JSON-LD, OpenGraph and
 * `<time datetime>` fill in what Readability leaves out. Scripts never run.
 */
export function extractPage(html: string, url = 'http://localhost/'): ExtractedPage {
  const { JSDOM, VirtualConsole } = jsdom();
  quiet ??= new VirtualConsole();
  const dom = new JSDOM(html, { url, virtualConsole: quiet });
  const doc = dom.window.document;
  const meta = (selector: string) => doc.querySelector(selector)?.getAttribute('content')?.trim() ?? '';
  const canonicalUrl = doc.querySelector('link[rel="canonical"]')?.getAttribute('href')?.trim() || meta('meta[property="og:url"]');
  const ld = jsonLd(doc);
  const timeEl = doc.querySelector('article time[datetime], time[pubdate][datetime], time[datetime]')?.getAttribute('datetime')?.trim() ?? '';
  const image = meta('meta[property="og:image"]') || ld.image;
  const article = new (readability().Readability)(doc).parse();
  return {
    title: article?.title?.trim() || meta('meta[property="og:title"]') || ld.headline,
    byline: article?.byline?.trim() || ld.author,
    excerpt: article?.excerpt?.trim() || meta('meta[property="og:description"]') || meta('meta[name="description"]'),
    siteName: article?.siteName?.trim() || meta('meta[property="og:site_name"]'),
    lang: article?.lang?.trim() || '',
    dir: article?.dir?.trim() || '',
    publishedTime: article?.publishedTime?.trim() || ld.datePublished || meta('meta[property="article:published_time"]') || timeEl,
    contentHtml: article?.content ?? '',
    textContent: article?.textContent ?? '',
    canonicalUrl,
    image,
  };
}

function jsonLd(doc: Document): { headline: string; author: string; datePublished: string; image: string } {
  const out = { headline: '', author: '', datePublished: '', image: '' };
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue;
    }
    const nodes = (Array.isArray(data) ? data : [data]).flatMap((n) => (n && typeof n === 'object' && '@graph' in n ? (n as { '@graph': unknown[] })['@graph'] : [n]));
    for (const node of nodes as Record<string, unknown>[]) {
      if (!node || typeof node !== 'object') continue;
      const type = String(node['@type'] ?? '');
      if (!/Article|Posting|Report/.test(type)) continue;
      out.headline ||= typeof node.headline === 'string' ? node.headline : '';
      out.datePublished ||= typeof node.datePublished === 'string' ? node.datePublished : '';
      const author = Array.isArray(node.author) ? node.author : [node.author];
      out.author ||= author.map((a) => (typeof a === 'string' ? a : a && typeof a === 'object' ? String((a as { name?: unknown }).name ?? '') : '')).filter(Boolean).join(', ');
      const image = Array.isArray(node.image) ? node.image[0] : node.image;
      out.image ||= typeof image === 'string' ? image : image && typeof image === 'object' ? String((image as { url?: unknown }).url ?? '') : '';
    }
  }
  return out;
}

/** A saved HTML page of an old news site as an import draft. */
export function parseHtmlPage(path: string, html: string, options: HtmlPageOptions): ImportDraft {
  const repairs: string[] = [];
  // Debug dumps leak into HTML pages too: take the related list out before extraction.
  const scan = stripDebugOutput(html);
  repairs.push(...scan.removed);
  const page = extractPage(scan.text, options.url);
  if (!page.title) throw new Error('no article headline could be found in the page');
  let publishedAt: number | null = null;
  if (page.publishedTime) {
    const ms = Date.parse(page.publishedTime);
    if (!Number.isNaN(ms)) publishedAt = ms;
  }
  if (publishedAt === null) {
    // Old templates print the dateline as text: look for one in the page's own format.
    for (const line of page.textContent.split('\n').slice(0, 40)) {
      const at = options.dateline.parse(line);
      if (at !== null) {
        publishedAt = at;
        break;
      }
    }
  }
  if (publishedAt === null) repairs.push('the page names no publication date: imported as a draft');
  const id = legacyIdFromFileName(path);
  const sourceKey =
    id !== null ? `legacy:${id}` : page.canonicalUrl ? `html:${page.canonicalUrl}` : `html:sha1:${createHash('sha1').update(`${page.title}\n${page.textContent}`).digest('hex')}`;
  const images = pageImages(page.contentHtml, path, id !== null ? String(id) : createHash('sha1').update(sourceKey).digest('hex').slice(0, 12), options.mediaDir);
  const imagePath = page.image ? safePath(page.image) : '';
  const dated = /^\/\d{4}\/\d{2}\/\d{2}\/[^/]+$/.test(imagePath) ? mediaTypeOf(imagePath) : null;
  return {
    sourceKey,
    kind: 'legacy',
    ...(id !== null ? { id } : {}),
    language: page.lang || options.language,
    contentTypeId: options.contentTypeId,
    section: options.section,
    status: publishedAt === null ? 'draft' : 'published',
    headline: page.title,
    dek: page.excerpt,
    bodyHtml: images.html,
    bodyMedia: images.media,
    byline: page.byline,
    source: page.siteName,
    publishedAt,
    leadMedia: dated ? { key: imagePath.slice(1), ...dated, url: page.image } : null,
    related: scan.related.filter((r) => r.id !== id),
    redirects: page.canonicalUrl ? [safePath(page.canonicalUrl)].filter((p) => p.length > 1) : [],
    // Links to the page's own site are old-site links.
    linkOrigins: originOf(page.canonicalUrl),
    repairs,
  };
}

function originOf(url: string): string[] {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? [u.origin] : [];
  } catch {
    return [];
  }
}

function safePath(url: string): string {
  try {
    const u = new URL(url, 'http://localhost/');
    return decodeURI(u.pathname) + u.search;
  } catch {
    return '';
  }
}
