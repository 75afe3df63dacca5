import type { TextDirection } from './language.js';

/** Pure content-model types shared by services, the site and the API. */
export type ArticleStatus = 'draft' | 'submitted' | 'scheduled' | 'published' | 'unpublished' | 'killed';
export type MediaKind = 'image' | 'video';
export type TagKind = 'topic' | 'person' | 'organisation' | 'place';
export const TAG_KINDS: readonly TagKind[] = ['topic', 'person', 'organisation', 'place'];

export interface Media {
  id: number;
  kind: MediaKind;
  /** Storage key: `YYYY/MM/DD/<site>_<ticks>_<profile>_<ratio>.<ext>`. */
  key: string;
  mime: string;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  posterKey: string | null;
  alt: string;
  caption: string;
  credit: string;
  licence: string;
  /** Editor-set focal point, 0–1 from the left and top; crops keep it in frame. */
  focalX: number;
  focalY: number;
  renditionVersion: number;
  /** Renditions exist only when `ready`; until then pages use the original. */
  state: 'none' | 'processing' | 'ready' | 'failed';
}

export interface Section {
  id: number;
  slug: string;
  name: string;
  /** Localized names by language tag. */
  names: Record<string, string>;
  position: number;
}

export interface Tag {
  id: number;
  slug: string;
  name: string;
  kind: TagKind;
  language: string;
}

export interface ContentType {
  id: number;
  name: string;
  label: string;
}

/** What lists show: no body. */
export interface ArticleSummary {
  id: number;
  language: string;
  direction: TextDirection;
  slug: string;
  headline: string;
  dek: string;
  byline: string;
  place: string;
  contentTypeId: number;
  sectionId: number;
  status: ArticleStatus;
  publishedAt: number | null;
  updatedAt: number;
  leadMedia: Media | null;
}

/** Another visible version of a story, in another language (a translation). */
export interface ArticleVersion {
  id: number;
  language: string;
  slug: string;
}

export interface Article extends ArticleSummary {
  translationGroup: string | null;
  /** The story's other visible versions (translations), oldest first; set when read for readers. */
  translations?: ArticleVersion[];
  bodyHtml: string;
  bodyText: string;
  source: string;
  firstPublishedAt: number | null;
  createdAt: number;
  revision: number;
  tags: Tag[];
  /** Dated correction notes, oldest first (epoch ms). */
  corrections: { at: number; note: string }[];
}

/** One entry of an article's related list. */
export interface RelatedItem {
  id: number;
  /** The link's number in the global related sequence: the list order. */
  sort: number;
  pinned: boolean;
  score: number | null;
  contentTypeId: number;
  language: string;
  slug: string;
  headline: string;
  publishedAt: number | null;
  leadMedia: Media | null;
  /** Its story's translation group (null until a first translation is made; see `storyKeyGroup`). */
  translationGroup: string | null;
}

/** Public path of an article page. */
export function articlePath(article: { id: number; slug: string }): string {
  return `/news/${article.id}/${encodeURIComponent(article.slug)}`;
}

/** Public path of a stored media object. */
export function mediaPath(key: string): string {
  return `/media/${key}`;
}
