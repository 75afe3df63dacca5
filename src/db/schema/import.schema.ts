import type { ColumnType, Generated, Selectable } from 'kysely';

/** Import bookkeeping, redirects, wire sources and the Incoming queue (migration 017). */
export interface ImportTables {
  import_items: ImportItemTable;
  redirects: RedirectTable;
  wire_sources: WireSourceTable;
  incoming_items: IncomingItemTable;
}

export type ImportItemState = 'imported' | 'placeholder';

export interface ImportItemTable {
  /** `legacy:1479894`, `wxr:<site>:post:12`, `feed:<guid>`, … */
  source_key: string;
  kind: string;
  article_id: number | null;
  /** `placeholder`: a related item named by an imported page, not yet imported itself. */
  state: ImportItemState;
  /** Hash of the normalized draft: an unchanged re-run skips, a changed one updates. */
  content_hash: ColumnType<string, string | undefined, string>;
  /** 1 once search and related lists know the article (set after commit, so a crash re-indexes). */
  indexed: ColumnType<number, number | undefined, number>;
  updated_at: number;
}

export interface RedirectTable {
  /** An old site path (`/2008/09/hello-world/`, `/?p=12`). */
  path: string;
  article_id: number;
  created_at: number;
}

export interface WireSourceTable {
  name: string;
  etag: ColumnType<string, string | undefined, string>;
  last_modified: ColumnType<string, string | undefined, string>;
  failures: ColumnType<number, number | undefined, number>;
  last_polled_at: number | null;
  last_error: ColumnType<string, string | undefined, string>;
}

export type IncomingStatus = 'new' | 'drafted' | 'dismissed';

export interface IncomingItemTable {
  id: Generated<number>;
  source: string;
  guid: string;
  content_hash: string;
  language: string;
  headline: string;
  summary: ColumnType<string, string | undefined, string>;
  byline: ColumnType<string, string | undefined, string>;
  agency: ColumnType<string, string | undefined, string>;
  url: ColumnType<string, string | undefined, string>;
  published_at: number | null;
  received_at: number;
  status: ColumnType<IncomingStatus, IncomingStatus | undefined, IncomingStatus>;
  article_id: ColumnType<number | null, number | null | undefined, number | null>;
  body_html: ColumnType<string, string | undefined, string>;
}

export type IncomingItemRow = Selectable<IncomingItemTable>;
