import type { ColumnType, Generated } from 'kysely';

/** Wire sources, their items (the Incoming queue) and imported links awaiting their target (migration 019). */
export interface WireTables {
  wire_sources: WireSourceTable;
  wire_items: WireItemTable;
  import_links: ImportLinkTable;
}

declare module '../schema.js' {
  interface Database extends WireTables {}
}

export type WireSourceKind = 'feed' | 'ninjs' | 'folder';
export type WirePollStatus = 'ok' | 'not-modified' | 'error';

export interface WireSourceTable {
  id: Generated<number>;
  name: string;
  /** `feed` (RSS, Atom, JSON Feed URL), `ninjs` (URL of a ninjs document or array), `folder` (files on this server). */
  kind: WireSourceKind;
  /** URL, or folder path under WIRE_FOLDER_ROOT. */
  location: string;
  /** Agency credited as the draft's source; empty: the source's name. */
  agency: ColumnType<string, string | undefined, string>;
  /** Language of items that do not name one. */
  language: ColumnType<string, string | undefined, string>;
  interval_seconds: number;
  enabled: number;
  /** Validators of the last 200 answer, sent back as If-None-Match / If-Modified-Since. */
  etag: string | null;
  last_modified: string | null;
  last_polled_at: number | null;
  last_status: WirePollStatus | null;
  last_error: string | null;
  /** Failed polls in a row: the next poll waits interval × 2^streak (capped). */
  failure_streak: ColumnType<number, number | undefined, number>;
  next_poll_at: number | null;
  items_received: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
}

export interface WireItemTable {
  id: Generated<number>;
  source_id: number;
  guid: string;
  /** Hash of headline + text: the same story under another guid (or from another source) is dropped. */
  content_hash: string;
  headline: string;
  summary: string;
  /** Sanitized with the editor's allowlist. */
  body_html: string;
  byline: string;
  language: string;
  link: string;
  published_at: number | null;
  received_at: number;
  /** The draft made from it, once an editor did. */
  article_id: number | null;
  drafted_at: number | null;
  /** When the source last sent this guid again with other text (an agency correction); null if never. */
  corrected_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ImportLinkTable {
  /** An imported article whose body links to `target_path` on the old site. */
  article_id: number;
  /** Old site path (+ query), e.g. `/2008/09/hello-world/` or `/news/1479894`. */
  target_path: string;
}
