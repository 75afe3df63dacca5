/** Accounts, sessions, API keys, audit log, revisions, workflow (migration 004). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NewsroomTables {}
