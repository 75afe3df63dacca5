import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import { inDerivedWrites } from '../derived-writes.js';
import { inWriteBehind } from '../write-behind.js';
import { syncStats, type SyncClient, type SyncClientOptions, type SyncOutcome, type SyncQueryResult } from './sync-client.js';
import { openSyncClient } from './sync-driver.js';
import { isStalePlan } from './sync-session.js';

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
const LOCKING = /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i;

/** A statement that only reads and takes no lock: it may go in one round trip with the unit's other reads. */
function gatherable(query: CompiledQuery): boolean {
  const kind = query.query.kind;
  if (kind !== 'SelectQueryNode' && !(kind === 'RawNode' && /^\s*select\b/i.test(query.sql))) return false;
  return !LOCKING.test(query.sql);
}

/** A read waiting to go in one round trip with the unit's other concurrent reads. */
interface Gathered {
  query: CompiledQuery;
  resolve: (result: QueryResult<unknown>) => void;
  reject: (err: unknown) => void;
}

export class SyncConnection implements DatabaseConnection {
  /** Its worker has started and connected (it answered a first statement). */
  ready = false;
  /** A transaction is open (its BEGIN sent or held back, no COMMIT or ROLLBACK yet). */
  private inTransaction = false;
  /** The open transaction's BEGIN is still held back: the server has not seen it. */
  private beginHeld = false;

  /** Parties holding the connection that have not sent their first statement yet: the unit's holder (claim) and its concurrent reads (share). */
  private expected = 0;
  /** The holder has claimed the connection and not sent a statement yet. */
  private holderWaiting = false;
  /** Concurrent reads of the unit waiting for the others, to go in one round trip. */
  private gathered: Gathered[] = [];
  private flushScheduled = false;

  constructor(readonly client: SyncClient) {}

  /**
   * The unit's holder took the connection (connection-pinning.ts): reads of the same unit
   * that share it meanwhile wait for its first statement, and go with it when it reads too.
   */
  claim(): void {
    if (!this.holderWaiting) this.expected++;
    this.holderWaiting = true;
  }

  /** The holder handed the connection back (with or without a statement). */
  released(): void {
    if (this.holderWaiting) this.arrived();
    this.holderWaiting = false;
  }

  /**
   * A connection for a concurrent query of the unit while the holder has this one (its
   * reads run together, `Promise.all`): its read goes in one round trip with the others'
   * (libpq's pipeline, queryMany), instead of one round trip each; anything else it runs
   * (a write, a transaction) takes a pooled connection from `divert`, as before.
   */
  share(divert: () => Promise<DatabaseConnection>, release: (c: DatabaseConnection) => Promise<void>): SharedRead {
    this.expected++;
    return new SharedRead(this, divert, release);
  }

  /** Whether a read can join the unit's batch now (no transaction open, nothing held back). */
  get gathering(): boolean {
    return !this.inTransaction && this.client.holding === 0;
  }

  /** A party left without a read (a write, a transaction, or nothing): the batch goes once nobody is left to wait for. */
  arrived(): void {
    this.expected = Math.max(0, this.expected - 1);
    if (this.expected === 0 && this.gathered.length) this.flush();
  }

  /** A party sends its read: it joins the batch, which goes when every party has sent (at the latest after this event-loop turn). */
  join<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    this.expected = Math.max(0, this.expected - 1);
    const promise = new Promise<QueryResult<R>>((resolve, reject) => this.gathered.push({ query, resolve: resolve as Gathered['resolve'], reject }));
    if (this.expected === 0) this.flush();
    else if (!this.flushScheduled) {
      // A party that never sends (it awaits something else first) does not hold the others back beyond this turn.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        if (this.gathered.length) this.flush();
      });
    }
    return promise;
  }

  /** Sends the gathered reads in one round trip (or one by one, on a client without queryMany) and answers each. */
  private flush(): void {
    const batch = this.gathered.splice(0);
    const client = this.client;
    const answer = (each: SyncOutcome[]) =>
      each.forEach((outcome, i) => {
        const { query, resolve, reject } = batch[i]!;
        if (outcome.ok) return resolve(toQueryResult(outcome.result));
        // A prepared plan gone stale under a migration: that read runs again on its own (the client prepares it anew).
        if (isStalePlan((outcome.error as { code?: string }).code, outcome.error.message)) return this.executeQuery(query).then(resolve, reject);
        reject(outcome.error);
      });
    if (batch.length > 1 && client.queryMany && this.gathering) {
      syncStats.batchedReads += batch.length;
      try {
        const each = client.queryMany(batch.map(({ query }) => ({ sql: query.sql, params: query.parameters })));
        if (each instanceof Promise) each.then(answer, (err) => batch.forEach((b) => b.reject(err)));
        else answer(each);
      } catch (err) {
        batch.forEach((b) => b.reject(err));
      }
      return;
    }
    for (const { query, resolve, reject } of batch) this.executeQuery(query).then(resolve, reject);
  }

  /**
   * A transaction's BEGIN, and inside a transaction a write-behind statement (write-behind.ts),
   * are held back and go with the next statement, in one round trip: a create's or a
   * publish's transaction waits for the database twice instead of five times.
   */
  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (this.holderWaiting) {
      this.holderWaiting = false;
      // Other parties share the connection: a read joins their batch.
      if ((this.expected > 1 || this.gathered.length) && gatherable(compiledQuery) && this.gathering) return this.join<R>(compiledQuery);
      this.expected--;
    }
    // Reads still gathered (a party has not sent yet) go before any other statement of the holder's, on their own.
    if (this.gathered.length && this.gathering) this.flush();
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
 * A concurrent query's hold on a unit's synchronous connection (SyncConnection.share): a
 * read joins the unit's batch; anything else, or a read once a transaction is open there,
 * runs on a pooled connection of its own.
 */
export class SharedRead implements DatabaseConnection {
  private pooled: DatabaseConnection | null = null;
  private waiting = true;

  constructor(
    private readonly owner: SyncConnection,
    private readonly divert: () => Promise<DatabaseConnection>,
    private readonly releasePooled: (c: DatabaseConnection) => Promise<void>,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.waiting) {
      this.waiting = false;
      if (gatherable(query) && this.owner.gathering) return this.owner.join<R>(query);
      this.owner.arrived();
    }
    this.pooled ??= await this.divert();
    return this.pooled.executeQuery<R>(query);
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported on a synchronous PostgreSQL connection.');
  }

  /** Its query ended: a pooled connection it took goes back. */
  async release(): Promise<void> {
    if (this.waiting) {
      this.waiting = false;
      this.owner.arrived();
    }
    const pooled = this.pooled;
    this.pooled = null;
    if (pooled) await this.releasePooled(pooled);
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
