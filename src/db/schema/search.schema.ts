/** Search index and related-engine tables (migration 005). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SearchTables {}
