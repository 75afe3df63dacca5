import { diffWords } from 'diff';
import type { ArticleContent } from './admin-article.js';

/**
 * Comparing two revisions as an editor reads them: each field rendered as text
 * (names for ids, headlines for pinned stories, plain text for the body), with
 * word-level insertions and deletions from the older revision to the newer one.
 */

export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface FieldComparison {
  field: string;
  label: string;
  before: string;
  after: string;
  parts: DiffPart[];
}

/** Names the renderer needs for ids (sections, content types, media, articles). */
export interface CompareNames {
  section(id: number): string;
  contentType(id: number): string;
  media(id: number): string;
  article(id: number): string;
  /** Plain text of body HTML, one line per block. */
  bodyText(html: string): string;
}

type Snapshot = ArticleContent & { status?: string };

const FIELDS: { field: string; label: string; render: (c: Snapshot, n: CompareNames) => string }[] = [
  { field: 'status', label: 'Status', render: (c) => c.status ?? '' },
  { field: 'headline', label: 'Headline', render: (c) => c.headline },
  { field: 'dek', label: 'Dek', render: (c) => c.dek },
  { field: 'bodyHtml', label: 'Body', render: (c, n) => n.bodyText(c.bodyHtml) },
  { field: 'sectionId', label: 'Section', render: (c, n) => n.section(c.sectionId) },
  { field: 'contentTypeId', label: 'Content type', render: (c, n) => n.contentType(c.contentTypeId) },
  { field: 'language', label: 'Language', render: (c) => c.language },
  { field: 'byline', label: 'Byline', render: (c) => c.byline },
  { field: 'source', label: 'Source', render: (c) => c.source },
  { field: 'place', label: 'Place', render: (c) => c.place },
  { field: 'tags', label: 'Tags', render: (c) => c.tags.map((t) => `${t.name} (${t.kind})`).join(', ') },
  { field: 'leadMediaId', label: 'Lead media', render: (c, n) => (c.leadMediaId === null ? '' : n.media(c.leadMediaId)) },
  { field: 'pins', label: 'Pinned related stories', render: (c, n) => c.related.filter((r) => r.pinned).map((r) => n.article(r.id)).join('\n') },
];

/** Word-level changes from `before` to `after`. */
export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWords(before, after).map((p) => ({ op: p.added ? 'insert' : p.removed ? 'delete' : 'equal', text: p.value }));
}

/** The fields that differ between `older` and `newer`, rendered, with word diffs from older to newer. */
export function compareRevisions(older: Snapshot, newer: Snapshot, names: CompareNames): FieldComparison[] {
  const out: FieldComparison[] = [];
  for (const { field, label, render } of FIELDS) {
    const before = render(older, names);
    const after = render(newer, names);
    if (before !== after) out.push({ field, label, before, after, parts: wordDiff(before, after) });
  }
  return out;
}
