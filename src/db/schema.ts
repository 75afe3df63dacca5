import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * Table types for Kysely. Times are epoch milliseconds (BIGINT on both engines) so
 * ordering, cursors and comparisons are identical on SQLite and PostgreSQL.
 * Flags are 0/1 integers for the same reason.
 */
import type { ImportTables } from './schema/import.schema.js';
import type { JobTables } from './schema/jobs.schema.js';
import type { MailTables } from './schema/mail.schema.js';
import type { MediaLibraryTables } from './schema/media-library.schema.js';
import type { NewsroomArticleColumns, NewsroomTables } from './schema/newsroom.schema.js';
import type { SearchTables } from './schema/search.schema.js';

/** Every table; each area keeps its own tables in `schema/<area>.schema.ts`. */
export interface Database extends ContentTables, JobTables, NewsroomTables, SearchTables, MediaLibraryTables, MailTables, ImportTables {}

/** The content model (migration 001). */
export interface ContentTables {
  content_types: ContentTypeTable;
  sections: SectionTable;
  tags: TagTable;
  media: MediaTable;
  articles: ArticleTable;
  article_tags: ArticleTagTable;
  related: RelatedTable;
  related_basis: RelatedBasisTable;
  article_vectors: ArticleVectorTable;
  counters: CounterTable;
  article_counts: ArticleCountTable;
}

export interface ContentTypeTable {
  id: number;
  name: string;
  label: string;
}

export interface SectionTable {
  id: Generated<number>;
  slug: string;
  name: string;
  /** JSON object of localized names: `{"ar": "…"}`. */
  names_json: ColumnType<string, string | undefined, string>;
  position: ColumnType<number, number | undefined, number>;
}

export type TagKind = 'topic' | 'person' | 'organisation' | 'place';

export interface TagTable {
  id: Generated<number>;
  slug: string;
  name: string;
  kind: TagKind;
  language: string;
}

export type MediaKind = 'image' | 'video';
export type MediaState = 'none' | 'processing' | 'ready' | 'failed';

export interface MediaTable {
  id: Generated<number>;
  kind: MediaKind;
  /** Date folder + tick name, e.g. `2013/05/31/site_635056300967158844_25f_4x3.jpg`. */
  storage_key: string;
  mime: string;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  /** Poster image key of a video. */
  poster_key: string | null;
  alt: string;
  caption: string;
  credit: string;
  created_at: number;
  // Media library (migration 006).
  licence: ColumnType<string, string | undefined, string>;
  focal_x: ColumnType<number, number | undefined, number>;
  focal_y: ColumnType<number, number | undefined, number>;
  original_name: ColumnType<string, string | undefined, string>;
  bytes: ColumnType<number, number | undefined, number>;
  codecs: ColumnType<string, string | undefined, string>;
  /** Bumped when renditions are redone (new focal point): part of rendition names. */
  rendition_version: ColumnType<number, number | undefined, number>;
  /** `ready` once renditions exist; `processing` until then; `failed` when they could not be made; `none` for items without renditions (imports). */
  state: ColumnType<MediaState, MediaState | undefined, MediaState>;
  /** JSON array of human-readable warnings (e.g. ffmpeg missing). */
  warnings_json: ColumnType<string, string | undefined, string>;
}

export type ArticleStatus = 'draft' | 'submitted' | 'scheduled' | 'published' | 'unpublished' | 'killed';

/** Workflow columns (author, schedule, embargo, corrections) come from migration 004. */
export interface ArticleTable extends NewsroomArticleColumns {
  id: Generated<number>;
  language: string;
  /** Shared by the versions of one story in several languages (migration 027 indexes it). */
  translation_group: string | null;
  /** The article a "Translate into…" draft was made from (027). */
  translation_of: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1 while a translation draft still holds the source's text (027). */
  needs_translation: ColumnType<number, number | undefined, number>;
  content_type_id: number;
  section_id: number;
  status: ArticleStatus;
  slug: string;
  headline: string;
  dek: string;
  body_html: string;
  body_text: string;
  byline: string;
  source: string;
  place: string;
  lead_media_id: number | null;
  first_published_at: number | null;
  published_at: number | null;
  created_at: number;
  updated_at: number;
  revision: ColumnType<number, number | undefined, number>;
}

export interface ArticleTagTable {
  article_id: number;
  tag_id: number;
  position: number;
}

export interface RelatedTable {
  article_id: number;
  related_id: number;
  /** From the global `related_sort` counter when the link was made; the list order. */
  sort: number;
  pinned: number;
  score: number | null;
}

/** A term's row of the semantic basis (float32 bytes, migration 026). */
export interface RelatedBasisTable {
  term: string;
  vector: Uint8Array;
}

/** An article's semantic vector (float32 bytes, migration 026). */
export interface ArticleVectorTable {
  article_id: number;
  vector: Uint8Array;
}

export interface CounterTable {
  name: string;
  value: number;
}

/** Published articles per section and language (migration 035; triggers keep it; PostgreSQL sums a count's slots). */
export interface ArticleCountTable {
  section_id: number;
  language: string;
  slot: number;
  published: number;
}

export type ArticleRow = Selectable<ArticleTable>;
export type NewArticleRow = Insertable<ArticleTable>;
export type MediaRow = Selectable<MediaTable>;
export type NewMediaRow = Insertable<MediaTable>;
export type SectionRow = Selectable<SectionTable>;
export type TagRow = Selectable<TagTable>;
export type ContentTypeRow = Selectable<ContentTypeTable>;
