/** Media library: renditions, usage (migration 006). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MediaLibraryTables {}
