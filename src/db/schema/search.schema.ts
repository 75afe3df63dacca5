import type { ColumnType } from 'kysely';

/** Search index and related-engine tables (migration 005). */
export interface SearchTables {
  search_documents: SearchDocumentTable;
  article_entities: ArticleEntityTable;
  search_state: SearchStateTable;
}

/** Facts about the index as a whole (migration 008): `analyzer_version`. */
export interface SearchStateTable {
  key: string;
  value: string;
}

/**
 * One row per indexed (published) article: the filters of search, and what the related
 * engine reads about a candidate without touching the article. The full-text index
 * itself is engine-specific (SQLite: the FTS5 table `search_fts`, rowid = article id;
 * PostgreSQL: the `tsv` tsvector column of this table with a GIN index) and is only
 * reached through the search repository's adapter.
 */
export interface SearchDocumentTable {
  article_id: number;
  language: string;
  section_id: number;
  content_type_id: number;
  published_at: number;
  /** 1 for photo galleries and video items (diversity slot of related lists). */
  is_media: number;
  /** Index terms of the headline, space-separated (near-duplicate detection). */
  headline_terms: string;
  /** JSON `[[term, tf], …]`: the article's most frequent content terms (more-like-this). */
  top_terms: string;
  /** Number of index terms in the article. */
  term_count: number;
  indexed_at: ColumnType<number, number, number>;
}

/** Named entities extracted at publish: related-story signal and tag suggestions. */
export interface ArticleEntityTable {
  article_id: number;
  /** `kind:normalized name`. */
  entity_key: string;
  kind: 'person' | 'organisation' | 'place';
  name: string;
  mentions: number;
}
