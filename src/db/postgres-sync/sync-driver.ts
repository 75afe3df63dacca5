import { libpqAccepts, libpqLoadError, libpqModule, LibpqSyncClient } from './libpq-client.js';
import { SyncPgClient, type SyncClient, type SyncClientOptions } from './sync-client.js';

/**
 * Which transport the synchronous PostgreSQL connections use (DB_SYNC_DRIVER):
 * `libpq` in the main thread (an optional native dependency; about five times cheaper a
 * round trip), `worker` (a worker thread's `pg` client, always available), or `auto`:
 * libpq when it is installed and reads the connection URL as pg does, else the worker.
 */
export type SyncDriver = 'auto' | 'libpq' | 'worker';

export interface SyncDriverChoice {
  driver: 'libpq' | 'worker';
  /** Why `auto` fell back to the worker (empty when it did not). */
  reason: string;
}

export function chooseSyncDriver(url: string, wanted: SyncDriver = 'auto'): SyncDriverChoice {
  if (wanted === 'worker') return { driver: 'worker', reason: '' };
  if (!libpqModule()) {
    if (wanted === 'libpq') throw new Error(`DB_SYNC_DRIVER=libpq, but the libpq package cannot be loaded: ${libpqLoadError()}. Install Debian's libpq-dev (and python3, make, g++) and run npm ci again.`);
    return { driver: 'worker', reason: `the optional libpq package is not installed (${libpqLoadError()})` };
  }
  if (!libpqAccepts(url)) {
    if (wanted === 'libpq') throw new Error('DB_SYNC_DRIVER=libpq, but DATABASE_URL has parameters libpq does not read (only libpq\'s own, such as sslmode=require or options=…).');
    return { driver: 'worker', reason: 'DATABASE_URL has parameters only the pg client reads' };
  }
  return { driver: 'libpq', reason: '' };
}

export function openSyncClient(url: string, options: SyncClientOptions, driver: 'libpq' | 'worker'): SyncClient {
  return driver === 'libpq' ? new LibpqSyncClient(url, options) : new SyncPgClient(url, options);
}
