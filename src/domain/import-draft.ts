import type { MediaKind, TagKind } from './article.js';

/** Source kinds `dateline import <kind>` reads. */
export const IMPORT_KINDS = ['legacy', 'wxr', 'feed', 'ninjs', 'dateline'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** A media item an import refers to, under the storage key it keeps (old paths stay). */
export interface ImportMedia {
  /** Storage key without a leading slash: `2013/05/31/alalam_635056300967158844_25f_4x3.jpg`. */
  key: string;
  kind: MediaKind;
  mime: string;
  /** Where the bytes are, when known: a local file (copied into the store) … */
  localPath?: string;
  /** … or the original URL (kept as a reference). */
  url?: string;
  alt?: string;
  caption?: string;
  credit?: string;
}

/** A related item as the legacy site listed it (its `sort` belongs to the link). */
export interface LegacyRelatedRef {
  id: number;
  sort: number;
  contentTypeId: number;
  /** `/YYYY/MM/DD/<name>` as the old site served it. */
  pic: string;
  title: string;
}

/** What every parser produces and the import service writes: one article. */
export interface ImportDraft {
  /** Idempotency key: a re-run with the same key updates or skips, never duplicates. */
  sourceKey: string;
  kind: ImportKind;
  /** Keep this article id (the legacy site's id, or an exported Dateline id). */
  id?: number;
  language: string;
  contentTypeId?: number;
  section?: { slug: string; name: string };
  status: 'published' | 'draft';
  headline: string;
  dek?: string;
  /** Untrusted HTML: the import service sanitizes it. */
  bodyHtml: string;
  byline?: string;
  /** Agency or original source. */
  source?: string;
  place?: string;
  publishedAt?: number | null;
  tags?: { kind: TagKind; name: string }[];
  leadMedia?: ImportMedia | null;
  /** Images the body shows, imported as media under their old paths. */
  bodyMedia?: ImportMedia[];
  /** Keep this slug (WordPress post name); else one is made from the headline. */
  slug?: string;
  related?: LegacyRelatedRef[];
  /** Origins of the site the draft comes from (a WXR's site URL): links to them are old-site links. */
  linkOrigins?: string[];
  /** Old site paths that should 301 to the imported article. */
  redirects?: string[];
  /** Author to credit (WXR): becomes a newsroom user without a password. */
  author?: { email: string; name: string };
  /** What the parser repaired or dropped, in words an editor understands. */
  repairs: string[];
}

/**
 * What a source defines besides its items (a WordPress export's authors, categories,
 * tags and attachments): written before the items, so terms no post uses, authors
 * without posts and unattached uploads arrive too.
 */
export interface ImportCatalog {
  users: { email: string; name: string }[];
  sections: { slug: string; name: string }[];
  tags: { name: string; kind: TagKind }[];
  media: ImportMedia[];
  language: string;
}

/** One line of the per-item report. */
export interface ImportItemReport {
  sourceKey: string;
  action: 'created' | 'updated' | 'skipped' | 'failed';
  articleId: number | null;
  headline: string;
  /** What was repaired or dropped, and why (an item with any is counted as repaired too). */
  repairs: string[];
  /** Why the item failed. */
  error?: string;
}

const MIME_BY_EXT: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif',
  mp4: 'video/mp4', m4v: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime',
};

/** Kind and MIME type of a media path by its extension; null when it is not an image or video. */
export function mediaTypeOf(path: string): { kind: MediaKind; mime: string } | null {
  const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  const mime = MIME_BY_EXT[ext];
  if (!mime) return null;
  return { kind: mime.startsWith('video/') ? 'video' : 'image', mime };
}

/** Escapes text for HTML element content. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
