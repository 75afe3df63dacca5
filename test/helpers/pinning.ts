import type { DatabaseHandle } from '../../src/db/database.js';

/** Runs `work` as one unit of work with a kept connection (as an editor's request runs on PostgreSQL) and hands the connection back afterwards. */
export async function pinned<T>(handle: DatabaseHandle, work: () => Promise<T>): Promise<T> {
  let result!: Promise<T>;
  const release = handle.pinning!.enter(() => {
    result = work();
  });
  try {
    return await result;
  } finally {
    release();
  }
}
