/** Tables of the page cache's purge bookkeeping (migration 016). */
export interface PageCacheTables {
  /** What readers could see of each article when its last purge was computed. */
  page_purge_state: PagePurgeStateTable;
  /** Every purge, so processes that missed Redis catch up from the database. */
  page_purge_log: PagePurgeLogTable;
}

export interface PagePurgeStateTable {
  article_id: number;
  visible: number;
  section_id: number;
  language: string;
  /** Comma-separated tag ids, ascending. */
  tag_ids: string;
  published_at: number | null;
  /** Comma-separated ids of the article's visible related list, in order; null: not known yet. */
  related_ids: string | null;
}

export interface PagePurgeLogTable {
  id: import('kysely').Generated<number>;
  /** The process that purged (it skips its own entries when catching up). */
  origin: string;
  /** Space-separated surrogate keys. */
  keys: string;
  created_at: number;
}
