import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<true>();

/**
 * Runs `work` as upkeep of data derived from committed content (search index, related
 * lists, page-purge state): on an editor's synchronous PostgreSQL connection its commits
 * return before their WAL reaches the disk (`synchronous_commit = off` for them only).
 * The article's own commit stays durable; a crash of the database server can lose at most
 * the last fraction of a second of such upkeep, which the next change of the article (or
 * a reindex) recomputes, never the content itself. Each such commit would otherwise wait
 * for its own flush: four per publish.
 */
export function asDerivedWrites<T>(work: () => Promise<T>): Promise<T> {
  return storage.run(true, work);
}

/** Whether the caller runs inside `asDerivedWrites`. */
export function inDerivedWrites(): boolean {
  return storage.getStore() === true;
}
