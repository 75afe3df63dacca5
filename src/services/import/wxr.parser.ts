import { join } from 'node:path';
import { DatelineParser } from '../../domain/dateline-parse.js';
import { mediaTypeOf, type ImportCatalog, type ImportDraft, type ImportMedia } from '../../domain/import-draft.js';
import type { ImportSource, ImportSourceOptions, SourceItem } from './import-sources.js';
import { readWxr, type WxrAuthor, type WxrItem } from './wxr-reader.js';
import { wpAutoP } from './wp-content.js';

interface Attachment {
  url: string;
  title: string;
  /** The attachment's slug: names the file type when the URL does not (`carmen-thumbnail-jpg` on an image CDN). */
  name: string;
}

/** What the first pass collects (small: one entry per author and attachment, no bodies). */
interface WxrIndex {
  baseSiteUrl: string;
  /** Hosts of the exported site (blog and site URLs): links to them are old permalinks. */
  hosts: Set<string>;
  language: string;
  authors: Map<string, WxrAuthor>;
  attachments: Map<string, Attachment>;
  posts: number;
  /** Categories (sections) and tags (topics) the export defines. */
  categories: { slug: string; name: string }[];
  tags: string[];
}

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const IMPORTED_TYPES = new Set(['post']);

async function indexFile(path: string, pages: boolean): Promise<WxrIndex> {
  const index: WxrIndex = { baseSiteUrl: '', hosts: new Set(), language: '', authors: new Map(), attachments: new Map(), posts: 0, categories: [], tags: [] };
  for await (const e of readWxr(path)) {
    if (e.type === 'channel') {
      index.baseSiteUrl = e.baseBlogUrl || e.link || e.baseSiteUrl;
      for (const url of [e.link, e.baseBlogUrl, e.baseSiteUrl]) {
        try {
          if (url) index.hosts.add(new URL(url).host);
        } catch {
          // not a URL: no host to recognise
        }
      }
      index.language = e.language;
    } else if (e.type === 'author') index.authors.set(e.author.login, e.author);
    else if (e.type === 'term') {
      if (e.taxonomy === 'category' && (e.slug || e.name)) index.categories.push({ slug: e.slug || e.name, name: e.name || e.slug });
      else if (e.taxonomy === 'post_tag' && e.name.trim()) index.tags.push(e.name);
    }
    else if (e.item.postType === 'attachment') index.attachments.set(e.item.postId, { url: e.item.attachmentUrl || e.item.guid, title: e.item.title, name: e.item.postName });
    else if (isImported(e.item, pages)) index.posts++;
  }
  return index;
}

function isImported(item: WxrItem, pages: boolean): boolean {
  return (IMPORTED_TYPES.has(item.postType) || (pages && item.postType === 'page')) && !['trash', 'auto-draft', 'inherit'].includes(item.status);
}

/** WordPress exports (WXR 1.0–1.2): posts (and pages with `pages`), authors, categories, tags, images, statuses, redirects. */
export async function wxrSource(paths: string[], options: ImportSourceOptions & { pages?: boolean }): Promise<ImportSource> {
  const indexes: { path: string; index: WxrIndex }[] = [];
  for (const path of paths) indexes.push({ path, index: await indexFile(path, options.pages ?? false) });
  const wallClock = new DatelineParser(options.timeZone, 'YYYY-MM-DD HH:mm:ss');
  async function* items(): AsyncIterable<SourceItem> {
    for (const { path, index } of indexes) {
      for await (const e of readWxr(path)) {
        if (e.type !== 'item' || !isImported(e.item, options.pages ?? false)) continue;
        try {
          yield wxrDraft(e.item, index, options, wallClock);
        } catch (err) {
          yield { sourceKey: `wxr:${index.baseSiteUrl}:${e.item.postId}`, failed: `post ${e.item.postId}: ${err instanceof Error ? err.message : String(err)}` };
        }
      }
    }
  }
  return { total: indexes.reduce((n, i) => n + i.index.posts, 0), items: items(), catalog: catalogOf(indexes.map((i) => i.index), options) };
}

/** Every author, category, tag and uploaded image or video of the exports, whether a post uses it or not. */
function catalogOf(indexes: WxrIndex[], options: ImportSourceOptions): ImportCatalog {
  const catalog: ImportCatalog = { users: [], sections: [], tags: [], media: [], language: indexes[0]?.language || options.language };
  for (const index of indexes) {
    for (const login of index.authors.keys()) catalog.users.push(authorOf(login, index));
    catalog.sections.push(...index.categories);
    catalog.tags.push(...index.tags.map((name) => ({ kind: 'topic' as const, name })));
    for (const a of index.attachments.values()) {
      const media = uploadMedia(a.url, options, index, a.title, a.name);
      if (media) catalog.media.push(media);
    }
  }
  return catalog;
}

/** The newsroom user a WordPress login becomes (an address made up from the login when the export has none). */
function authorOf(creator: string, index: WxrIndex): { email: string; name: string } {
  const author = index.authors.get(creator);
  const login = creator || 'wordpress';
  const email = author?.email || (login.includes('@') ? login : `${login.replace(/[^\w.-]+/g, '') || 'author'}@wordpress-import.invalid`);
  return { email, name: author?.displayName || login };
}

