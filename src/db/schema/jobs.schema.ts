/** Background jobs (migration 003). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobTables {}
