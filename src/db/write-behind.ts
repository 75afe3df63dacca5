import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<true>();

/**
 * Runs `write`, a statement inside a transaction whose result its caller does not read (an
 * audit entry, a revision snapshot, a search document): on an editor's synchronous
 * PostgreSQL connection (postgres-sync/) it is not sent on its own but with the
 * transaction's next statement, its COMMIT at the latest, in one pipelined round trip, so
 * a transaction of one read, three such writes and a COMMIT waits for the database twice
 * instead of five times. Its error, if any, is raised by that next statement (the
 * transaction then rolls back, as it would have); so a caller that must catch a write's own
 * error (a unique violation it expects) must not use this. Elsewhere (SQLite, the pool, no
 * transaction) the write runs at once, as usual. The promise resolves without a result.
 */
export function writeBehind(write: () => Promise<unknown>): Promise<void> {
  return storage.run(true, write).then(() => undefined);
}

/** Whether the caller runs inside `writeBehind`. */
export function inWriteBehind(): boolean {
  return storage.getStore() === true;
}
