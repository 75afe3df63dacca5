import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { WireSourceKind } from '../../db/schema/wire.schema.js';
import { canonicalLanguage } from '../../domain/language.js';
import { htmlToText, sanitizeBody } from '../html-sanitizer.js';
import { getDocument, type GetOptions } from '../webhooks/safe-http.js';
import { feedEntryDraft, parseFeed } from './feed.parser.js';
import { ninjsDraft } from './ninjs.parser.js';

/** One story a wire source offers, normalized for the Incoming queue (body already sanitized). */
export interface WireEntry {
  guid: string;
  contentHash: string;
  headline: string;
  summary: string;
  bodyHtml: string;
  byline: string;
  language: string;
  link: string;
  publishedAt: number | null;
}

/** What one read of a source gave. */
export type WireRead =
  | { status: 'not-modified' }
  | { status: 'ok'; entries: WireEntry[]; etag: string | null; lastModified: string | null; problems: string[] };

export interface WireReadSettings {
  fetch: Omit<GetOptions, 'headers'>;
}

const MAX_GUID = 1000;
const MAX_HEADLINE = 500;
const MAX_FOLDER_FILES = 500;
const DOCUMENT_FILE = /\.(xml|rss|atom|json)$/i;

/**
 * Reads a wire source with the import parsers: a URL with a conditional GET (the
 * validators of the last answer sent back; 304 reads nothing), or the documents of a
 * watched folder changed since the last read (the newest file time is the validator).
 */
export async function readWireSource(
  source: { kind: WireSourceKind; location: string; language: string; etag: string | null; lastModified: string | null },
  settings: WireReadSettings,
): Promise<WireRead> {
  if (source.kind === 'folder') return readFolder(source, settings.fetch.maxBytes);
  const headers: Record<string, string> = { accept: source.kind === 'ninjs' ? 'application/json' : 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5' };
  if (source.etag) headers['if-none-match'] = source.etag;
  if (source.lastModified) headers['if-modified-since'] = source.lastModified;
  const res = await getDocument(source.location, { ...settings.fetch, headers });
  if (res.status === 304) return { status: 'not-modified' };
  if (res.status < 200 || res.status > 299) throw new Error(`the source answered HTTP ${res.status}`);
  const problems: string[] = [];
  const entries = parseDocument(source.kind, res.body.toString('utf8'), source.language, problems);
  return { status: 'ok', entries, etag: header(res.headers.etag), lastModified: header(res.headers['last-modified']), problems };
}

const header = (v: string | string[] | undefined): string | null => (typeof v === 'string' && v.length <= 500 ? v : null);

async function readFolder(source: { location: string; language: string; etag: string | null }, maxBytes: number): Promise<WireRead> {
  const since = Number(source.etag ?? 0) || 0;
  const names = (await readdir(source.location)).filter((n) => DOCUMENT_FILE.test(n)).sort();
  const changed: { path: string; mtime: number; size: number }[] = [];
  for (const name of names) {
    const path = join(source.location, name);
    const s = await stat(path).catch(() => null);
    if (s?.isFile() && s.mtimeMs > since) changed.push({ path, mtime: s.mtimeMs, size: s.size });
  }
  if (!changed.length) return { status: 'not-modified' };
  // Oldest first, a bounded number per poll: the next poll continues from the newest time read.
  changed.sort((a, b) => a.mtime - b.mtime);
  const batch = changed.slice(0, MAX_FOLDER_FILES);
  const entries: WireEntry[] = [];
  const problems: string[] = [];
  for (const file of batch) {
    if (file.size > maxBytes) {
      problems.push(`${file.path}: larger than ${maxBytes} bytes, skipped`);
      continue;
    }
    const body = await readFile(file.path, 'utf8');
    const kind = /^\s*[[{]/.test(body) && !/jsonfeed\.org/.test(body.slice(0, 2000)) ? 'ninjs' : 'feed';
    try {
      entries.push(...parseDocument(kind, body, source.language, problems));
    } catch (err) {
      problems.push(`${file.path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { status: 'ok', entries, etag: String(batch.at(-1)!.mtime), lastModified: null, problems };
}

const DEFAULTS = { contentTypeId: 21, section: { slug: 'wire', name: 'Wire' } };

/** Parses a feed or ninjs document (one object, an array, or `{ items: [...] }`) into entries. */
export function parseDocument(kind: 'feed' | 'ninjs', body: string, language: string, problems: string[]): WireEntry[] {
  if (kind === 'feed') {
    const feed = parseFeed(body);
    return feed.entries.map((e) => entryOf(feedEntryDraft(e, feed, { ...DEFAULTS, language }), e.link, language));
  }
  let doc: unknown;
  try {
    doc = JSON.parse(body.replace(/^\uFEFF/, ''));
  } catch {
    throw new Error('not a JSON document (ninjs sources serve JSON)');
  }
  const docs = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as { items?: unknown }).items) ? (doc as { items: unknown[] }).items : [doc];
  const out: WireEntry[] = [];
  for (const d of docs) {
    try {
      const draft = ninjsDraft(d, { ...DEFAULTS, language });
      if (draft) out.push(entryOf(draft, '', language));
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  return out;
}

function entryOf(d: { sourceKey: string; headline: string; dek?: string; bodyHtml: string; byline?: string; language: string; publishedAt?: number | null }, link: string, fallbackLanguage: string): WireEntry {
  const bodyHtml = sanitizeBody(d.bodyHtml);
  const headline = d.headline.replace(/\s+/g, ' ').trim().slice(0, MAX_HEADLINE);
  const text = htmlToText(bodyHtml);
  return {
    guid: d.sourceKey.replace(/^(feed|ninjs):/, '').slice(0, MAX_GUID),
    contentHash: contentHash(headline, text),
    headline,
    summary: (d.dek ?? '').replace(/\s+/g, ' ').trim().slice(0, 1000),
    bodyHtml,
    byline: (d.byline ?? '').trim().slice(0, 300),
    language: canonicalLanguage(d.language) ?? canonicalLanguage(fallbackLanguage) ?? 'en',
    link: /^https?:\/\//i.test(link) ? link.slice(0, 2000) : '',
    publishedAt: d.publishedAt ?? null,
  };
}

/** The same story re-sent under another guid (or by another source) hashes the same. */
export function contentHash(headline: string, text: string): string {
  const norm = (s: string) => s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(`${norm(headline)}\n${norm(text)}`).digest('base64url');
}
