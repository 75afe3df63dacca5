import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { DatelineParser } from '../../domain/dateline-parse.js';
import { escapeHtml, type ImportDraft } from '../../domain/import-draft.js';
import { stripDebugOutput } from './debug-dump.js';

export interface LegacyPageOptions {
  dateline: DatelineParser;
  language: string;
  contentTypeId: number;
  section: { slug: string; name: string };
}

/** The old article id a file name carries (`1480012.txt`, `1480012-qusayr.txt`), if any. */
export function legacyIdFromFileName(path: string): number | null {
  const m = /^(\d{1,12})(?:[-_.]|$)/.exec(basename(path));
  const id = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/**
 * A text export of an old article page: the headline (the old template printed it
 * twice), the dateline in the old site's zone and format, paragraphs separated by
 * blank lines, and leaked debug output (from which the related list is recovered).
 */
export function parseLegacyText(path: string, text: string, options: LegacyPageOptions): ImportDraft {
  const repairs: string[] = [];
  const scan = stripDebugOutput(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  repairs.push(...scan.removed);
  const blocks = scan.text
    .split(/\n\s*\n/)
    .map((b) => b.split('\n').map((l) => l.trim()).filter(Boolean))
    .filter((b) => b.length > 0);
  const lines = blocks.flatMap((b, i) => b.map((line, j) => ({ line, block: i, first: j === 0 })));
  if (lines.length === 0) throw new Error('the page has no text');

  const headline = lines[0]!.line;
  let next = 1;
  while (next < lines.length && lines[next]!.line === headline) {
    next++;
    repairs.push('removed the repeated headline line');
  }
  let publishedAt: number | null = null;
  // The dateline is the first line after the headline(s) that parses in the legacy format.
  for (let i = next; i < Math.min(lines.length, next + 3); i++) {
    const at = options.dateline.parse(lines[i]!.line);
    if (at !== null) {
      publishedAt = at;
      lines.splice(i, 1);
      break;
    }
  }
  if (publishedAt === null) repairs.push(`no dateline in the format "${options.dateline.pattern}" was found: imported as a draft`);

  const paragraphs: string[] = [];
  for (const { line, first } of lines.slice(next)) {
    // Lines of one block are one paragraph (a wrapped export); blocks are paragraphs.
    if (first || paragraphs.length === 0) paragraphs.push(line);
    else paragraphs[paragraphs.length - 1] += ` ${line}`;
  }
  const id = legacyIdFromFileName(path);
  const related = scan.related;
  return {
    sourceKey: id !== null ? `legacy:${id}` : `legacy:sha1:${createHash('sha1').update(`${headline}\n${publishedAt ?? ''}`).digest('hex')}`,
    kind: 'legacy',
    ...(id !== null ? { id } : {}),
    language: options.language,
    contentTypeId: options.contentTypeId,
    section: options.section,
    status: publishedAt === null ? 'draft' : 'published',
    headline,
    bodyHtml: paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join(''),
    publishedAt,
    related: related.filter((r) => r.id !== id),
    repairs,
  };
}
