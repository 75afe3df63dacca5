import { trimTrailingEmptyParagraphs } from '../../src/domain/body-blocks.js';
import type { AdminArticle, ArticleFields, ArticleTag, MediaInfo, RelatedLink } from './types.js';
import { t } from './i18n.js';

/** What the editor screen holds: the article fields plus what it needs to display them. */
export interface EditorForm {
  headline: string;
  dek: string;
  bodyHtml: string;
  sectionId: number;
  contentTypeId: number;
  language: string;
  byline: string;
  source: string;
  place: string;
  leadMedia: MediaInfo | null;
  tags: ArticleTag[];
  related: RelatedLink[];
}

export function emptyForm(defaults: Partial<EditorForm> = {}): EditorForm {
  return { headline: '', dek: '', bodyHtml: '', sectionId: 0, contentTypeId: 21, language: 'en', byline: '', source: '', place: '', leadMedia: null, tags: [], related: [], ...defaults };
}

export function formFromArticle(a: AdminArticle): EditorForm {
  return {
    headline: a.headline ?? '',
    dek: a.dek ?? '',
    bodyHtml: a.bodyHtml ?? '',
    sectionId: a.sectionId,
    contentTypeId: a.contentTypeId,
    language: a.language,
    byline: a.byline ?? '',
    source: a.source ?? '',
    place: a.place ?? '',
    leadMedia: a.leadMedia ?? null,
    tags: a.tags ?? [],
    related: (a.related ?? []).map((r) => ({ id: r.id, headline: r.headline, pinned: r.pinned, status: r.status })),
  };
}

/** The request body of POST/PUT/autosave. */
export function bodyFromForm(f: EditorForm): ArticleFields {
  return {
    headline: f.headline,
    dek: f.dek,
    // An empty paragraph left by a final Enter is not content.
    bodyHtml: trimTrailingEmptyParagraphs(f.bodyHtml),
    sectionId: f.sectionId,
    contentTypeId: f.contentTypeId,
    language: f.language,
    byline: f.byline,
    source: f.source,
    place: f.place,
    leadMediaId: f.leadMedia?.id ?? null,
    tags: f.tags.map((t) => ({ kind: t.kind, name: t.name })),
    related: f.related.map((r) => ({ id: r.id, pinned: r.pinned })),
  };
}

/** Fields compared (and merged one by one) when a save meets a newer revision. */
export const MERGE_FIELDS = ['headline', 'dek', 'sectionId', 'contentTypeId', 'language', 'byline', 'source', 'place', 'leadMedia', 'tags', 'related', 'bodyHtml'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

/** A merge field's name in the interface language. */
export function fieldLabel(field: MergeField): string {
  return t(`common.fields.${field}`);
}

/** A comparable form of one field (ids for objects, normalised body HTML). */
export function fieldKey(f: EditorForm, field: MergeField): string {
  const v = f[field];
  if (field === 'leadMedia') return String(f.leadMedia?.id ?? '');
  if (field === 'related') return JSON.stringify(f.related.map((r) => [r.id, r.pinned]));
  if (field === 'tags') return JSON.stringify(f.tags.map((t) => [t.kind, t.name]));
  if (field === 'bodyHtml') return normaliseHtml(f.bodyHtml);
  return String(v);
}

function normaliseHtml(html: string): string {
  return html.replace(/\s+/g, ' ').replace(/> </g, '><').replace(/<p><\/p>/g, '').trim();
}

export function sameForm(a: EditorForm, b: EditorForm): boolean {
  return MERGE_FIELDS.every((f) => fieldKey(a, f) === fieldKey(b, f));
}
