/** Shapes of the admin API (docs/admin-api.md). */

export type Role = 'owner' | 'editor' | 'author' | 'contributor';
export type ArticleStatus = 'draft' | 'submitted' | 'scheduled' | 'published' | 'unpublished' | 'killed';
export type TagKind = 'topic' | 'person' | 'organisation' | 'place';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface SessionInfo {
  user: User;
  csrfToken: string;
}

export interface Rendition {
  ratio: string;
  width: number;
  format: string;
  url: string;
}

export interface Media {
  id: number;
  kind: 'image' | 'video';
  key: string;
  url: string;
  mime: string;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  posterUrl: string | null;
  alt: string;
  caption: string;
  credit: string;
  licence: string;
  focalX: number | null;
  focalY: number | null;
  renditions: Rendition[];
  usedBy: number;
  warnings: string[];
  createdAt: string;
}

export interface ArticleTag {
  kind: TagKind;
  name: string;
}

export interface RelatedLink {
  id: number;
  headline: string;
  pinned: boolean;
  sort?: number;
  status?: ArticleStatus;
}

export interface Correction {
  at: string;
  note: string;
}

export interface AdminArticleSummary {
  id: number;
  status: ArticleStatus;
  revision: number;
  language: string;
  direction: 'ltr' | 'rtl';
  headline: string;
  dek: string;
  sectionId: number;
  contentTypeId: number;
  byline: string;
  source: string;
  place: string;
  leadMediaId: number | null;
  leadMedia: Media | null;
  tags: ArticleTag[];
  authorId: number;
  authorName: string;
  scheduledAt: string | null;
  embargoUntil: string | null;
  publishedAt: string | null;
  firstPublishedAt: string | null;
  updatedAt: string;
  publicUrl: string | null;
  previewUrl: string;
}

export interface AdminArticle extends AdminArticleSummary {
  bodyHtml: string;
  related: RelatedLink[];
  corrections: Correction[];
}

/** The editable part of an article: what PUT/autosave send. */
export interface ArticleFields {
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
  tags: ArticleTag[];
  related: { id: number; pinned: boolean }[];
}

export interface Section {
  id: number;
  slug: string;
  name: string;
  names?: Record<string, string>;
  position?: number;
}

export interface ContentType {
  id: number;
  name: string;
  label?: string;
}

export interface RevisionSummary {
  number: number;
  createdAt: string;
  userId: number | null;
  userName: string | null;
  autosave: boolean;
  headline: string;
}

export interface RevisionDiff {
  fields: { field: string; before: unknown; after: unknown }[];
  bodyDiff: { op: 'equal' | 'insert' | 'delete'; text: string }[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type TransitionAction = 'submit' | 'return' | 'publish' | 'schedule' | 'unpublish' | 'kill' | 'correct' | 'embargo';
