import type { ExpressionBuilder } from 'kysely';
import type { Media, MediaKind } from '../../domain/article.js';
import type { Database } from '../schema.js';

/** Media columns selected through `left join media as m`, prefixed `m_`. */
export const LEAD_MEDIA_COLUMNS = [
  'm.id as m_id',
  'm.kind as m_kind',
  'm.storage_key as m_key',
  'm.mime as m_mime',
  'm.width as m_width',
  'm.height as m_height',
  'm.duration_ms as m_duration_ms',
  'm.poster_key as m_poster_key',
  'm.alt as m_alt',
  'm.caption as m_caption',
  'm.credit as m_credit',
  'm.licence as m_licence',
  'm.focal_x as m_focal_x',
  'm.focal_y as m_focal_y',
  'm.rendition_version as m_rendition_version',
  'm.state as m_state',
] as const;

export interface LeadMediaColumns {
  m_id: number | null;
  m_kind: string | null;
  m_key: string | null;
  m_mime: string | null;
  m_width: number | null;
  m_height: number | null;
  m_duration_ms: number | null;
  m_poster_key: string | null;
  m_alt: string | null;
  m_caption: string | null;
  m_credit: string | null;
  m_licence: string | null;
  m_focal_x: number | null;
  m_focal_y: number | null;
  m_rendition_version: number | null;
  m_state: string | null;
}

export function leadMediaFromRow(row: LeadMediaColumns): Media | null {
  if (row.m_id === null || row.m_id === undefined) return null;
  return {
    id: row.m_id,
    kind: row.m_kind as MediaKind,
    key: row.m_key ?? '',
    mime: row.m_mime ?? '',
    width: row.m_width,
    height: row.m_height,
    durationMs: row.m_duration_ms,
    posterKey: row.m_poster_key,
    alt: row.m_alt ?? '',
    caption: row.m_caption ?? '',
    credit: row.m_credit ?? '',
    licence: row.m_licence ?? '',
    focalX: row.m_focal_x ?? 0.5,
    focalY: row.m_focal_y ?? 0.5,
    renditionVersion: row.m_rendition_version ?? 1,
    state: (row.m_state ?? 'ready') as Media['state'],
  };
}

/** `status = 'published' and published_at <= now`: what readers may see. */
export function isVisible(now: number) {
  return (eb: ExpressionBuilder<Database, 'articles'>) =>
    eb.and([eb('articles.status', '=', 'published'), eb('articles.published_at', '<=', now)]);
}

/**
 * A search document's stored term counts (`top_terms`, `JSON.stringify` of `[term, count]`
 * pairs) read back. The related engine reads some 130 of them per list, and JSON.parse's
 * small arrays were a fifth of its CPU: this reads the one shape the index writes
 * (whole non-negative counts, terms without escapes) 2.3 times faster, and hands
 * anything else to JSON.parse, so the result is JSON.parse's.
 */
export function parseTermCounts(json: string): [string, number][] {
  const viaJson = () => JSON.parse(json) as [string, number][];
  const end = json.length - 1;
  if (json.includes('\\') || json.charCodeAt(0) !== 91 /* [ */ || json.charCodeAt(end) !== 93 /* ] */) return viaJson();
  const out: [string, number][] = [];
  if (end === 1) return out;
  for (let i = 1; ; ) {
    // ["term",count] at i
    if (json.charCodeAt(i) !== 91 || json.charCodeAt(i + 1) !== 34 /* " */) return viaJson();
    const close = json.indexOf('"', i + 2);
    if (close < 0 || json.charCodeAt(close + 1) !== 44 /* , */) return viaJson();
    const digits = close + 2;
    let j = digits;
    let n = 0;
    for (let ch = json.charCodeAt(j); ch >= 48 && ch <= 57; ch = json.charCodeAt(++j)) n = n * 10 + (ch - 48);
    // No digits, a leading zero (JSON allows only "0"), or more digits than are exact: JSON.parse decides.
    if (j === digits || j - digits > 15 || (json.charCodeAt(digits) === 48 && j - digits > 1) || json.charCodeAt(j) !== 93) return viaJson();
    out.push([json.slice(i + 2, close), n]);
    i = j + 1;
    if (i === end) return out;
    if (json.charCodeAt(i) !== 44 /* , */) return viaJson();
    i++;
  }
}
