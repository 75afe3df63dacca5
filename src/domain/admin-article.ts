import type { ArticleStatus, Media, TagKind } from './article.js';
import type { TextDirection } from './language.js';
import type { Correction } from './workflow.js';

/** The newsroom's view of an article, any status (times are epoch ms). */
export interface AdminArticleSummary {
  id: number;
  status: ArticleStatus;
  revision: number;
  language: string;
  direction: TextDirection;
  slug: string;
  headline: string;
  dek: string;
  sectionId: number;
  contentTypeId: number;
  byline: string;
  source: string;
  place: string;
  leadMediaId: number | null;
  leadMedia: Media | null;
  tags: { kind: TagKind; name: string }[];
  authorId: number | null;
  authorName: string | null;
  scheduledAt: number | null;
  embargoUntil: number | null;
  publishedAt: number | null;
  firstPublishedAt: number | null;
  updatedAt: number;
}

export interface AdminRelatedLink {
  id: number;
  headline: string;
  pinned: boolean;
  sort: number;
  status: ArticleStatus;
}

export interface AdminArticle extends AdminArticleSummary {
  bodyHtml: string;
  related: AdminRelatedLink[];
  corrections: Correction[];
}

/** The editable fields of an article, as a revision stores them. */
export interface ArticleContent {
  headline: string;
  dek: string;
  bodyHtml: string;
  sectionId: number;
  contentTypeId: number;
  language: string;
  byline: string;
  source: string;
  place: string;
  leadMediaId: number | null;
  tags: { kind: TagKind; name: string }[];
  related: { id: number; pinned: boolean }[];
}

/** A revision snapshot: the content plus the status it had. */
export interface RevisionSnapshot extends ArticleContent {
  status: ArticleStatus;
}

export function contentOf(a: AdminArticle): ArticleContent {
  return {
    headline: a.headline,
    dek: a.dek,
    bodyHtml: a.bodyHtml,
    sectionId: a.sectionId,
    contentTypeId: a.contentTypeId,
    language: a.language,
    byline: a.byline,
    source: a.source,
    place: a.place,
    leadMediaId: a.leadMediaId,
    tags: a.tags.map((t) => ({ kind: t.kind, name: t.name })),
    related: a.related.map((r) => ({ id: r.id, pinned: r.pinned })),
  };
}
