import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, normalize } from 'node:path';
import { mediaTypeOf, type ImportMedia } from '../../domain/import-draft.js';

const IMG_SRC = /(<img\b[^>]*?\bsrc=")([^"]+)(")/gi;
const DATED = /^\/\d{4}\/\d{2}\/\d{2}\/[^/]+$/;
/** Readability resolves relative sources against this when the page names no address. */
const PLACEHOLDER_HOST = 'localhost';

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/**
 * Images a saved page's body shows, as media: a file beside the page (`page_files/a.jpg`,
 * or the same name next to it) or under `mediaDir` at the old path is imported and the
 * body points at its new `/media/…` address; an image found nowhere stays a reference
 * to its old address. Old dated paths (`/2013/05/31/…`) are kept as storage keys.
 */
export function pageImages(html: string, pagePath: string, ownKey: string, mediaDir?: string): { html: string; media: ImportMedia[] } {
  const media = new Map<string, ImportMedia>();
  const beside = dirname(pagePath);
  const out = html.replace(IMG_SRC, (whole, open: string, src: string, close: string) => {
    let url: URL;
    try {
      url = new URL(src.replace(/&amp;/g, '&'));
    } catch {
      return whole;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return whole;
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return whole;
    }
    const type = mediaTypeOf(path);
    if (!type || path.includes('..')) return whole;
    const relative = url.hostname === PLACEHOLDER_HOST;
    const candidates = [
      ...(relative ? [join(beside, normalize(path.replace(/^\/+/, '')))] : []),
      ...(mediaDir && !relative ? [join(mediaDir, normalize(path))] : []),
      join(beside, basename(path)),
    ];
    const localPath = candidates.find((c) => existsSync(c) && isFile(c));
    // Not saved with the page: keep its relative address (not the placeholder host's).
    if (!localPath && relative) return `${open}${path.replace(/^\/+/, '').replace(/"/g, '%22')}${close}`;
    const key = DATED.test(path) ? path.slice(1) : `imported/${ownKey}/${basename(path)}`;
    media.set(key, { key, ...type, ...(localPath ? { localPath } : { url: url.toString() }) });
    return localPath ? `${open}/media/${key}${close}` : whole;
  });
  return { html: out, media: [...media.values()] };
}
