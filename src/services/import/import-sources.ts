import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DatelineParser } from '../../domain/dateline-parse.js';
import type { ImportCatalog, ImportDraft, ImportKind } from '../../domain/import-draft.js';
import { parseHtmlPage } from './html-page.parser.js';
import { parseLegacyText } from './legacy-page.parser.js';
import { wxrSource } from './wxr.parser.js';
import { feedEntryDraft, parseFeed } from './feed.parser.js';
import { ninjsDraft } from './ninjs.parser.js';

export interface ImportSourceOptions {
  /** Zone and pattern of the old site's datelines. */
  timeZone: string;
  datelineFormat: string;
  language: string;
  contentTypeId: number;
  section: { slug: string; name: string };
  /** Folder holding the old site's media under their `/YYYY/MM/DD/…` paths (copied into the store). */
  mediaDir?: string;
  /** Old site origin (`https://old.example.org`): links to it are rewritten to imported articles. */
  oldOrigin?: string;
  /** WXR: import pages as well as posts. */
  pages?: boolean;
}

export type SourceItem = ImportDraft | { failed: string; sourceKey: string };

export interface ImportSource {
  /** Items expected (for the progress bar); null when unknown. */
  total: number | null;
  items: AsyncIterable<SourceItem>;
  /** Authors, terms and media the source defines apart from its items (WXR). */
  catalog?: ImportCatalog;
}

const LEGACY_EXTENSIONS = new Set(['.txt', '.html', '.htm']);

/** Every file under the given paths (folders walked in name order) with one of the extensions. */
export async function listFiles(paths: string[], extensions: Set<string>): Promise<string[]> {
  const out: string[] = [];
  const walk = async (path: string) => {
    const s = await stat(path);
    if (s.isDirectory()) {
      for (const name of (await readdir(path)).sort()) await walk(join(path, name));
    } else if (extensions.has(extname(path).toLowerCase())) out.push(path);
  };
  for (const p of paths) await walk(p);
  return out;
}

/** Legacy pages: text exports (`.txt`) and saved HTML pages (`.html`), one article each. */
export async function legacySource(paths: string[], options: ImportSourceOptions): Promise<ImportSource> {
  const files = await listFiles(paths, LEGACY_EXTENSIONS);
  const dateline = new DatelineParser(options.timeZone, options.datelineFormat);
  async function* items(): AsyncIterable<SourceItem> {
    for (const file of files) {
      try {
        const text = await readFile(file, 'utf8');
        const ext = extname(file).toLowerCase();
        yield ext === '.txt'
          ? parseLegacyText(file, text, { dateline, language: options.language, contentTypeId: options.contentTypeId, section: options.section })
          : parseHtmlPage(file, text, { dateline, language: options.language, contentTypeId: options.contentTypeId, section: options.section, mediaDir: options.mediaDir });
      } catch (err) {
        yield { sourceKey: `file:${file}`, failed: `${file}: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
  }
  return { total: files.length, items: items() };
}

/** RSS, Atom and JSON Feed documents: one article per entry; the feed's title is the source. */
export async function feedSource(paths: string[], options: ImportSourceOptions): Promise<ImportSource> {
  const files = await listFiles(paths, new Set(['.xml', '.rss', '.atom', '.rdf', '.json']));
  async function* items(): AsyncIterable<SourceItem> {
    for (const file of files) {
      let feed;
      try {
        feed = parseFeed(await readFile(file, 'utf8'));
      } catch (err) {
        yield { sourceKey: `file:${file}`, failed: `${file}: ${err instanceof Error ? err.message : String(err)}` };
        continue;
      }
      for (const entry of feed.entries) yield feedEntryDraft(entry, feed, options);
    }
  }
  return { total: null, items: items() };
}

/** ninjs documents (`.json`, one document or an array of them each): text items become articles. */
export async function ninjsSource(paths: string[], options: ImportSourceOptions): Promise<ImportSource> {
  const files = await listFiles(paths, new Set(['.json']));
  async function* items(): AsyncIterable<SourceItem> {
    for (const file of files) {
      try {
        const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
        for (const doc of Array.isArray(parsed) ? parsed : [parsed]) {
          const draft = ninjsDraft(doc, options);
          if (draft) yield draft;
        }
      } catch (err) {
        yield { sourceKey: `file:${file}`, failed: `${file}: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
  }
  return { total: files.length, items: items() };
}

export type SourceFactory = (paths: string[], options: ImportSourceOptions) => Promise<ImportSource>;

export const SOURCES: Partial<Record<ImportKind, SourceFactory>> = {
  legacy: legacySource,
  wxr: wxrSource,
  feed: feedSource,
  ninjs: ninjsSource,
};
