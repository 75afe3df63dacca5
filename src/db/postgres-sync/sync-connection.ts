import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import { inDerivedWrites } from '../derived-writes.js';
import { SyncPgClient, type SyncClientOptions, type SyncQueryResult } from './sync-client.js';

/** The shape Kysely's own PostgreSQL connection returns (rows; affected rows for writes). */
function toQueryResult<R>(result: SyncQueryResult): QueryResult<R> {
  const { command, rowCount, rows } = result;
  if (command === 'ROLLBACK' || command === 'COMMIT') return { rows: [{ command }] as R[] };
  const writes = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
  return { numAffectedRows: writes ? BigInt(rowCount ?? 0) : undefined, rows: (rows ?? []) as R[] };
}

/**
 * A Kysely connection over a synchronous PostgreSQL client: `executeQuery` returns an
 * already-settled promise when the answer came within the client's blocking budget, so
 * the caller's chain of awaits continues as microtasks in the same event-loop turn, as
 * with SQLite's driver (synchronous under a promise). Transactions are plain statements
 * (BEGIN … COMMIT) on the same worker client.
 */
export class SyncConnection implements DatabaseConnection {
  /** Its worker has started and connected (it answered a first statement). */
  ready = false;

  constructor(readonly client: SyncPgClient) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const result = this.client.query(compiledQuery.sql, compiledQuery.parameters, inDerivedWrites());
      return result instanceof Promise ? result.then((r) => toQueryResult<R>(r)) : Promise.resolve(toQueryResult<R>(result));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported on a synchronous PostgreSQL connection.');
  }
}

/**
 * The synchronous connections of one database handle, kept between units of work (each
 * has a worker thread and a PostgreSQL connection of its own, so they are made once and
 * reused). A connection whose worker failed is closed, not handed out again.
 */
export class SyncConnectionPool {
  private readonly idle: SyncConnection[] = [];
  private readonly all = new Set<SyncConnection>();
  private destroyed = false;

  constructor(
    private readonly url: string,
    private readonly options: SyncClientOptions,
    /** At most this many connections (the pinning's limit of units holding one at once). */
    private readonly max: number,
  ) {}

  /**
   * A ready connection, or null: then the caller uses a pooled connection, and one is
   * started in the background (a worker takes a few hundred ms to start and connect,
   * longer on a busy machine, which no request should wait for).
   */
  acquire(): SyncConnection | null {
    if (this.destroyed) return null;
    for (const connection of [...this.idle]) {
      if (!connection.client.usable) {
        this.idle.splice(this.idle.indexOf(connection), 1);
        this.discard(connection);
      }
    }
    const index = this.idle.findIndex((c) => c.ready);
    if (index >= 0) return this.idle.splice(index, 1)[0]!;
    void this.warm(this.all.size + 1);
    return null;
  }

  /**
   * Opens connections up to `count` in the background; each is handed out once ready.
   */
  warm(count: number): Promise<void> {
    const started: Promise<unknown>[] = [];
    for (let i = this.all.size; i < Math.min(count, this.max) && !this.destroyed; i++) {
      const connection = new SyncConnection(new SyncPgClient(this.url, this.options));
      this.all.add(connection);
      this.idle.push(connection);
      // Answered asynchronously (the worker is still starting); a failure discards the connection at its next use.
      started.push(
        Promise.resolve()
          .then(() => connection.client.query('select 1', []))
          .then(
            () => (connection.ready = true),
            () => undefined,
          ),
      );
    }
    return Promise.all(started).then(() => undefined);
  }

  release(connection: SyncConnection): void {
    if (this.destroyed || !connection.client.usable) return this.discard(connection);
    this.idle.push(connection);
  }

  /** Connections open now (idle or in use), for tests. */
  get size(): number {
    return this.all.size;
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.idle.length = 0;
    await Promise.all([...this.all].map((c) => c.client.close()));
    this.all.clear();
  }

  private discard(connection: SyncConnection): void {
    this.all.delete(connection);
    void connection.client.close();
  }
}
