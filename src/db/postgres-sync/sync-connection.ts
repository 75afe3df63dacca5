import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import { inDerivedWrites } from '../derived-writes.js';
import { inWriteBehind } from '../write-behind.js';
import type { SyncClient, SyncClientOptions, SyncQueryResult } from './sync-client.js';
import { openSyncClient } from './sync-driver.js';

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
const BEGIN = /^\s*(begin|start\s+transaction)\b[^;]*$/i;
const ENDS_TRANSACTION = /^\s*(commit|rollback)\s*$/i;
const ROLLBACK = /^\s*rollback\s*$/i;
/** What Kysely gets for a statement held back: no rows, no count (its caller reads neither). */
const HELD: QueryResult<never> = { rows: [] };

export class SyncConnection implements DatabaseConnection {
  /** Its worker has started and connected (it answered a first statement). */
  ready = false;
  /** A transaction is open (its BEGIN sent or held back, no COMMIT or ROLLBACK yet). */
  private inTransaction = false;
  /** The open transaction's BEGIN is still held back: the server has not seen it. */
  private beginHeld = false;

  constructor(readonly client: SyncClient) {}

  /**
   * A transaction's BEGIN, and inside a transaction a write-behind statement (write-behind.ts),
   * are held back and go with the next statement, in one round trip: a create's or a
   * publish's transaction waits for the database twice instead of five times.
   */
  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    try {
      if (BEGIN.test(sql) && !this.inTransaction) {
        this.client.hold(sql, parameters, inDerivedWrites());
        this.inTransaction = true;
        this.beginHeld = true;
        return Promise.resolve(HELD);
      }
      if (this.inTransaction && inWriteBehind()) {
        this.client.hold(sql, parameters, inDerivedWrites());
        return Promise.resolve(HELD);
      }
      if (ENDS_TRANSACTION.test(sql)) this.inTransaction = false;
      if (ROLLBACK.test(sql)) {
        // What was held back would be undone: it is dropped, and a transaction the server never saw needs no ROLLBACK.
        this.client.dropHeld();
        if (this.beginHeld) return (this.beginHeld = false), Promise.resolve({ rows: [{ command: 'ROLLBACK' }] as R[] });
      }
      this.beginHeld = false;
      const result = this.client.query(sql, parameters, inDerivedWrites());
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
    /** The transport (sync-driver.ts). */
    readonly driver: 'libpq' | 'worker' = 'worker',
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
      const connection = new SyncConnection(openSyncClient(this.url, this.options, this.driver));
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
