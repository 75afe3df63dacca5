import type { Generated } from 'kysely';

/** Tables of breaking news and live coverage (migration 020). */
export interface LiveTables {
  breaking_items: BreakingItemTable;
  live_blogs: LiveBlogTable;
  live_entries: LiveEntryTable;
  live_events: LiveEventTable;
}

export interface BreakingItemTable {
  id: Generated<number>;
  language: string;
  headline: string;
  /** Where the banner links: the story's path, or an editor's link. */
  url: string;
  article_id: number | null;
  alert: number;
  created_by: string;
  created_at: number;
  expires_at: number;
  cleared_at: number | null;
}

export interface LiveBlogTable {
  article_id: number;
  ended_at: number | null;
  created_at: number;
}

export interface LiveEntryTable {
  id: Generated<number>;
  article_id: number;
  /** text, picture, video, quote. */
  kind: string;
  body_html: string;
  media_id: number | null;
  quote_text: string;
  quote_source: string;
  pinned: number;
  alert: number;
  author_name: string;
  /** Editor's note shown under a corrected entry. */
  correction: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

/** Append-only: what open pages were sent, in order; SSE ids are its ids. */
export interface LiveEventTable {
  id: Generated<number>;
  /** `breaking-{lang}` or `blog-{articleId}`. */
  channel: string;
  type: string;
  /** JSON sent to readers as the event's data. */
  payload: string;
  created_at: number;
}