function publishedAtOf(item: WxrItem, wallClock: DatelineParser): number | null {
  if (item.postDateGmt && !item.postDateGmt.startsWith('0000')) {
    const ms = Date.parse(`${item.postDateGmt.replace(' ', 'T')}Z`);
    if (!Number.isNaN(ms)) return ms;
  }
  if (item.pubDate) {
    const ms = Date.parse(item.pubDate);
    if (!Number.isNaN(ms) && !item.pubDate.startsWith('Mon, 30 Nov -0001')) return ms;
  }
  return item.postDate ? wallClock.parse(item.postDate) : null;
}

export function wxrDraft(item: WxrItem, index: WxrIndex, options: ImportSourceOptions, wallClock: DatelineParser): ImportDraft {
  const repairs: string[] = [];
  let headline = item.title.replace(BIDI_CONTROLS, '');
  if (headline !== item.title) repairs.push('removed bidirectional override characters from the headline');
  if (!headline.trim()) {
    headline = `(untitled ${item.postType} ${item.postId})`;
    repairs.push('the post had no title: named it by its id');
  }
  const publishedAt = publishedAtOf(item, wallClock);
  const status = item.status === 'publish' || item.status === 'future' ? 'published' : 'draft';
  if (item.status === 'private' || item.status === 'pending') repairs.push(`status "${item.status}" imported as a draft`);
  if (status === 'published' && publishedAt === null) repairs.push('no usable date: published at import time');
  const section = item.categories.find((c) => c.domain === 'category');
  const tags = item.categories.filter((c) => c.domain === 'post_tag').map((c) => ({ kind: 'topic' as const, name: c.name }));
  const { email, name } = authorOf(item.creator, index);
  const body = wpAutoP(item.content, repairs);
  const bodyMedia: ImportMedia[] = [];
  const bodyHtml = body.replace(/<img\b[^>]*\bsrc="([^"]+)"/gi, (tag, src: string) => {
    const media = uploadMedia(src, options, index);
    if (!media) return tag;
    bodyMedia.push(media);
    return media.localPath ? tag.replace(src, `/media/${media.key}`) : tag;
  });
  const thumbnail = index.attachments.get(item.meta._thumbnail_id ?? '');
  const leadMedia = thumbnail ? uploadMedia(thumbnail.url, options, index, thumbnail.title, thumbnail.name) : null;
  const slug = decodeSlug(item.postName);
  return {
    sourceKey: `wxr:${index.baseSiteUrl}:${item.postId}`,
    kind: 'wxr',
    language: index.language || options.language,
    contentTypeId: options.contentTypeId,
    section: section ? { slug: section.nicename || section.name, name: section.name } : options.section,
    status,
    headline,
    ...(slug ? { slug } : {}),
    dek: item.excerpt.replace(/<[^>]+>/g, '').trim(),
    bodyHtml,
    byline: name,
    publishedAt,
    tags,
    leadMedia,
    bodyMedia,
    linkOrigins: [...index.hosts].flatMap((h) => [`http://${h}`, `https://${h}`]),
    redirects: [...new Set([pathOf(item.link, index), pathOf(item.guid, index)].filter((p): p is string => !!p && p !== '/'))],
    author: { email, name },
    repairs,
  };
}

function decodeSlug(postName: string): string {
  try {
    return decodeURIComponent(postName).replace(/\.html?$/, '');
  } catch {
    return postName;
  }
}

/** The path of an old permalink on the exported site (`/2008/09/hello/`, `/?p=12`), or null for other sites. */
function pathOf(url: string, index: WxrIndex): string | null {
  if (!url) return null;
  try {
    const base = new URL(index.baseSiteUrl || 'http://localhost/');
    const u = new URL(url, base);
    if (u.host !== base.host && !index.hosts.has(u.host)) return null;
    return u.pathname + u.search;
  } catch {
    return null;
  }
}

/** An uploaded file the post uses, under its old path; copied from `mediaDir` when there. */
function uploadMedia(url: string, options: ImportSourceOptions, index: WxrIndex, alt = '', slug = ''): ImportMedia | null {
  let u: URL;
  try {
    u = new URL(url.trim(), index.baseSiteUrl || 'http://localhost/');
  } catch {
    return null;
  }
  const type = mediaTypeOf(u.pathname) ?? mediaTypeOf(slug.replace(/[-_](\w+)$/, '.$1'));
  if (!type || !/^https?:$/.test(u.protocol)) return null;
  const key = decodeURIComponent(u.pathname).replace(/^\/+/, '');
  if (!key || key.includes('..')) return null;
  const uploadsRelative = key.includes('uploads/') ? key.slice(key.indexOf('uploads/') + 'uploads/'.length) : key;
  return { key, ...type, url: u.toString(), alt, ...(options.mediaDir ? { localPath: join(options.mediaDir, uploadsRelative) } : {}) };
}
