import type { ColumnType } from 'kysely';

/** Import bookkeeping and redirects (migration 017). */
export interface ImportTables {
  import_items: ImportItemTable;
  redirects: RedirectTable;
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
